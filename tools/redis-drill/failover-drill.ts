/**
 * A real failover drill of the Redis + Sentinel deployment: the configs and bootstrap scripts the chart
 * generates, run by real redis-server and redis-sentinel processes on loopback addresses. Under a steady load
 * of acknowledged writes (SET, then WAIT for one replica) the master is SIGKILLed; the drill measures how long
 * writes fail, checks that no acknowledged write was lost, restarts the old master through its bootstrap
 * script and checks that it rejoins as a replica of the new master, leaving exactly one master.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import {
  redisBootstrapScript,
  redisConf,
  sentinelBootstrapScript,
  sentinelConf,
  type RedisTopology,
} from '../../charts/redis-sentinel/redis-config';
import { LocalCluster, type LocalNode } from './local-cluster';
import {
  addressText,
  info,
  query,
  replicasOf,
  role,
  sentinelMaster,
  sentinelPeers,
  type Address,
} from './redis-queries';

const REDIS_PORT = 6379;
const SENTINEL_PORT = 26379;
const MASTER_NAME = 'mymaster';
/** WAIT's timeout: a write counts as acknowledged only if a replica has it within this time. */
const WAIT_TIMEOUT_MS = 500;

export interface FailoverDrillOptions {
  /**
   * First three octets of the loopback addresses: data node i listens on <prefix>.<1+i>, sentinel i on
   * <prefix>.<11+i>, with the ports of the manifests (6379, 26379).
   * @default '127.0.10'
   */
  readonly addressPrefix?: string;
  /** @default 3 */
  readonly dataNodes?: number;
  /** @default 3 */
  readonly sentinels?: number;
  /**
   * The Redis password the pods would get from their Secret.
   * @default random, with quotes, a backslash, a space and a $ to exercise the scripts' quoting
   */
  readonly password?: string;
  /**
   * Pause between two writes of the load.
   * @default 2
   */
  readonly writeIntervalMs?: number;
  /**
   * How long writes may fail after the kill before the drill gives up.
   * @default 60000
   */
  readonly recoveryTimeoutMs?: number;
  /** Progress messages. @default none */
  readonly log?: (message: string) => void;
}

export interface FailoverDrillResult {
  /** From the SIGKILL of the master to the first acknowledged write issued after it. */
  readonly recoveryMs: number;
  readonly oldMaster: string;
  readonly newMaster: string;
  /** Writes acknowledged by the master and at least one replica (WAIT >= 1). */
  readonly acknowledgedWrites: number;
  /** Writes that failed or were not acknowledged by a replica in time (these may or may not be kept). */
  readonly unacknowledgedWrites: number;
  /** Acknowledged writes missing (or different) on the new master. */
  readonly lostWrites: number;
  /** Up to 10 of the lost keys. */
  readonly lostKeys: readonly string[];
  /** The restarted old master started as a replica of the new master and its link is up. */
  readonly rejoinedAsReplica: boolean;
  /** What the restarted old master reported last, e.g. 'slave of 127.0.10.2:6379, link up'. */
  readonly rejoinedState: string;
  /** The role its bootstrap script chose, e.g. 'redis-bootstrap: starting as replica of ... (sentinel ...)'. */
  readonly bootstrapDecision: string;
  /** Data nodes that report role master at the end. */
  readonly masters: readonly string[];
}

const ADDRESS_PREFIX = /^127\.(\d{1,3})\.(\d{1,3})$/;

function addressesOf(options: FailoverDrillOptions) {
  const prefix = options.addressPrefix ?? '127.0.10';
  const match = ADDRESS_PREFIX.exec(prefix);
  if (!match || Number(match[1]) > 255 || Number(match[2]) > 255)
    throw new Error(
      `addressPrefix must be the first three octets of a 127.0.0.0/8 address (got "${prefix}")`,
    );
  const dataNodes = options.dataNodes ?? 3;
  const sentinels = options.sentinels ?? 3;
  if (!Number.isInteger(dataNodes) || dataNodes < 2 || dataNodes > 9)
    throw new Error(`dataNodes must be 2..9, a failover needs a replica (got ${dataNodes})`);
  if (!Number.isInteger(sentinels) || sentinels < 3 || sentinels > 9 || sentinels % 2 === 0)
    throw new Error(`sentinels must be an odd number 3..9 (got ${sentinels})`);
  return {
    data: Array.from({ length: dataNodes }, (_, i) => ({ host: `${prefix}.${1 + i}`, port: REDIS_PORT })),
    sentinels: Array.from({ length: sentinels }, (_, i) => ({
      host: `${prefix}.${11 + i}`,
      port: SENTINEL_PORT,
    })),
  };
}

/** Polls `check` until it returns a value (not undefined) or fails with `what` and the last problem seen. */
async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  let last = 'not checked yet';
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
      last = 'condition not met';
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    if (performance.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${last})`);
    await sleep(200);
  }
}

/** Steady writes through the Sentinel-aware client; records what was acknowledged and when writes came back. */
class WriteLoad {
  readonly acknowledged = new Map<string, string>();
  unacknowledged = 0;
  killedAt: number | undefined;
  recoveredAt: number | undefined;
  private stopped = false;
  private sequence = 0;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly client: Redis,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const key = `drill:${++this.sequence}`;
      const value = `${this.sequence}:${randomBytes(4).toString('hex')}`;
      const startedAt = performance.now();
      try {
        await this.client.set(key, value);
        const replicas = await this.client.wait(1, WAIT_TIMEOUT_MS);
        if (replicas >= 1) {
          this.acknowledged.set(key, value);
          if (this.killedAt !== undefined && this.recoveredAt === undefined && startedAt >= this.killedAt)
            this.recoveredAt = performance.now();
        } else {
          this.unacknowledged++;
        }
      } catch {
        this.unacknowledged++;
        await sleep(20);
      }
      await sleep(this.intervalMs);
    }
  }
}

export async function runFailoverDrill(options: FailoverDrillOptions = {}): Promise<FailoverDrillResult> {
  const log = options.log ?? (() => undefined);
  const addresses = addressesOf(options);
  const password = options.password ?? `drill "${randomBytes(6).toString('hex')}" \\ $HOME'`;
  const topology: RedisTopology = {
    dataHosts: addresses.data.map((a) => a.host),
    sentinelHosts: addresses.sentinels.map((a) => a.host),
    redisPort: REDIS_PORT,
    sentinelPort: SENTINEL_PORT,
    masterName: MASTER_NAME,
  };
  const cluster = await LocalCluster.create({
    files: {
      'redis.conf': redisConf(topology),
      'sentinel.conf': sentinelConf(topology),
      'redis-bootstrap.sh': redisBootstrapScript(topology),
      'sentinel-bootstrap.sh': sentinelBootstrapScript(topology),
    },
    dataNodes: addresses.data,
    sentinels: addresses.sentinels,
    password,
  });
  let client: Redis | undefined;
  let load: WriteLoad | undefined;
  try {
    const alive = (node: LocalNode) => {
      if (cluster.exited(node))
        throw new Error(`${node.kind} ${addressText(node)} exited; its log:\n${cluster.logTail(node)}`);
    };
    for (const node of cluster.nodes) cluster.start(node);
    log(`started ${cluster.dataNodes.length} data nodes and ${cluster.sentinels.length} sentinels`);

    const oldMaster = await waitFor('replicas online and sentinels in agreement', 30_000, async () => {
      cluster.nodes.forEach(alive);
      return settled(cluster, password);
    });
    log(`master ${addressText(oldMaster)}: replicas online, sentinels agree`);

    client = new Redis({
      sentinels: addresses.sentinels.map((a) => ({ host: a.host, port: a.port })),
      name: MASTER_NAME,
      password,
      sentinelPassword: password,
      role: 'master',
      connectTimeout: 1000,
      commandTimeout: 2000,
      // Fail fast while the master is gone: the load retries, and counts each failure.
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => 100,
      sentinelRetryStrategy: () => 100,
      disconnectTimeout: 100,
    });
    client.on('error', () => undefined);
    const ready = client;
    await waitFor('the Sentinel client to connect', 10_000, async () =>
      ready.status === 'ready' ? true : undefined,
    );

    load = new WriteLoad(client, options.writeIntervalMs ?? 2);
    load.start();
    const running = load;
    await waitFor('acknowledged writes before the kill', 10_000, async () =>
      running.acknowledged.size >= 500 ? true : undefined,
    );

    const victim = cluster.dataNodes.find((n) => n.host === oldMaster.host && n.port === oldMaster.port);
    if (victim === undefined)
      throw new Error(`the master ${addressText(oldMaster)} is none of the data nodes`);
    log(`SIGKILL master ${addressText(victim)} (pid ${String(cluster.pid(victim))})`);
    load.killedAt = performance.now();
    await cluster.kill(victim, 'SIGKILL');

    await waitFor('writes to succeed again after the kill', options.recoveryTimeoutMs ?? 60_000, async () =>
      running.recoveredAt !== undefined ? true : undefined,
    );
    const recoveryMs = (load.recoveredAt ?? Number.NaN) - load.killedAt;
    log(`writes acknowledged again ${(recoveryMs / 1000).toFixed(2)} s after the kill`);
    // Keep writing through the new master for a moment, then stop the load.
    await sleep(1000);
    await load.stop();

    const newMaster = await waitFor('the sentinels to agree on a new master', 30_000, async () => {
      const named = await Promise.all(cluster.sentinels.map((s) => sentinelMaster(s, password, MASTER_NAME)));
      const first = named[0];
      return first !== undefined &&
        named.every((a) => a !== undefined && addressText(a) === addressText(first))
        ? first
        : undefined;
    });
    if (addressText(newMaster) === addressText(oldMaster))
      throw new Error(`the sentinels still name the killed master ${addressText(oldMaster)}`);

    const lostKeys = await missingWrites(newMaster, password, load.acknowledged);
    log(
      `${load.acknowledged.size} acknowledged writes checked on ${addressText(newMaster)}: ${lostKeys.length} lost`,
    );

    log(`restarting ${addressText(victim)} through its bootstrap script`);
    cluster.start(victim);
    let rejoinedState = 'not reachable';
    const rejoinedAsReplica = await waitFor('the old master to rejoin', 30_000, async () => {
      alive(victim);
      const replication = await info(victim, password, 'replication');
      const link = replication.get('master_link_status');
      rejoinedState =
        replication.get('role') === 'slave'
          ? `slave of ${replication.get('master_host') ?? '?'}:${replication.get('master_port') ?? '?'}, link ${link ?? '?'}`
          : `${replication.get('role') ?? '?'}`;
      const following =
        replication.get('role') === 'slave' &&
        replication.get('master_host') === newMaster.host &&
        replication.get('master_port') === String(newMaster.port);
      return following && link === 'up' ? true : undefined;
    }).catch(() => false);
    // The bootstrap script itself must have chosen the replica role (not Sentinel demoting a second master).
    const bootstrapDecision =
      cluster
        .logTail(victim, 500)
        .split('\n')
        .filter((line) => line.startsWith('redis-bootstrap: '))
        .pop() ?? '(no bootstrap line in the log)';
    const startedAsReplica = bootstrapDecision.includes(
      `starting as replica of ${newMaster.host} ${newMaster.port} `,
    );
    log(`old master: ${rejoinedState}; ${bootstrapDecision}`);

    const masters: string[] = [];
    for (const node of cluster.dataNodes) {
      if ((await role(node, password).catch(() => 'unreachable')) === 'master')
        masters.push(addressText(node));
    }

    return {
      recoveryMs,
      oldMaster: addressText(oldMaster),
      newMaster: addressText(newMaster),
      acknowledgedWrites: load.acknowledged.size,
      unacknowledgedWrites: load.unacknowledged,
      lostWrites: lostKeys.length,
      lostKeys: lostKeys.slice(0, 10),
      rejoinedAsReplica: rejoinedAsReplica && startedAsReplica,
      rejoinedState,
      bootstrapDecision,
      masters,
    };
  } finally {
    await load?.stop();
    client?.disconnect();
    await cluster.destroy();
  }
}

/**
 * The master, once it is the only one, all replicas are online and every sentinel names it and knows every
 * replica and every other sentinel; undefined until then.
 */
async function settled(cluster: LocalCluster, password: string): Promise<Address | undefined> {
  const roles = await Promise.all(cluster.dataNodes.map((n) => role(n, password)));
  const masters = cluster.dataNodes.filter((_, i) => roles[i] === 'master');
  const master = masters[0];
  if (masters.length !== 1 || master === undefined) return undefined;
  const replicas = replicasOf(await info(master, password, 'replication'));
  if (replicas.length !== cluster.dataNodes.length - 1 || replicas.some((r) => r.state !== 'online'))
    return undefined;
  for (const sentinel of cluster.sentinels) {
    const named = await sentinelMaster(sentinel, password, MASTER_NAME);
    if (named === undefined || addressText(named) !== addressText(master)) return undefined;
    const known = await sentinelPeers(sentinel, password, 'replicas', MASTER_NAME);
    const healthy = known.filter((r) => !/s_down|o_down|disconnected/.test(r.flags ?? ''));
    if (healthy.length !== cluster.dataNodes.length - 1) return undefined;
    const peers = await sentinelPeers(sentinel, password, 'sentinels', MASTER_NAME);
    if (peers.length !== cluster.sentinels.length - 1) return undefined;
  }
  return master;
}

/** Keys whose acknowledged value the master does not return. */
async function missingWrites(master: Address, password: string, written: ReadonlyMap<string, string>) {
  const keys = [...written.keys()];
  const missing: string[] = [];
  for (let i = 0; i < keys.length; i += 500) {
    const chunk = keys.slice(i, i + 500);
    const values = await query(master, password, ['MGET', ...chunk], 5000);
    chunk.forEach((key, j) => {
      if (!Array.isArray(values) || values[j] !== written.get(key)) missing.push(key);
    });
  }
  return missing;
}
