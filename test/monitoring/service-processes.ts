/**
 * Real service processes for the monitoring tests: service-process.ts and the services it imports compiled
 * once with tsc into a temporary directory, then one `node` child per service on a loopback port.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

const root = join(__dirname, '..', '..');
const LOG_LIMIT = 64 * 1024;

export interface CompiledServices {
  /** The compiled service-process.js. */
  readonly entry: string;
  readonly dir: string;
  remove(): void;
}

/**
 * Compiles service-process.ts (and through it @platform/common and the services) into a temporary directory.
 * The compiled code keeps `require('@platform/common')`, so the directory gets a node_modules/@platform/common
 * link to the compiled library; every other package resolves from the repository's node_modules (NODE_PATH).
 * Type errors are reported by typecheck; here only a missing output fails.
 */
export function compileServices(): CompiledServices {
  const dir = mkdtempSync(join(tmpdir(), 'monitoring-services-'));
  const out = join(dir, 'js');
  const tsconfig = join(dir, 'tsconfig.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: join(root, 'tsconfig.json'),
      compilerOptions: {
        rootDir: root,
        outDir: out,
        baseUrl: root,
        noEmit: false,
        sourceMap: false,
        declaration: false,
        incremental: false,
        types: ['node'],
        typeRoots: [join(root, 'node_modules', '@types')],
      },
      files: [join(root, 'test', 'monitoring', 'service-process.ts')],
      include: [],
    }),
  );
  const tsc = require.resolve('typescript/bin/tsc');
  const build = spawnSync(process.execPath, [tsc, '-p', tsconfig], { encoding: 'utf8', timeout: 180_000 });
  const entry = join(out, 'test', 'monitoring', 'service-process.js');
  const common = join(out, 'services', 'common', 'src');
  if (!existsSync(entry) || !existsSync(join(common, 'index.js'))) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`compiling the services failed (tsc ${build.status}):\n${build.stdout}${build.stderr}`);
  }
  mkdirSync(join(out, 'node_modules', '@platform'), { recursive: true });
  symlinkSync(common, join(out, 'node_modules', '@platform', 'common'), 'dir');
  return { entry, dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface ServiceProcess {
  readonly name: string;
  readonly pid: number;
  readonly port: number;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** Whether the process has ended. */
  exited(): boolean;
  /** Its stdout and stderr (the tail). */
  logs(): string;
  /** Sends a signal to this process only (its own PID) and waits until it has ended. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `node <entry> <name>` with exactly `env` (plus PATH and NODE_PATH) and resolves once GET /ready
 * answers 200. Fails at once, with its output, if the process exits first.
 */
export async function startService(
  compiled: CompiledServices,
  name: string,
  port: number,
  env: Readonly<Record<string, string>>,
  readyTimeoutMs = 20_000,
): Promise<ServiceProcess> {
  const child: ChildProcess = spawn(process.execPath, [compiled.entry, name], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_PATH: join(root, 'node_modules'),
      ...env,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const append = (chunk: Buffer) => {
    log = (log + chunk.toString('utf8')).slice(-LOG_LIMIT);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ended = () => child.exitCode !== null || child.signalCode !== null;
  const url = `http://127.0.0.1:${port}`;
  const kill = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (!ended()) {
      child.kill(signal);
      await exit;
    }
  };
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (ended()) {
      throw new Error(
        `${name} exited (code ${child.exitCode}, signal ${child.signalCode}) before ready:\n${log}`,
      );
    }
    const ready = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      await kill('SIGKILL');
      throw new Error(`${name} was not ready at ${url}/ready within ${readyTimeoutMs} ms:\n${log}`);
    }
    await delay(100);
  }
  return {
    name,
    pid: child.pid ?? -1,
    port,
    url,
    exited: ended,
    logs: () => log,
    kill,
  };
}
