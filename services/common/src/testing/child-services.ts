/**
 * Services as real child processes for end-to-end tests and benchmarks: an entry file (and through it
 * @platform/common and the services) compiled once with tsc into a temporary directory, then one `node`
 * child per service on a loopback port, with exactly the environment given. Not part of the index.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

/** The repository: the first directory upwards with tsconfig.json and services/ (also from a compiled copy). */
function repositoryRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (
      existsSync(join(dir, 'tsconfig.json')) &&
      existsSync(join(dir, 'services', 'common', 'package.json'))
    ) {
      return dir;
    }
    if (dirname(dir) === dir) throw new Error(`no repository root above ${__dirname}`);
  }
}

export const repositoryDir = repositoryRoot();
const root = repositoryDir;
const LOG_LIMIT = 1024 * 1024;

export interface CompiledEntry {
  /** The compiled entry (.js). */
  readonly entry: string;
  remove(): void;
}

/**
 * Compiles `entryTs` (a path in this repository) into a temporary directory laid out like the repository:
 * node_modules/@platform/common links to the compiled library and services/common/node_modules to the
 * repository's (where the OpenTelemetry SDK is installed), the rest resolves from the root node_modules.
 */
export function compileEntry(entryTs: string): CompiledEntry {
  const dir = mkdtempSync(join(tmpdir(), 'child-services-'));
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
      files: [entryTs],
      include: [],
    }),
  );
  const tsc = require.resolve('typescript/bin/tsc');
  const build = spawnSync(process.execPath, [tsc, '-p', tsconfig], { encoding: 'utf8', timeout: 240_000 });
  const entry = join(out, relative(root, entryTs)).replace(/\.ts$/, '.js');
  const common = join(out, 'services', 'common', 'src');
  if (!existsSync(entry) || !existsSync(join(common, 'index.js'))) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`compiling ${entryTs} failed (tsc ${build.status}):\n${build.stdout}${build.stderr}`);
  }
  mkdirSync(join(out, 'node_modules', '@platform'), { recursive: true });
  symlinkSync(common, join(out, 'node_modules', '@platform', 'common'), 'dir');
  symlinkSync(
    join(root, 'services', 'common', 'node_modules'),
    join(out, 'services', 'common', 'node_modules'),
  );
  return { entry, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface ChildService {
  readonly name: string;
  readonly pid: number;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** Its stdout (pino JSON lines) so far. */
  stdout(): string;
  /** Its stdout and stderr. */
  logs(): string;
  /** Its exit code once it has ended (null while running or when ended by a signal). */
  exitCode(): number | null;
  /** Resolves when the process has ended. */
  readonly exited: Promise<void>;
  /** Signals this process only (by its PID) and waits until it has ended. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `node <entry> <name>` with `env` (plus PATH, NODE_PATH and PORT); does not wait for readiness. */
export function spawnService(
  compiled: CompiledEntry,
  name: string,
  port: number,
  env: Readonly<Record<string, string>>,
): ChildService {
  const child: ChildProcess = spawn(process.execPath, [compiled.entry, name], {
    env: { PATH: process.env.PATH ?? '', NODE_PATH: join(root, 'node_modules'), ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let all = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out = (out + chunk.toString('utf8')).slice(-LOG_LIMIT);
    all = (all + chunk.toString('utf8')).slice(-LOG_LIMIT);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    all = (all + chunk.toString('utf8')).slice(-LOG_LIMIT);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ended = () => child.exitCode !== null || child.signalCode !== null;
  return {
    name,
    pid: child.pid ?? -1,
    url: `http://127.0.0.1:${port}`,
    stdout: () => out,
    logs: () => all,
    exitCode: () => child.exitCode,
    exited,
    kill: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (!ended() && child.pid !== undefined) {
        process.kill(child.pid, signal);
        await exited;
      }
    },
  };
}

/** Resolves once GET /ready answers 200; fails (killing it) when it exits first or takes too long. */
export async function waitUntilReady(service: ChildService, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void service.exited.then(() => (exited = true));
  for (;;) {
    if (exited) throw new Error(`${service.name} exited before it was ready:\n${service.logs()}`);
    const ready = await fetch(`${service.url}/ready`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) return;
    if (Date.now() > deadline) {
      await service.kill('SIGKILL');
      throw new Error(`${service.name} was not ready within ${timeoutMs} ms:\n${service.logs()}`);
    }
    await delay(100);
  }
}
