import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { PlanResource } from '../release/run-plan';
import { byPromotionOrder, diffEnvironment, type EnvironmentDiff } from './env-diff';

/** A plan out directory that cannot be compared: no such directory, or no plan in it. */
export class OutDirError extends Error {
  override readonly name = 'OutDirError';
}

/** The environments with a plan in `dir` (`<dir>/<env>/resources.json`). */
export function planEnvironments(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new OutDirError(
      `${dir}: no such directory (expected a plan out directory, e.g. out/ after "tools/run plan -- --all")`,
    );
  }
  const envs = readdirSync(dir).filter((e) => existsSync(join(dir, e, 'resources.json')));
  if (envs.length === 0) {
    throw new OutDirError(
      `${dir}: no <env>/resources.json in it (expected a plan out directory, e.g. out/ after "tools/run plan -- --all")`,
    );
  }
  return envs.sort(byPromotionOrder);
}

function readResources(dir: string, env: string): readonly PlanResource[] {
  const file = join(dir, env, 'resources.json');
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new OutDirError(`${file}: is not valid JSON (${(err as Error).message})`);
  }
  if (!Array.isArray(parsed))
    throw new OutDirError(`${file}: must be a list of resources, got ${typeof parsed}`);
  return parsed as PlanResource[];
}

/**
 * The diff of every environment planned in either directory (or only `only`), in promotion order. An
 * environment planned on one side only is reported as added or removed.
 */
export function diffOutDirs(base: string, head: string, only?: readonly string[]): EnvironmentDiff[] {
  const inBase = planEnvironments(base);
  const inHead = planEnvironments(head);
  const all = [...new Set([...inBase, ...inHead])].sort(byPromotionOrder);
  const unknown = (only ?? []).filter((e) => !all.includes(e));
  if (unknown.length > 0) {
    throw new OutDirError(
      `--env ${unknown.join(', ')}: not planned in ${base} or ${head} (planned: ${all.join(', ')})`,
    );
  }
  return all
    .filter((e) => only === undefined || only.length === 0 || only.includes(e))
    .map((env) =>
      diffEnvironment(
        env,
        inBase.includes(env) ? readResources(base, env) : undefined,
        inHead.includes(env) ? readResources(head, env) : undefined,
      ),
    );
}
