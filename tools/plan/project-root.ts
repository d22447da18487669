import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root (the folder with Pulumi.yaml), found from source (ts-jest) or from dist/. */
export function projectRoot(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'Pulumi.yaml'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no Pulumi.yaml above ${from}`);
    dir = parent;
  }
  return dir;
}
