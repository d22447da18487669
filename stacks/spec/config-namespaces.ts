import { CONFIG_NAMESPACE } from './config-namespace';
import type { ConfigProblem } from './config-error';

/**
 * Config namespaces other than ours that a stack file may use: Pulumi's own and those of the providers the
 * program loads. Anything else is a typo (`platfrom:`, `Platform:`) that would silently drop a section.
 */
export const FOREIGN_NAMESPACES = ['pulumi', 'kubernetes', 'aws', 'eks', 'random'] as const;

/** Levenshtein distance, for did-you-mean suggestions on short names. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        (prev[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/** The closest allowed name, when one is close enough to be what was meant. */
export function closest(name: string, allowed: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const candidate of allowed) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance <= Math.max(1, Math.floor(candidate.length / 3)) && (!best || distance < best.distance)) {
      best = { name: candidate, distance };
    }
  }
  return best?.name;
}

/** Refuses fully qualified keys (`ns:key`) in namespaces that nothing reads. */
export function checkForeignKeys(keys: readonly string[]): ConfigProblem[] {
  const allowed = [CONFIG_NAMESPACE, ...FOREIGN_NAMESPACES];
  const problems: ConfigProblem[] = [];
  for (const key of [...keys].sort()) {
    const colon = key.indexOf(':');
    const namespace = colon === -1 ? '' : key.slice(0, colon);
    if ((allowed as readonly string[]).includes(namespace)) continue;
    const suggestion = closest(namespace, allowed);
    const rest = key.slice(colon + 1);
    problems.push({
      path: key,
      message:
        `unknown config namespace "${namespace}": nothing reads it, so the key would be ignored` +
        (suggestion ? ` (did you mean "${suggestion}:${rest}"?)` : '') +
        `; allowed namespaces: ${allowed.join(', ')}`,
    });
  }
  return problems;
}
