/**
 * Redis "pods" as local processes: each node has its own loopback address, the ports the manifests use, its own
 * directories, and is started the way the container is, by running the generated bootstrap script with `sh`
 * and the pod's environment. The script execs redis-server / redis-sentinel, so the PID held is the server's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Address } from './redis-queries';

export type NodeKind = 'data' | 'sentinel';

export interface LocalNode extends Address {
  readonly kind: NodeKind;
  readonly index: number;
  readonly dir: string;
  readonly logFile: string;
}

/** The ConfigMap's files, as the chart generates them (templates and bootstrap scripts). */
export interface ClusterFiles {
  readonly 'redis.conf': string;
  readonly 'sentinel.conf': string;
  readonly 'redis-bootstrap.sh': string;
  readonly 'sentinel-bootstrap.sh': string;
}

export interface LocalClusterOptions {
  readonly files: ClusterFiles;
  readonly dataNodes: readonly Address[];
  readonly sentinels: readonly Address[];
  readonly password: string;
}

/** Fails with a clear message when something already listens on `address` (or it is not a local address). */
export async function assertPortFree(address: Address): Promise<void> {
  const server = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: address.host, port: address.port, exclusive: true }, resolve);
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const where = `${address.host}:${address.port}`;
    if (code === 'EADDRINUSE')
      throw new Error(`${where} is already in use: stop what listens there or choose another address prefix`);
    if (code === 'EADDRNOTAVAIL')
      throw new Error(`${where}: ${address.host} is not an address of this machine`);
    throw new Error(`${where} cannot be bound: ${String(error)}`);
  } finally {
    if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export class LocalCluster {
  readonly dataNodes: readonly LocalNode[];
  readonly sentinels: readonly LocalNode[];
  private readonly processes = new Map<LocalNode, ChildProcess>();

  private constructor(
    private readonly root: string,
    private readonly password: string,
    dataNodes: readonly Address[],
    sentinels: readonly Address[],
  ) {
    const node = (kind: NodeKind, address: Address, index: number): LocalNode => {
      const dir = join(root, `${kind}-${index}`);
      mkdirSync(join(dir, 'data'), { recursive: true });
      mkdirSync(join(dir, 'run'), { recursive: true });
      return { ...address, kind, index, dir, logFile: join(dir, 'log') };
    };
    this.dataNodes = dataNodes.map((a, i) => node('data', a, i));
    this.sentinels = sentinels.map((a, i) => node('sentinel', a, i));
  }

  /** Checks every address is free, then lays out a temporary directory with the files and one dir per node. */
  static async create(options: LocalClusterOptions): Promise<LocalCluster> {
    for (const address of [...options.dataNodes, ...options.sentinels]) await assertPortFree(address);
    const root = mkdtempSync(join(tmpdir(), 'redis-drill-'));
    mkdirSync(join(root, 'etc'));
    for (const [file, text] of Object.entries(options.files)) writeFileSync(join(root, 'etc', file), text);
    return new LocalCluster(root, options.password, options.dataNodes, options.sentinels);
  }

  get nodes(): readonly LocalNode[] {
    return [...this.dataNodes, ...this.sentinels];
  }

  pid(node: LocalNode): number | undefined {
    return this.processes.get(node)?.pid;
  }

  /** Runs the node's bootstrap script with the environment its pod would have. */
  start(node: LocalNode): void {
    if (this.processes.has(node)) throw new Error(`${node.kind} ${node.index} is already running`);
    const script = join(
      this.root,
      'etc',
      node.kind === 'data' ? 'redis-bootstrap.sh' : 'sentinel-bootstrap.sh',
    );
    const log = openSync(node.logFile, 'a');
    try {
      const child = spawn('sh', [script], {
        stdio: ['ignore', log, log],
        env: {
          PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
          HOME: node.dir,
          ANNOUNCE_HOST: node.host,
          BIND_ADDRESS: node.host,
          DATA_DIR: join(node.dir, 'data'),
          CONFIG_DIR: join(node.dir, 'run'),
          REDIS_PASSWORD: this.password,
        },
      });
      child.on('error', () => undefined);
      this.processes.set(node, child);
    } finally {
      closeSync(log);
    }
  }

  /** The process has exited (crashed, or the script failed before exec). */
  exited(node: LocalNode): boolean {
    const child = this.processes.get(node);
    return child === undefined || child.exitCode !== null || child.signalCode !== null;
  }

  /** Signals the node's process by its PID and waits until it has exited. */
  async kill(node: LocalNode, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.processes.get(node);
    if (child === undefined) return;
    if (!this.exited(node)) {
      const exit = once(child, 'exit');
      child.kill(signal);
      // An unref'ed timer, so a process that will not die never keeps Node itself alive.
      await Promise.race([exit, sleep(10_000, undefined, { ref: false })]);
    }
    this.processes.delete(node);
  }

  /** The last lines of a node's log, for error messages. */
  logTail(node: LocalNode, lines = 15): string {
    try {
      return readFileSync(node.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** Kills every process this cluster started, then removes its directory. */
  async destroy(): Promise<void> {
    await Promise.all([...this.processes.keys()].map((node) => this.kill(node)));
    rmSync(this.root, { recursive: true, force: true });
  }
}
