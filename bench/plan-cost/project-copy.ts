import { appendFileSync, cpSync, mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** What a copy leaves out: history, plans, the Node toolchain (tools/run uses the machine's Node 22). */
const SKIPPED = new Set(['.git', 'out', join('.cache', 'node22'), join('.cache', 'compile.lock')]);

/**
 * Copies the working tree (as it is, other sessions' edits included) with dist/ and .cache/ so the copy starts
 * warm; node_modules folders become links to the originals. The benchmark edits the copy, never the repo.
 */
export function copyProject(root: string, dest: string): void {
  const links: string[] = [];
  mkdirSync(dest, { recursive: true });
  cpSync(root, dest, {
    recursive: true,
    preserveTimestamps: true,
    filter: (source) => {
      const rel = relative(root, source);
      if (rel === '') return true;
      if (SKIPPED.has(rel)) return false;
      if (/(^|[\\/])node_modules$/.test(rel)) {
        links.push(rel);
        return false;
      }
      return true;
    },
  });
  for (const rel of links) {
    mkdirSync(dirname(join(dest, rel)), { recursive: true });
    symlinkSync(join(root, rel), join(dest, rel), 'dir');
  }
}

/** A one-line TypeScript change in the copy: a comment appended to a module the program imports. */
export function editOneLine(copy: string, round: number): string {
  const file = join('stacks', 'environment.ts');
  appendFileSync(join(copy, file), `// plan-cost benchmark edit ${round}\n`);
  return file;
}
