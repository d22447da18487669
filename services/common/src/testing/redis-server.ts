import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { freePort } from './free-port';

/** A redis-server or redis-sentinel process started for a test, on 127.0.0.1. */
export interface RedisTestProcess {
  readonly host: string;
  readonly port: number;
  readonly pid: number;
  /** `redis://[:password@]127.0.0.1:<port>` (data nodes). */
  readonly url: string;
  /** Stops the process by its PID (SIGTERM, SIGKILL after 5 s) and removes its directory. Idempotent. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

/** Sends PING (after AUTH) on a fresh socket; true when the answer is +PONG. */
function pings(port: number, password: string | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: HOST, port });
    let answer = '';
    const finish = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => finish(false));
    socket.on('error', () => finish(false));
    socket.on('connect', () => {
      const auth = password === undefined ? '' : `AUTH ${JSON.stringify(password)}\r\n`;
      socket.write(`${auth}PING\r\n`);
    });
    socket.on('data', (chunk) => {
      answer += chunk.toString();
      if (answer.includes('+PONG')) finish(true);
      else if (answer.includes('-')) finish(false);
    });
  });
}

function logTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-10).join('\n');
  } catch {
    return '(no log)';
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  // Never spawned (no PID) or already gone: nothing to stop.
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const outcome = await Promise.race([exited.then(() => 'exited'), delay(5000, 'timeout', { ref: false })]);
  if (outcome === 'timeout') {
    child.kill('SIGKILL');
    await exited;
  }
}

/**
 * Spawns `command args` (which must listen on `port`), waits until it answers PING, and returns a handle.
 * Rejects with the log's tail when it exits or does not answer within 10 s.
 */
async function launch(
  command: string,
  args: (port: number, dir: string) => string[],
  options: { port?: number; password?: string },
): Promise<RedisTestProcess> {
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort(HOST));
    const dir = mkdtempSync(join(tmpdir(), `${command}-`));
    const logFile = join(dir, 'log');
    const child = spawn(command, args(port, dir), { stdio: 'ignore' });
    // Plain promises, not events.once: that one rejects on 'error', which must be reported as ours.
    const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const cleanup = async (): Promise<void> => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    };

    const deadline = Date.now() + 10_000;
    let failure: string | undefined;
    for (;;) {
      const state = await Promise.race([
        spawnError.then((err) => `could not start ${command}: ${err.message} (is it installed and on PATH?)`),
        exited.then(() => `${command} exited at start:\n${logTail(logFile)}`),
        pings(port, options.password).then((ok) => (ok ? 'up' : 'down')),
      ]);
      if (state === 'up') break;
      if (state !== 'down') {
        failure = state;
        break;
      }
      if (Date.now() > deadline) {
        failure = `${command} did not answer PING on ${HOST}:${port} within 10 s:\n${logTail(logFile)}`;
        break;
      }
      await delay(50);
    }
    if (failure === undefined) {
      const auth = options.password === undefined ? '' : `:${encodeURIComponent(options.password)}@`;
      let stopped: Promise<void> | undefined;
      return {
        host: HOST,
        port,
        pid: child.pid!,
        url: `redis://${auth}${HOST}:${port}`,
        stop: () => (stopped ??= cleanup()),
      };
    }
    await cleanup();
    // Another process may have taken the free port between probing and binding: try another one.
    if (options.port !== undefined || attempt >= 3 || !failure.includes('Address already in use')) {
      throw new Error(failure);
    }
  }
}

/**
 * Starts a throwaway redis-server on 127.0.0.1 (a free port unless `port` is given) without persistence,
 * for tests of Redis adapters: `const redis = await startRedisServer(); ... await redis.stop();`.
 * `dataDir` starts it on existing data instead (a restore test: `dump.rdb`, or with `appendonly` the
 * multi-part AOF in `appendonlydir/`); it resolves once the data is loaded, and `stop` leaves that directory.
 */
export function startRedisServer(
  options: { port?: number; password?: string; dataDir?: string; appendonly?: boolean } = {},
): Promise<RedisTestProcess> {
  const password = options.password;
  return launch(
    'redis-server',
    (port, dir) => [
      '--port',
      String(port),
      '--bind',
      HOST,
      '--save',
      '',
      '--appendonly',
      options.appendonly === true ? 'yes' : 'no',
      '--dir',
      options.dataDir ?? dir,
      '--logfile',
      join(dir, 'log'),
      ...(password === undefined ? [] : ['--requirepass', password, '--masterauth', password]),
    ],
    options,
  );
}

/**
 * Starts a redis-sentinel on 127.0.0.1 monitoring `master` as `masterName` (default `mymaster`), with
 * `password` for the master and for the sentinel itself, as the platform runs it.
 */
export function startRedisSentinel(options: {
  master: { readonly host: string; readonly port: number };
  masterName?: string;
  password?: string;
}): Promise<RedisTestProcess> {
  const name = options.masterName ?? 'mymaster';
  const { password } = options;
  return launch(
    'redis-sentinel',
    (port, dir) => {
      // Sentinel rewrites its config file, so it needs its own writable copy.
      const config = join(dir, 'sentinel.conf');
      const lines = [
        `port ${port}`,
        `bind ${HOST}`,
        `dir ${dir}`,
        `logfile ${join(dir, 'log')}`,
        `sentinel monitor ${name} ${options.master.host} ${options.master.port} 1`,
        `sentinel down-after-milliseconds ${name} 5000`,
        ...(password === undefined
          ? []
          : [`sentinel auth-pass ${name} ${password}`, `requirepass ${password}`]),
      ];
      writeFileSync(config, `${lines.join('\n')}\n`);
      return [config];
    },
    { ...(password !== undefined && { password }) },
  );
}
