import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The compiled synthetic program (fixture-program.ts) in the repository's dist/ (from dist/ and ts-jest alike). */
export function fixtureProgram(root: string): string {
  return join(root, 'dist', 'bench', 'plan-cost', 'fixture-program.js');
}
export const FIXTURE_STACK = 'dev';

/** Writes a project root for the plan's `--root`: Pulumi.yaml and a stack file asking for `services`. */
export function writeFixtureRoot(dir: string, services: number): void {
  writeFileSync(join(dir, 'Pulumi.yaml'), 'name: plan-cost-fixture\nruntime: nodejs\n');
  writeFileSync(join(dir, `Pulumi.${FIXTURE_STACK}.yaml`), `config:\n  bench:services: "${services}"\n`);
}

/** Kubernetes objects in a written plan: resources whose inputs have apiVersion, kind and metadata. */
export function countObjects(planDir: string): number {
  const resources = JSON.parse(readFileSync(join(planDir, 'resources.json'), 'utf8')) as {
    inputs?: Record<string, unknown>;
  }[];
  return resources.filter(
    (r) =>
      typeof r.inputs?.apiVersion === 'string' &&
      typeof r.inputs.kind === 'string' &&
      typeof r.inputs.metadata === 'object',
  ).length;
}
