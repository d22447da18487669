import { resolveRedisTopology, type RedisTopology } from './redis-config';

/**
 * The script of the daily Redis snapshot (issue 18: Redis RDB snapshots to S3, replicated to the standby
 * region like the MongoDB backups). It asks the sentinels for the current master, takes an RDB snapshot of
 * it with `redis-cli --rdb` (the server makes the snapshot as it does for a new replica, a BGSAVE streamed
 * over the connection, so the job needs none of the server's volumes), checks the file is an RDB, and
 * uploads it with its size and SHA-256.
 *
 *   redis-snapshot.sh run      fetch and upload (one container with redis-cli and the aws CLI)
 *   redis-snapshot.sh fetch    only take the snapshot into WORK_DIR (a redis image, e.g. an init container)
 *   redis-snapshot.sh upload   only upload what fetch left in WORK_DIR (an aws-cli image)
 *
 * Environment: REDIS_PASSWORD (the auth Secret; also the sentinels' password), SNAPSHOT_DESTINATION
 * (`s3://<bucket>/<prefix>`, or `file:///<dir>` for a mounted directory and for the tests), SNAPSHOT_NAME
 * (file name prefix, default `redis`), WORK_DIR (default /tmp). Exits 1 with a message naming the setting
 * on bad input, and when no sentinel answers or the snapshot is not an RDB file; nothing is uploaded then.
 */
export function redisSnapshotScript(topology: RedisTopology): string {
  const t = resolveRedisTopology(topology);
  return `set -eu

fail() {
  printf 'redis-snapshot: %s\\n' "$*" >&2
  exit 1
}
say() {
  printf 'redis-snapshot: %s\\n' "$*"
}

step="\${1:-run}"
case "$step" in
  run | fetch | upload) ;;
  *) fail "the step must be run, fetch or upload (got '$step')" ;;
esac
destination="\${SNAPSHOT_DESTINATION:-}"
case "$destination" in
  s3://?*) ;;
  file:///*) ;;
  *) fail "SNAPSHOT_DESTINATION must be s3://<bucket>/<prefix> or file:///<dir> (got '$destination')" ;;
esac
name="\${SNAPSHOT_NAME:-redis}"
case "$name" in
  '' | *[!A-Za-z0-9._-]*) fail "SNAPSHOT_NAME must be letters, digits, '.', '_' or '-' (got '$name')" ;;
esac
work="\${WORK_DIR:-/tmp}"
[ -d "$work" ] && [ -w "$work" ] || fail "WORK_DIR must be a writable directory (got '$work')"

master_name='${t.masterName}'
sentinel_port=${t.sentinelPort}
sentinel_hosts='${t.sentinelHosts.join(' ')}'

fetch() {
  [ -n "\${REDIS_PASSWORD:-}" ] || fail 'REDIS_PASSWORD is required (from the auth Secret)'
  # redis-cli reads the password from REDISCLI_AUTH, so it never shows on a command line.
  REDISCLI_AUTH="$REDIS_PASSWORD"
  export REDISCLI_AUTH
  master_host=''
  master_port=''
  for host in $sentinel_hosts; do
    reply=$(timeout 3 redis-cli --raw -h "$host" -p "$sentinel_port" SENTINEL get-master-addr-by-name "$master_name" 2>/dev/null) || continue
    # shellcheck disable=SC2086
    set -- $reply
    if [ $# -eq 2 ]; then
      master_host=$1
      master_port=$2
      break
    fi
  done
  [ -n "$master_host" ] || fail "no sentinel answered for $master_name (asked $sentinel_hosts on port $sentinel_port)"
  stamp=$(date -u +%Y%m%dT%H%M%SZ)
  file="$work/$name-$stamp.rdb"
  rm -f "$work"/*.rdb.partial
  timeout 600 redis-cli -h "$master_host" -p "$master_port" --rdb "$file.partial" >/dev/null 2>&1 ||
    fail "the snapshot of $master_host:$master_port failed"
  [ "$(head -c 5 "$file.partial")" = REDIS ] || fail "the snapshot of $master_host:$master_port is not an RDB file"
  mv "$file.partial" "$file"
  say "snapshot of $master_host:$master_port taken: $(basename "$file"), $(wc -c <"$file" | tr -d ' ') bytes"
}

upload() {
  found=0
  for file in "$work"/*.rdb; do
    [ -f "$file" ] || continue
    found=1
    base=$(basename "$file")
    sum=$(sha256sum "$file" | cut -d' ' -f1)
    printf '%s  %s\\n' "$sum" "$base" >"$file.sha256"
    case "$destination" in
      s3://*)
        target="\${destination%/}"
        aws s3 cp --only-show-errors "$file" "$target/$base"
        aws s3 cp --only-show-errors "$file.sha256" "$target/$base.sha256"
        ;;
      file://*)
        dir="\${destination#file://}"
        mkdir -p "$dir"
        # Copied under a temporary name, then renamed: a reader never sees half a snapshot.
        cp "$file" "$dir/.$base.partial" && mv "$dir/.$base.partial" "$dir/$base"
        cp "$file.sha256" "$dir/$base.sha256"
        ;;
    esac
    rm -f "$file" "$file.sha256"
    say "uploaded $base to \${destination%/}/$base (sha256 $sum)"
  done
  [ "$found" = 1 ] || fail "no snapshot in $work to upload (run the fetch step first)"
}

case "$step" in
  run)
    fetch
    upload
    ;;
  fetch) fetch ;;
  upload) upload ;;
esac
`;
}
