import type { Headline } from './headlines';
import type { EnvironmentDiff } from './env-diff';
import type { FieldChange, PlanDiff } from './object-diff';

/** What a hidden (secret) value change reads as, in every format. */
export const HIDDEN = 'changed (value hidden)';

/** A value as one line, long ones cut in the middle. */
export function show(value: unknown, max = 160): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max - 70)}…${text.slice(-60)}` : text;
}

/** One field change: `path: before -> after`, `+ path: value`, `- path: value`, or hidden. */
export function fieldLine(f: FieldChange): string {
  if (f.hidden)
    return `${f.change === 'changed' ? '' : f.change === 'added' ? '+ ' : '- '}${f.path}: ${HIDDEN}`;
  if (f.change === 'added') return `+ ${f.path}: ${show(f.after)}`;
  if (f.change === 'removed') return `- ${f.path}: ${show(f.before)}`;
  return `${f.path}: ${show(f.before)} -> ${show(f.after)}`;
}

/** The field-level changes of an environment: `~` changed objects with their fields, `+` added, `-` removed. */
export function changeLines(e: EnvironmentDiff): string[] {
  const lines: string[] = [];
  for (const { id, fields } of e.diff.changed) {
    lines.push(`~ ${id}`);
    for (const f of fields) lines.push(`    ${fieldLine(f)}`);
  }
  for (const id of e.diff.added) lines.push(`+ ${id}`);
  for (const id of e.diff.removed) lines.push(`- ${id}`);
  return lines;
}

/** `3 changed, 1 added, 0 removed (412 unchanged)`, or what the environment's status says. */
export function countsLine(e: EnvironmentDiff): string {
  const d = e.diff;
  if (e.status === 'added') return `new environment: ${d.added.length} objects and resources`;
  if (e.status === 'removed') return `environment removed: ${d.removed.length} objects and resources`;
  if (e.status === 'unchanged') return `no change (${d.unchanged} objects and resources compared)`;
  return `${d.changed.length} changed, ${d.added.length} added, ${d.removed.length} removed (${d.unchanged} unchanged)`;
}

/** `1 image, 2 replicas`: the headline topics and how many of each. */
export function topicCounts(hs: readonly Headline[]): string {
  const counts = new Map<string, number>();
  for (const h of hs) counts.set(h.topic, (counts.get(h.topic) ?? 0) + 1);
  return [...counts].map(([t, n]) => `${n} ${t}`).join(', ');
}

/** A headline as plain text: `image: argoproj.io Rollout apps/order, container order: a -> b`. */
export function headlineText(h: Headline): string {
  const change =
    h.before !== undefined || h.after !== undefined ? `: ${h.before ?? ''} -> ${h.after ?? ''}` : '';
  return `${h.topic}: ${h.object}, ${h.what}${change}${h.alarm ? `  !! ${h.alarm}` : ''}`;
}

/** One stack's diff as lines for a terminal (tools/release prints it under the release). */
export function formatPlanDiff(diff: PlanDiff): string[] {
  const total = diff.added.length + diff.removed.length + diff.changed.length;
  const head =
    total === 0
      ? `no change to the plan (${diff.unchanged} objects and resources compared)`
      : `${diff.changed.length} changed, ${diff.added.length} added, ${diff.removed.length} removed ` +
        `(${diff.unchanged} unchanged)`;
  return [head, ...changeLines({ env: '', status: 'changed', diff, headlines: [] }).map((l) => `  ${l}`)];
}
