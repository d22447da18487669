import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildIfStale, checkFreshness, type BuildOptions } from './build-if-stale';

const repo = join(__dirname, '..', '..');

/** A project shaped like this repository's: include folders, a test exclude, build info under .cache. */
function makeTree(): string {
  const root = mkdtempSync(join(tmpdir(), 'build-if-stale-'));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write('package.json', '{"name":"fixture"}\n');
  write('tsconfig.json', JSON.stringify({ compilerOptions: { strict: true, outDir: 'dist', rootDir: '.' } }));
  write(
    'tsconfig.build.json',
    JSON.stringify({
      extends: './tsconfig.json',
      compilerOptions: { incremental: true, tsBuildInfoFile: '.cache/tsbuildinfo' },
      include: ['stacks', 'tools'],
      exclude: ['node_modules', 'dist', '**/*.test.ts', 'test'],
    }),
  );
  write('stacks/index.ts', 'export const a = 1;\n');
  write('tools/plan/cli.ts', 'export const b = 2;\n');
  write('services/common/src/jwt.ts', 'export const c = 3;\n');
  return root;
}

/** Stands in for tsc: emits dist/<source>.js for every included source and lists what it "read". */
function fakeCompile(calls: string[], status = 0): BuildOptions['compile'] {
  return (root) => {
    calls.push(root);
    if (status !== 0) return { status, output: 'error TS2322: broken\n' };
    for (const path of ['stacks/index.ts', 'tools/plan/cli.ts', 'services/common/src/jwt.ts']) {
      if (!existsSync(join(root, path))) continue;
      const out = join(root, 'dist', path.replace(/\.ts$/, '.js'));
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, '// compiled\n');
    }
    mkdirSync(join(root, '.cache'), { recursive: true });
    writeFileSync(
      join(root, '.cache', 'tsbuildinfo'),
      JSON.stringify({
        fileNames: [
          '../node_modules/typescript/lib/lib.es5.d.ts',
          '../stacks/index.ts',
          '../services/common/src/jwt.ts',
        ],
      }),
    );
    return { status: 0, output: '' };
  };
}

describe('build-if-stale', () => {
  let root: string;
  let calls: string[];
  const build = (options: BuildOptions = {}) =>
    buildIfStale(root, { compile: fakeCompile(calls), ...options });

  beforeEach(() => {
    root = makeTree();
    calls = [];
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('builds without a stamp, then skips the compiler while nothing changed', () => {
    expect(checkFreshness(root)).toEqual({ fresh: false, reason: 'no build stamp' });
    expect(build()).toMatchObject({ built: true, status: 0 });
    expect(checkFreshness(root)).toEqual({ fresh: true, reason: 'up to date' });
    expect(build()).toMatchObject({ built: false, status: 0, reason: 'up to date' });
    expect(calls).toHaveLength(1);
  });

  it('rebuilds after a one-line change, a touch, an added and a deleted source', () => {
    build();
    appendFileSync(join(root, 'stacks', 'index.ts'), '// one more line\n');
    expect(checkFreshness(root)).toEqual({ fresh: false, reason: 'stacks/index.ts changed' });
    build();
    expect(checkFreshness(root).fresh).toBe(true);

    // Same content and size, newer mtime (an editor saving the same text, a git checkout).
    const later = new Date(Date.now() + 5_000);
    utimesSync(join(root, 'tools', 'plan', 'cli.ts'), later, later);
    expect(checkFreshness(root)).toEqual({ fresh: false, reason: 'tools/plan/cli.ts changed' });
    build();

    writeFileSync(join(root, 'tools', 'plan', 'new-check.ts'), 'export const d = 4;\n');
    expect(checkFreshness(root)).toEqual({ fresh: false, reason: 'tools/plan/new-check.ts added' });
    build();

    rmSync(join(root, 'tools', 'plan', 'new-check.ts'));
    expect(checkFreshness(root)).toEqual({ fresh: false, reason: 'tools/plan/new-check.ts deleted' });
    build();
    expect(checkFreshness(root).fresh).toBe(true);
    expect(calls).toHaveLength(5);
  });

  it('ignores what the build excludes: tests, the test folder, node_modules', () => {
    build();
    writeFileSync(join(root, 'stacks', 'index.test.ts'), 'it("x", () => undefined);\n');
    mkdirSync(join(root, 'test'), { recursive: true });
    writeFileSync(join(root, 'test', 'helper.ts'), 'export {};\n');
    mkdirSync(join(root, 'tools', 'node_modules'), { recursive: true });
    writeFileSync(join(root, 'tools', 'node_modules', 'x.ts'), 'export {};\n');
    expect(checkFreshness(root)).toEqual({ fresh: true, reason: 'up to date' });
  });

  it('watches the files outside the include folders that the compiler read, and the tsconfig files', () => {
    build();
    appendFileSync(join(root, 'services', 'common', 'src', 'jwt.ts'), '// changed\n');
    expect(checkFreshness(root)).toEqual({ fresh: false, reason: 'services/common/src/jwt.ts changed' });
    build();
    appendFileSync(join(root, 'tsconfig.json'), '\n');
    expect(checkFreshness(root)).toEqual({ fresh: false, reason: 'tsconfig.json changed' });
    build();
    mkdirSync(join(root, 'node_modules'), { recursive: true });
    writeFileSync(join(root, 'node_modules', '.package-lock.json'), '{}');
    expect(checkFreshness(root)).toEqual({ fresh: false, reason: 'node_modules/.package-lock.json added' });
  });

  it('rebuilds from scratch when an output is missing (tsc --incremental would not re-emit it)', () => {
    build();
    rmSync(join(root, 'dist', 'tools', 'plan', 'cli.js'));
    expect(checkFreshness(root)).toEqual({
      fresh: false,
      reason: 'dist/tools/plan/cli.js missing',
      outputMissing: true,
    });
    let buildInfoDuringCompile = true;
    buildIfStale(root, {
      compile: (r, p) => {
        buildInfoDuringCompile = existsSync(join(r, '.cache', 'tsbuildinfo'));
        return fakeCompile(calls)?.(r, p) ?? { status: 1, output: '' };
      },
    });
    expect(buildInfoDuringCompile).toBe(false);
    expect(checkFreshness(root).fresh).toBe(true);
  });

  it('writes no stamp when the compile fails, so the next run compiles again', () => {
    build();
    appendFileSync(join(root, 'stacks', 'index.ts'), 'export const broken: number = "x";\n');
    const failed = buildIfStale(root, { compile: fakeCompile(calls, 2) });
    expect(failed).toMatchObject({ built: true, status: 2, output: 'error TS2322: broken\n' });
    expect(checkFreshness(root)).toEqual({ fresh: false, reason: 'no build stamp' });
  });

  it('runs from source with real tsc: compiles once, skips, compiles again after an edit', () => {
    symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'), 'dir');
    const script = join(__dirname, 'build-if-stale.ts');
    const run = () =>
      spawnSync(
        process.execPath,
        [
          '--experimental-strip-types',
          '--disable-warning=ExperimentalWarning',
          '--disable-warning=MODULE_TYPELESS_PACKAGE_JSON',
          script,
          '--root',
          root,
        ],
        { encoding: 'utf8' },
      );
    const first = run();
    expect(first.status).toBe(0);
    expect(first.stderr).toContain('[build] compiled tsconfig.build.json (no build stamp)');
    expect(readFileSync(join(root, 'dist', 'stacks', 'index.js'), 'utf8')).toContain('exports.a = 1');

    const second = run();
    expect(second).toMatchObject({ status: 0, stderr: '', stdout: '' });

    writeFileSync(join(root, 'stacks', 'index.ts'), 'export const a = 42;\n');
    const third = run();
    expect(third.stderr).toContain('(stacks/index.ts changed)');
    expect(readFileSync(join(root, 'dist', 'stacks', 'index.js'), 'utf8')).toContain('exports.a = 42');

    writeFileSync(join(root, 'stacks', 'index.ts'), 'export const a: number = "not a number";\n');
    const broken = run();
    expect(broken.status).not.toBe(0);
    expect(broken.stdout).toContain('TS2322');
    expect(run().status).not.toBe(0);
  }, 60_000);
});
