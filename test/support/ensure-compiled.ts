import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const STALE_LOCK_MS = 5 * 60_000;

function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Compiles the project into dist/ once per jest run, for the tests that run the compiled plan CLI. Jest's
 * workers share a parent process, so a stamp named after it tells a later worker the build is done; a lock
 * directory keeps two workers from writing dist/ at the same time (one would read half-written files).
 */
export function ensureCompiled(): void {
  const dist = join(root, 'dist');
  const stamp = join(dist, `.compiled-for-${process.ppid}`);
  const lock = join(root, '.cache', 'compile.lock');
  mkdirSync(join(root, '.cache'), { recursive: true });
  for (;;) {
    if (existsSync(stamp)) return;
    try {
      mkdirSync(lock);
    } catch {
      // Held by another worker; a lock left by a killed run is taken over.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS)
        rmSync(lock, { recursive: true, force: true });
      pause(250);
      continue;
    }
    try {
      if (existsSync(stamp)) return;
      const tsc = require.resolve('typescript/bin/tsc');
      const build = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], {
        encoding: 'utf8',
      });
      if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}${build.stderr}`);
      mkdirSync(dist, { recursive: true });
      for (const old of readdirSync(dist).filter((f) => f.startsWith('.compiled-for-'))) {
        rmSync(join(dist, old), { force: true });
      }
      writeFileSync(stamp, `${new Date().toISOString()}\n`);
      return;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}
