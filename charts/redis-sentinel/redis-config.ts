/**
 * redis.conf, sentinel.conf and the POSIX sh bootstrap scripts of a Redis + Sentinel deployment, generated from
 * one typed topology. The chart puts them in a ConfigMap; tools/redis-drill runs the very same text with real
 * redis-server and redis-sentinel processes. Only directives that Redis 7.0 and Redis 8 both accept are used.
 *
 * No secret is generated here: the scripts read REDIS_PASSWORD at run time and append it to the config they
 * write into a writable directory, next to the values only the pod knows (bind address, announced host).
 */

export interface RedisTopology {
  /** Host name or IP each data node announces; index 0 is the master of a first start. */
  readonly dataHosts: readonly string[];
  /** Host name or IP each sentinel announces; an odd number >= 3. */
  readonly sentinelHosts: readonly string[];
  /** @default 6379 */
  readonly redisPort?: number;
  /** @default 26379 */
  readonly sentinelPort?: number;
  /** @default 'mymaster' */
  readonly masterName?: string;
  /**
   * Sentinels that must agree the master is down; a majority, so a partitioned minority never fails over.
   * @default the majority of the sentinels
   */
  readonly quorum?: number;
  /**
   * How long the master may be unreachable before the sentinels consider it down, 1000..5000.
   * @default 5000
   */
  readonly downAfterMilliseconds?: number;
  /**
   * Sentinel's failover-timeout. A sentinel waits twice this long before retrying a failover whose leader
   * election failed, so it is kept well under the 180 s Redis default.
   * @default 30000
   */
  readonly failoverTimeoutMilliseconds?: number;
  /**
   * maxmemory of each data node in bytes, reached with noeviction (writes fail, nothing is dropped).
   * @default no limit
   */
  readonly maxMemoryBytes?: number;
}

/** A topology with every default applied and every field validated. */
export interface ResolvedRedisTopology {
  readonly dataHosts: readonly string[];
  readonly sentinelHosts: readonly string[];
  readonly redisPort: number;
  readonly sentinelPort: number;
  readonly masterName: string;
  readonly quorum: number;
  readonly downAfterMilliseconds: number;
  readonly failoverTimeoutMilliseconds: number;
  readonly maxMemoryBytes: number | undefined;
}

export const DEFAULT_REDIS_PORT = 6379;
export const DEFAULT_SENTINEL_PORT = 26379;
export const DEFAULT_MASTER_NAME = 'mymaster';
export const DEFAULT_DOWN_AFTER_MILLISECONDS = 5000;
export const MAX_DOWN_AFTER_MILLISECONDS = 5000;
const MIN_DOWN_AFTER_MILLISECONDS = 1000;
const DEFAULT_FAILOVER_TIMEOUT_MILLISECONDS = 30000;

// Host names and IPs only: the values are written unquoted into configs and sh scripts.
const HOST_PATTERN = /^[A-Za-z0-9]([A-Za-z0-9.:-]{0,251}[A-Za-z0-9])?$/;
const MASTER_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
// The sentinel.conf template names the master address by these; the sentinel bootstrap replaces them.
const MASTER_HOST_PLACEHOLDER = '@MASTER_HOST@';
const MASTER_PORT_PLACEHOLDER = '@MASTER_PORT@';

/** The smallest majority of `n` voters. */
export function majority(n: number): number {
  return Math.floor(n / 2) + 1;
}

/**
 * Applies the defaults and validates the topology. Errors name `<context>.<field>`, the value and what is
 * allowed, so a chart can pass its own name as the context.
 */
export function resolveRedisTopology(t: RedisTopology, context = 'topology'): ResolvedRedisTopology {
  const fail = (field: string, rule: string, got: unknown): never => {
    throw new Error(`${context}.${field} ${rule} (got ${JSON.stringify(got)})`);
  };
  const hosts = (field: string, list: readonly string[]) => {
    list.forEach((host, i) => {
      if (!HOST_PATTERN.test(host)) fail(`${field}[${i}]`, 'must be a host name or IP address', host);
    });
    const duplicate = list.find((host, i) => list.indexOf(host) !== i);
    if (duplicate !== undefined) fail(field, 'must not repeat a host', duplicate);
  };
  const port = (field: string, value: number) => {
    if (!Number.isInteger(value) || value < 1 || value > 65535)
      fail(field, 'must be a TCP port 1..65535', value);
    return value;
  };

  if (t.dataHosts.length < 1) fail('dataHosts', 'must name at least one data node', t.dataHosts.length);
  hosts('dataHosts', t.dataHosts);
  const sentinels = t.sentinelHosts.length;
  if (sentinels < 3 || sentinels % 2 === 0)
    fail('sentinelHosts', 'must name an odd number >= 3 of sentinels', sentinels);
  hosts('sentinelHosts', t.sentinelHosts);

  const redisPort = port('redisPort', t.redisPort ?? DEFAULT_REDIS_PORT);
  const sentinelPort = port('sentinelPort', t.sentinelPort ?? DEFAULT_SENTINEL_PORT);
  if (redisPort === sentinelPort)
    fail('sentinelPort', `must differ from redisPort ${redisPort}`, sentinelPort);

  const masterName = t.masterName ?? DEFAULT_MASTER_NAME;
  if (!MASTER_NAME_PATTERN.test(masterName))
    fail('masterName', 'must be 1..64 characters of [A-Za-z0-9._-]', masterName);

  const quorum = t.quorum ?? majority(sentinels);
  if (!Number.isInteger(quorum) || quorum < majority(sentinels) || quorum > sentinels) {
    fail(
      'quorum',
      `must be a majority of the ${sentinels} sentinels: ${majority(sentinels)}..${sentinels}`,
      quorum,
    );
  }

  const downAfterMilliseconds = t.downAfterMilliseconds ?? DEFAULT_DOWN_AFTER_MILLISECONDS;
  if (
    !Number.isInteger(downAfterMilliseconds) ||
    downAfterMilliseconds < MIN_DOWN_AFTER_MILLISECONDS ||
    downAfterMilliseconds > MAX_DOWN_AFTER_MILLISECONDS
  ) {
    fail(
      'downAfterMilliseconds',
      `must be ${MIN_DOWN_AFTER_MILLISECONDS}..${MAX_DOWN_AFTER_MILLISECONDS}, so a failed master is replaced within seconds`,
      downAfterMilliseconds,
    );
  }

  const failoverTimeoutMilliseconds = t.failoverTimeoutMilliseconds ?? DEFAULT_FAILOVER_TIMEOUT_MILLISECONDS;
  if (
    !Number.isInteger(failoverTimeoutMilliseconds) ||
    failoverTimeoutMilliseconds < 2 * downAfterMilliseconds
  ) {
    fail(
      'failoverTimeoutMilliseconds',
      `must be an integer >= twice downAfterMilliseconds (${2 * downAfterMilliseconds})`,
      failoverTimeoutMilliseconds,
    );
  }

  const maxMemoryBytes = t.maxMemoryBytes;
  if (maxMemoryBytes !== undefined && (!Number.isSafeInteger(maxMemoryBytes) || maxMemoryBytes < 1024 * 1024))
    fail('maxMemoryBytes', 'must be an integer >= 1048576 (1 MiB)', maxMemoryBytes);

  return {
    dataHosts: [...t.dataHosts],
    sentinelHosts: [...t.sentinelHosts],
    redisPort,
    sentinelPort,
    masterName,
    quorum,
    downAfterMilliseconds,
    failoverTimeoutMilliseconds,
    maxMemoryBytes,
  };
}

const lines = (...parts: readonly (string | false)[]): string =>
  parts.filter((part): part is string => part !== false).join('\n') + '\n';

/** The data node's redis.conf template; the bootstrap script appends bind, dir, announce, role and auth. */
export function redisConf(topology: RedisTopology): string {
  const t = resolveRedisTopology(topology);
  const replicas = t.dataHosts.length > 1;
  return lines(
    '# Generated by charts/redis-sentinel (redisConf). The bootstrap script appends bind, dir,',
    '# replica-announce-ip, replicaof and the password when it writes the final config.',
    `port ${t.redisPort}`,
    '# Only reachable with the password; protected mode is the fallback should none be set.',
    'protected-mode yes',
    'daemonize no',
    'tcp-keepalive 60',
    'timeout 0',
    'loglevel notice',
    'logfile ""',
    'databases 16',
    '',
    '# Durability: every write reaches the AOF within a second; RDB snapshots are kept for backups.',
    'appendonly yes',
    'appendfilename "appendonly.aof"',
    'appendfsync everysec',
    'aof-use-rdb-preamble yes',
    'aof-load-truncated yes',
    'auto-aof-rewrite-percentage 100',
    'auto-aof-rewrite-min-size 64mb',
    'save 3600 1 300 100 60 10000',
    'dbfilename dump.rdb',
    '',
    '# Replication: a rejoining replica syncs at once; the backlog lets it resume after a short outage.',
    'replica-read-only yes',
    'replica-serve-stale-data yes',
    'repl-diskless-sync yes',
    'repl-diskless-sync-delay 0',
    'repl-backlog-size 64mb',
    'repl-timeout 60',
    'replica-priority 100',
    replicas
      ? '# A master cut off from every replica stops taking writes instead of diverging from them.'
      : '# A single data node has no replica to wait for.',
    `min-replicas-to-write ${replicas ? 1 : 0}`,
    replicas && 'min-replicas-max-lag 10',
    '',
    '# At the memory limit writes fail; keys are never evicted silently.',
    t.maxMemoryBytes !== undefined && `maxmemory ${t.maxMemoryBytes}`,
    'maxmemory-policy noeviction',
  );
}

/** The sentinel.conf template; the bootstrap script fills in the current master and appends the rest. */
export function sentinelConf(topology: RedisTopology): string {
  const t = resolveRedisTopology(topology);
  return lines(
    '# Generated by charts/redis-sentinel (sentinelConf). The bootstrap script replaces the master address,',
    '# then appends bind, dir, announce-ip and the passwords when it writes the final config.',
    `port ${t.sentinelPort}`,
    '# Sentinels must be reachable from the other pods; requirepass (always appended) guards them.',
    'protected-mode no',
    'daemonize no',
    'logfile ""',
    '# Pods are addressed by their stable DNS names, not by IPs that change when a pod is replaced.',
    '# resolve-hostnames must precede the monitor line that names a host.',
    'sentinel resolve-hostnames yes',
    'sentinel announce-hostnames yes',
    'sentinel deny-scripts-reconfig yes',
    `sentinel monitor ${t.masterName} ${MASTER_HOST_PLACEHOLDER} ${MASTER_PORT_PLACEHOLDER} ${t.quorum}`,
    `sentinel down-after-milliseconds ${t.masterName} ${t.downAfterMilliseconds}`,
    `sentinel failover-timeout ${t.masterName} ${t.failoverTimeoutMilliseconds}`,
    `sentinel parallel-syncs ${t.masterName} 1`,
  );
}

const shellWords = (words: readonly string[]): string => `'${words.join(' ')}'`;

/** Shell functions both bootstrap scripts share: checks, quoting for redis config files and queries. */
function commonShell(t: ResolvedRedisTopology, script: string): string {
  return `set -eu

fail() {
  printf '%s: %s\\n' '${script}' "$*" >&2
  exit 1
}
say() {
  printf '%s: %s\\n' '${script}' "$*"
}

[ -n "\${ANNOUNCE_HOST:-}" ] || fail 'ANNOUNCE_HOST is required: the host name or IP the other pods reach this one by'
case "$ANNOUNCE_HOST" in
  *[!A-Za-z0-9.:-]*) fail 'ANNOUNCE_HOST must be a host name or IP address' ;;
esac
[ -n "\${REDIS_PASSWORD:-}" ] || fail 'REDIS_PASSWORD is required (from the auth Secret)'
case "$REDIS_PASSWORD" in
  *'
'*) fail 'REDIS_PASSWORD must be a single line' ;;
esac
bind_address="\${BIND_ADDRESS:-* -::*}"
case "$bind_address" in
  *[!A-Za-z0-9.:*\\ -]*) fail 'BIND_ADDRESS must be a space-separated list of addresses' ;;
esac
config_dir="\${CONFIG_DIR:-/run/redis}"
query_timeout="\${QUERY_TIMEOUT_SECONDS:-2}"

# redis-cli reads the password from REDISCLI_AUTH, so it never shows on a command line.
REDISCLI_AUTH="$REDIS_PASSWORD"
export REDISCLI_AUTH

master_name='${t.masterName}'
redis_port=${t.redisPort}
sentinel_port=${t.sentinelPort}
data_hosts=${shellWords(t.dataHosts)}
sentinel_hosts=${shellWords(t.sentinelHosts)}

# A value as a double-quoted redis config string (backslashes and double quotes escaped).
conf_quote() {
  printf '"%s"' "$(printf '%s' "$1" | sed 's/[\\\\"]/\\\\&/g')"
}

# One command to one server, bounded in time; prints the raw reply, fails when the server is unreachable.
query() {
  host=$1
  port=$2
  shift 2
  if command -v timeout >/dev/null 2>&1; then
    timeout "$query_timeout" redis-cli --raw -h "$host" -p "$port" "$@" 2>/dev/null
  else
    redis-cli --raw -h "$host" -p "$port" "$@" 2>/dev/null
  fi
}

valid_address() {
  case "$1" in
    '' | *[!A-Za-z0-9.:-]*) return 1 ;;
  esac
  case "$2" in
    '' | *[!0-9]*) return 1 ;;
  esac
  return 0
}

# Sets master_host/master_port/master_source from the first sentinel (other than $1) that knows a master.
ask_sentinels() {
  for sentinel in $sentinel_hosts; do
    [ "$sentinel" = "$1" ] && continue
    reply=$(query "$sentinel" "$sentinel_port" SENTINEL get-master-addr-by-name "$master_name") || continue
    host=$(printf '%s\\n' "$reply" | sed -n 1p)
    port=$(printf '%s\\n' "$reply" | sed -n 2p)
    if valid_address "$host" "$port"; then
      master_host=$host
      master_port=$port
      master_source="sentinel $sentinel"
      return 0
    fi
  done
  return 1
}

# When no sentinel answers (all restarted at once), a data node that already is a master still wins over
# host 0, so that a running master is never joined by a second one.
ask_data_nodes() {
  for node in $data_hosts; do
    [ "$node" = "$1" ] && continue
    role=$(query "$node" "$redis_port" ROLE | sed -n 1p | tr -d '\\r')
    if [ "$role" = master ]; then
      master_host=$node
      master_port=$redis_port
      master_source="data node $node"
      return 0
    fi
  done
  return 1
}

find_master() {
  if ask_sentinels "$1" || ask_data_nodes "$1"; then
    return 0
  fi
  master_host='${t.dataHosts[0]}'
  master_port=$redis_port
  master_source='first start: no sentinel or data node knows a master'
}
`;
}

/**
 * POSIX sh that starts one data node: on every start it asks the sentinels (then the other data nodes) for
 * the current master and starts as master only if that is itself, so a restarted former master comes back
 * as a replica. Then it writes $CONFIG_DIR/redis.conf and execs redis-server.
 *
 * Env: ANNOUNCE_HOST, REDIS_PASSWORD (required); BIND_ADDRESS (default `* -::*`, every interface), DATA_DIR
 * (/data), CONFIG_DIR (/run/redis), CONFIG_TEMPLATE (redis.conf beside the script), QUERY_TIMEOUT_SECONDS (2).
 */
export function redisBootstrapScript(topology: RedisTopology): string {
  const t = resolveRedisTopology(topology);
  return `#!/bin/sh
# Generated by charts/redis-sentinel (redisBootstrapScript): starts one Redis data node.
${commonShell(t, 'redis-bootstrap')}
data_dir="\${DATA_DIR:-/data}"
template="\${CONFIG_TEMPLATE:-$(dirname -- "$0")/redis.conf}"
[ -r "$template" ] || fail "config template $template is not readable"

find_master "$ANNOUNCE_HOST"
if [ "$master_host" = "$ANNOUNCE_HOST" ] && [ "$master_port" = "$redis_port" ]; then
  replica_of=''
  say "starting as master ($master_source)"
else
  replica_of="$master_host $master_port"
  say "starting as replica of $replica_of ($master_source)"
fi

mkdir -p "$data_dir" "$config_dir"
umask 077
config="$config_dir/redis.conf"
{
  cat "$template"
  printf '\\n# Appended by the bootstrap script.\\n'
  printf 'bind %s\\n' "$bind_address"
  printf 'dir %s\\n' "$(conf_quote "$data_dir")"
  printf 'replica-announce-ip %s\\n' "$ANNOUNCE_HOST"
  if [ -n "$replica_of" ]; then
    printf 'replicaof %s\\n' "$replica_of"
  fi
  printf 'requirepass %s\\n' "$(conf_quote "$REDIS_PASSWORD")"
  printf 'masterauth %s\\n' "$(conf_quote "$REDIS_PASSWORD")"
} >"$config.tmp"
mv "$config.tmp" "$config"
exec redis-server "$config"
`;
}

/**
 * POSIX sh that starts one sentinel: it monitors the master the other sentinels (then the data nodes) know,
 * else data host 0, keeps its sentinel id across container restarts, writes $CONFIG_DIR/sentinel.conf (which
 * Sentinel rewrites as it learns) and execs redis-sentinel.
 *
 * Env: ANNOUNCE_HOST, REDIS_PASSWORD (required); BIND_ADDRESS (default `* -::*`), CONFIG_DIR (/run/redis),
 * CONFIG_TEMPLATE (sentinel.conf beside the script), QUERY_TIMEOUT_SECONDS (2).
 */
export function sentinelBootstrapScript(topology: RedisTopology): string {
  const t = resolveRedisTopology(topology);
  return `#!/bin/sh
# Generated by charts/redis-sentinel (sentinelBootstrapScript): starts one Redis Sentinel.
${commonShell(t, 'sentinel-bootstrap')}
template="\${CONFIG_TEMPLATE:-$(dirname -- "$0")/sentinel.conf}"
[ -r "$template" ] || fail "config template $template is not readable"

find_master "$ANNOUNCE_HOST"
say "monitoring $master_host $master_port ($master_source)"

mkdir -p "$config_dir"
umask 077
config="$config_dir/sentinel.conf"
# The same id after a container restart, so the other sentinels do not count this one twice.
my_id=''
if [ -f "$config" ]; then
  my_id=$(sed -n 's/^sentinel myid \\([0-9a-f]\\{40\\}\\)$/\\1/p' "$config" | head -n 1)
fi
{
  sed -e "s/${MASTER_HOST_PLACEHOLDER}/$master_host/" -e "s/${MASTER_PORT_PLACEHOLDER}/$master_port/" "$template"
  printf '\\n# Appended by the bootstrap script.\\n'
  printf 'bind %s\\n' "$bind_address"
  printf 'dir %s\\n' "$(conf_quote "$config_dir")"
  printf 'sentinel announce-ip %s\\n' "$ANNOUNCE_HOST"
  printf 'sentinel announce-port %s\\n' "$sentinel_port"
  if [ -n "$my_id" ]; then
    printf 'sentinel myid %s\\n' "$my_id"
  fi
  printf 'requirepass %s\\n' "$(conf_quote "$REDIS_PASSWORD")"
  printf 'sentinel auth-pass %s %s\\n' "$master_name" "$(conf_quote "$REDIS_PASSWORD")"
  printf 'sentinel sentinel-pass %s\\n' "$(conf_quote "$REDIS_PASSWORD")"
} >"$config.tmp"
mv "$config.tmp" "$config"
exec redis-sentinel "$config"
`;
}

/**
 * POSIX sh for the data node's preStop hook: a master with replicas asks a sentinel for a failover and waits
 * (up to PRESTOP_WAIT_SECONDS, default 20) until it has become a replica, so a rolling update or a drain
 * moves the master role instead of leaving writers to wait for down-after-milliseconds. Never fails the hook.
 */
export function redisPreStopScript(topology: RedisTopology): string {
  const t = resolveRedisTopology(topology);
  return `#!/bin/sh
# Generated by charts/redis-sentinel (redisPreStopScript): hands the master role over before a data node stops.
set -u
REDISCLI_AUTH="\${REDIS_PASSWORD:-}"
export REDISCLI_AUTH
wait_seconds="\${PRESTOP_WAIT_SECONDS:-20}"

local_role() {
  redis-cli --raw -p ${t.redisPort} ROLE 2>/dev/null | sed -n 1p | tr -d '\\r'
}

[ "$(local_role)" = master ] || exit 0
replicas=$(redis-cli --raw -p ${t.redisPort} INFO replication 2>/dev/null | tr -d '\\r' | sed -n 's/^connected_slaves:\\([0-9]*\\)$/\\1/p')
[ "\${replicas:-0}" -gt 0 ] || exit 0

for sentinel in ${t.sentinelHosts.join(' ')}; do
  reply=$(timeout 3 redis-cli --raw -h "$sentinel" -p ${t.sentinelPort} SENTINEL FAILOVER ${t.masterName} 2>/dev/null) || continue
  [ "$reply" = OK ] && break
done

waited=0
while [ "$waited" -lt "$wait_seconds" ]; do
  [ "$(local_role)" = slave ] && exit 0
  sleep 1
  waited=$((waited + 1))
done
exit 0
`;
}
