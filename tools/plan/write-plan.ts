import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import type { PlannedObject, StackPlan } from './plan-stack';

/** Where an object's YAML goes: one folder per namespace (`_cluster` for cluster-scoped objects). */
export function manifestPath(o: PlannedObject['object']): string {
  const folder = o.metadata.namespace ?? '_cluster';
  return join(folder, `${o.kind.toLowerCase()}-${o.metadata.name}.yaml`);
}

/** Stable text: keys sorted, so two runs give byte-identical files whatever the declaration order. */
function toYaml(value: unknown): string {
  return stringify(value, { sortMapEntries: true, lineWidth: 0 });
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/**
 * Writes `<outDir>/resources.json` and `<outDir>/manifests/**`. The new plan is written beside the old one
 * and swapped in at the end, so a failed run never leaves a half-written plan behind.
 */
export function writePlan(plan: StackPlan, outDir: string): { files: number } {
  const staging = `${outDir}.staging-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(join(staging, 'manifests'), { recursive: true });
  const resources = plan.resources.map((r) => ({
    type: r.type,
    name: r.name,
    ...(r.parent !== undefined && { parent: r.parent }),
    ...(r.dependsOn !== undefined && { dependsOn: r.dependsOn }),
    ...(r.ignoreChanges !== undefined && { ignoreChanges: r.ignoreChanges }),
    inputs: sortKeys(r.inputs),
  }));
  writeFileSync(join(staging, 'resources.json'), `${JSON.stringify(resources, null, 2)}\n`);
  const folders = new Set<string>();
  for (const { object } of plan.objects) {
    const file = join(staging, 'manifests', manifestPath(object));
    const folder = dirname(file);
    // One mkdir per namespace folder, not per file (a plan of 2,000 objects has a handful of folders).
    if (!folders.has(folder)) mkdirSync(folder, { recursive: true });
    folders.add(folder);
    writeFileSync(file, toYaml(object));
  }
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(dirname(outDir), { recursive: true });
  renameSync(staging, outDir);
  return { files: plan.objects.length + 1 };
}
