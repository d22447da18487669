/**
 * `node --experimental-strip-types tools/build/build-if-stale.ts [--root DIR] [--project tsconfig.build.json]`:
 * compiles the project into dist/ only when a source changed since the last successful build. A no-op check
 * takes milliseconds where `tsc` with nothing to do takes ~5 s (it still type-checks the whole program).
 *
 * Runs straight from source (Node strips the types) because it has to run before anything is compiled; so it
 * imports only Node's built-ins. The plan, build and drill npm scripts and the jest helper ensureCompiled use it.
 *
 * Never a stale dist: the stamp written after a successful build records the size and mtime of every input
 * (the include folders' sources, the files outside them that the compiler read, the tsconfig and package
 * files, the installed dependency tree), and a check fails on any changed, added or deleted input, or on a
 * missing output. A missing output also drops the incremental build info, which would otherwise make tsc
 * skip re-emitting the file.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

export interface BuildOptions {
  /** The tsconfig that builds dist/, relative to the root. */
  readonly project?: string;
  /** Where the stamp is written, relative to the root. */
  readonly stampFile?: string;
  /** Builds even when up to date. */
  readonly force?: boolean;
  /** Replaces the compiler run (tests): returns the exit status and its output. */
  readonly compile?: (root: string, project: string) => { status: number; output: string };
}

export interface Freshness {
  readonly fresh: boolean;
  /** Why a build is needed ("stacks/index.ts changed"), or "up to date". */
  readonly reason: string;
  /** A compiled file is gone (tsc's incremental mode would not re-emit it). */
  readonly outputMissing?: boolean;
}

export interface BuildOutcome extends Freshness {
  readonly built: boolean;
  /** 0 when dist/ is up to date (built or not), else the compiler's exit status. */
  readonly status: number;
  readonly output: string;
}

const DEFAULT_PROJECT = 'tsconfig.build.json';
const DEFAULT_STAMP = join('.cache', 'build-stamp.json');
const STAMP_FORMAT = 1;
/** Inputs outside the include folders: compiler settings and the installed packages (their .d.ts files). */
const FIXED_INPUTS = [
  'tsconfig.json',
  'package.json',
  'package-lock.json',
  'node_modules/.package-lock.json',
];
const SOURCE = /\.(ts|tsx|mts|cts|json)$/;
const LOCK_STALE_MS = 5 * 60_000;

interface ProjectShape {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly outDir: string;
  readonly buildInfo: string | undefined;
}

interface Stamp {
  readonly format: number;
  readonly project: string;
  /** Root-relative path -> "size:mtimeMs". */
  readonly inputs: Record<string, string>;
}

function readProject(root: string, project: string): ProjectShape {
  const read = (file: string): Record<string, unknown> =>
    JSON.parse(readFileSync(join(root, file), 'utf8')) as Record<string, unknown>;
  const config = read(project);
  const base = typeof config.extends === 'string' ? read(config.extends) : {};
  const options = {
    ...(base.compilerOptions as Record<string, unknown> | undefined),
    ...(config.compilerOptions as Record<string, unknown> | undefined),
  };
  const list = (value: unknown): string[] =>
    Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  return {
    include: list(config.include ?? base.include),
    exclude: list(config.exclude ?? base.exclude),
    outDir: typeof options.outDir === 'string' ? options.outDir : 'dist',
    buildInfo: typeof options.tsBuildInfoFile === 'string' ? options.tsBuildInfoFile : undefined,
  };
}

/**
 * The exclude forms the tsconfig files use: a root-relative folder (`test`), a folder anywhere (`**\/dist`) and a
 * file suffix (`**\/*.test.ts`).
 */
function excluded(path: string, exclude: readonly string[]): boolean {
  return exclude.some((pattern) => {
    if (pattern.startsWith('**/*')) return path.endsWith(pattern.slice('**/*'.length));
    if (pattern.startsWith('**/')) return path.split('/').includes(pattern.slice('**/'.length));
    const name = pattern.replace(/^\.\//, '').replace(/\/$/, '');
    return path === name || path.startsWith(`${name}/`);
  });
}

/** Root-relative paths (with `/`) of the source files under the include folders. */
function includedSources(root: string, shape: ProjectShape): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(join(root, dir), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = dir === '' ? entry.name : `${dir}/${entry.name}`;
      if (entry.name === 'node_modules' || excluded(path, shape.exclude)) continue;
      if (entry.isDirectory()) walk(path);
      else if (SOURCE.test(entry.name)) found.push(path);
    }
  };
  for (const include of shape.include) {
    const dir = include.replace(/\/\*\*.*$/, '').replace(/\/$/, '');
    walk(dir);
  }
  return found.sort();
}

/** The project files outside node_modules that the last compile read (tsc's incremental build info). */
function compiledFiles(root: string, shape: ProjectShape): string[] {
  if (shape.buildInfo === undefined) return [];
  const file = join(root, shape.buildInfo);
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as { fileNames?: unknown };
    if (!Array.isArray(info.fileNames)) return [];
    return info.fileNames
      .filter((f): f is string => typeof f === 'string' && !f.includes('node_modules/'))
      .map((f) =>
        relative(root, resolve(dirname(file), f))
          .split(sep)
          .join('/'),
      )
      .filter((f) => !f.startsWith('..'));
  } catch {
    return [];
  }
}

function signature(root: string, path: string): string {
  try {
    const s = statSync(join(root, path));
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

/** Where tsc writes a source's JavaScript; undefined for files with no output of their own. */
function outputOf(path: string, outDir: string): string | undefined {
  if (path.endsWith('.d.ts') || !/\.(ts|tsx|mts|cts)$/.test(path)) return undefined;
  return `${outDir}/${path
    .replace(/\.tsx?$/, '.js')
    .replace(/\.mts$/, '.mjs')
    .replace(/\.cts$/, '.cjs')}`;
}

function readStamp(file: string): Stamp | undefined {
  try {
    const stamp = JSON.parse(readFileSync(file, 'utf8')) as Stamp;
    return stamp.format === STAMP_FORMAT && typeof stamp.inputs === 'object' ? stamp : undefined;
  } catch {
    return undefined;
  }
}

/** Whether dist/ reflects the sources, and if not the first reason found. */
export function checkFreshness(root: string, options: BuildOptions = {}): Freshness {
  const project = options.project ?? DEFAULT_PROJECT;
  const stamp = readStamp(join(root, options.stampFile ?? DEFAULT_STAMP));
  if (stamp === undefined || stamp.project !== project) return { fresh: false, reason: 'no build stamp' };
  const shape = readProject(root, project);
  const sources = includedSources(root, shape);
  for (const path of sources) {
    if (!(path in stamp.inputs)) return { fresh: false, reason: `${path} added` };
  }
  for (const [path, recorded] of Object.entries(stamp.inputs)) {
    const now = signature(root, path);
    if (now !== recorded) {
      const what = now === 'missing' ? 'deleted' : recorded === 'missing' ? 'added' : 'changed';
      return { fresh: false, reason: `${path} ${what}` };
    }
  }
  for (const path of sources) {
    const output = outputOf(path, shape.outDir);
    if (output !== undefined && !existsSync(join(root, output))) {
      return { fresh: false, reason: `${output} missing`, outputMissing: true };
    }
  }
  return { fresh: true, reason: 'up to date' };
}

function runTsc(root: string, project: string): { status: number; output: string } {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', join(root, project)], { cwd: root, encoding: 'utf8' });
  return { status: run.status ?? 1, output: `${run.stdout ?? ''}${run.stderr ?? ''}` };
}

function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Runs `fn` holding `.cache/compile.lock`, so two processes never write dist/ at once; a lock left by a killed run is taken over. */
function withLock<T>(root: string, fn: () => T): T {
  const lock = join(root, '.cache', 'compile.lock');
  mkdirSync(dirname(lock), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      try {
        if (Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS)
          rmSync(lock, { recursive: true, force: true });
      } catch {
        // released meanwhile
      }
      pause(200);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Compiles `root` when checkFreshness says so (or `force`), then records the inputs. The inputs are stat'ed
 * before the compile, so a file edited while tsc runs makes the next check fail rather than pass.
 */
export function buildIfStale(root: string, options: BuildOptions = {}): BuildOutcome {
  const project = options.project ?? DEFAULT_PROJECT;
  const stampFile = join(root, options.stampFile ?? DEFAULT_STAMP);
  return withLock(root, () => {
    const freshness = checkFreshness(root, options);
    if (freshness.fresh && options.force !== true)
      return { ...freshness, built: false, status: 0, output: '' };
    const shape = readProject(root, project);
    const before = new Map<string, string>();
    const note = (path: string) => {
      if (!before.has(path)) before.set(path, signature(root, path));
    };
    [...includedSources(root, shape), ...compiledFiles(root, shape), project, ...FIXED_INPUTS].forEach(note);
    // tsc --incremental does not notice a deleted output; without its build info it emits everything.
    if (freshness.outputMissing === true && shape.buildInfo !== undefined) {
      rmSync(join(root, shape.buildInfo), { force: true });
    }
    rmSync(stampFile, { force: true });
    const compile = options.compile ?? runTsc;
    const result = compile(root, project);
    if (result.status !== 0) return { ...freshness, built: true, ...result };
    // Files outside the include folders that this compile read for the first time.
    compiledFiles(root, shape).forEach(note);
    // A missing input is recorded as such: its appearance is a change too.
    const inputs = Object.fromEntries([...before].sort(([a], [b]) => a.localeCompare(b)));
    mkdirSync(dirname(stampFile), { recursive: true });
    writeFileSync(stampFile, `${JSON.stringify({ format: STAMP_FORMAT, project, inputs }, null, 1)}\n`);
    return { ...freshness, built: true, ...result };
  });
}

function main(argv: readonly string[]): number {
  let root = process.cwd();
  let project = DEFAULT_PROJECT;
  let force = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--root' || arg === '--project') {
      const value = argv[++i];
      if (value === undefined) {
        process.stderr.write(`build-if-stale: ${arg} needs a value\n`);
        return 2;
      }
      if (arg === '--root') root = resolve(value);
      else project = value;
    } else if (arg === '--force') force = true;
    else {
      process.stderr.write(
        `build-if-stale: unknown argument "${String(arg)}"; allowed: --root DIR, --project FILE, --force\n`,
      );
      return 2;
    }
  }
  const outcome = buildIfStale(root, { project, force });
  if (outcome.built) process.stderr.write(`[build] compiled ${project} (${outcome.reason})\n`);
  process.stdout.write(outcome.output);
  return outcome.status;
}

// Only when run as a script (by its source path); jest and dist/ import it.
if (/[\\/]build-if-stale\.ts$/.test(process.argv[1] ?? '')) process.exitCode = main(process.argv.slice(2));
