/**
 * Processes a benchmark starts: services and servers as `node` children with their stdout going to a log
 * file (as a container's would, so the bench process never spends CPU reading it), optionally pinned to a
 * CPU so the load generator and the server under test do not share a core. Each is ended by its PID.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

export interface BenchProcess {
  readonly name: string;
  readonly pid: number;
  readonly url: string;
  readonly logFile: string;
  /** Exit code once ended (null while running or when ended by a signal). */
  exitCode(): number | null;
  readonly exited: Promise<void>;
  /** Sends `signal` (default SIGTERM) to this PID and waits until it has ended (SIGKILL after 10 s). */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** True when `taskset` exists and the machine has at least two CPUs. */
export function canPin(): boolean {
  pinnable ??= cpus().length >= 2 && spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0;
  return pinnable;
}
let pinnable: boolean | undefined;

/** Pins every thread of `pid` to `cpuList` (`1`, `0-1`); a no-op without taskset or with one CPU. */
export function pin(pid: number, cpuList: number | string): void {
  if (!canPin()) return;
  spawnSync('taskset', ['-a', '-cp', String(cpuList), String(pid)], { stdio: 'ignore' });
}

export interface StartOptions {
  readonly name: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly port: number;
  /** Where stdout and stderr go. */
  readonly logDir: string;
  readonly cpu?: number;
  /** Node flags before the script, e.g. `--cpu-prof`. */
  readonly nodeFlags?: readonly string[];
  readonly cwd?: string;
}

export function startNode(options: StartOptions): BenchProcess {
  const logFile = join(options.logDir, `${options.name}.log`);
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), ...options.args], {
    env: { PATH: process.env.PATH ?? '', ...options.env, PORT: String(options.port) },
    stdio: ['ignore', fd, fd],
    ...(options.cwd !== undefined && { cwd: options.cwd }),
  });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`could not start ${options.name}`);
  if (options.cpu !== undefined) pin(child.pid, options.cpu);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ended = () => child.exitCode !== null || child.signalCode !== null;
  const pid = child.pid;
  return {
    name: options.name,
    pid,
    url: `http://127.0.0.1:${options.port}`,
    logFile,
    exitCode: () => child.exitCode,
    exited,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (ended()) return;
      process.kill(pid, signal);
      const done = await Promise.race([exited.then(() => true), delay(10_000, false)]);
      if (!done && !ended()) {
        process.kill(pid, 'SIGKILL');
        await exited;
      }
    },
  };
}

export function logTail(proc: BenchProcess, lines = 20): string {
  try {
    return readFileSync(proc.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Resolves once GET `path` answers 200; rejects with the log's tail when the process exits first or after `timeoutMs`. */
export async function waitForHttp(proc: BenchProcess, path = '/ready', timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void proc.exited.then(() => (exited = true));
  for (;;) {
    if (exited) throw new Error(`${proc.name} exited before it answered ${path}:\n${logTail(proc)}`);
    const ok = await fetch(`${proc.url}${path}`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) {
      await proc.stop('SIGKILL');
      throw new Error(`${proc.name} did not answer ${path} within ${timeoutMs} ms:\n${logTail(proc)}`);
    }
    await delay(100);
  }
}
