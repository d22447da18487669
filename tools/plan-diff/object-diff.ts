/**
 * The structural diff of two plans of one stack: which objects and resources were added, removed or changed,
 * and for a changed one which field paths changed from what to what. Equivalent values are no change (see
 * normalise.ts); secret values are never carried into the result, only that they changed.
 */
import { isDeepStrictEqual } from 'node:util';
import type { PlanResource } from '../release/run-plan';
import { indexResources } from './identity';
import { canonical, isDict, keyedItems, listRule, sameText } from './normalise';
import { isSecretPath } from './secrets';

export interface FieldChange {
  /** e.g. `spec.template.spec.containers[name=order].image`; `[]` ends the path of a set-like list's item. */
  readonly path: string;
  readonly change: 'changed' | 'added' | 'removed';
  /** Absent when the field was added, or hidden. */
  readonly before?: unknown;
  /** Absent when the field was removed, or hidden. */
  readonly after?: unknown;
  /** Secret material: the values were dropped. */
  readonly hidden?: true;
}

export interface ChangedObject {
  readonly id: string;
  readonly fields: readonly FieldChange[];
}

export interface PlanDiff {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly ChangedObject[];
  readonly unchanged: number;
}

type Dict = Record<string, unknown>;
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const keyPath = (path: string, k: string) =>
  IDENT.test(k) ? (path === '' ? k : `${path}.${k}`) : `${path}[${JSON.stringify(k)}]`;

interface Context {
  /** The name of the field holding the value (for lists: which rule applies). */
  readonly field?: string;
  /** The kind of the enclosing Kubernetes object. */
  readonly kind?: string;
}

const changed = (path: string, before: unknown, after: unknown): FieldChange => ({
  path,
  change: 'changed',
  before,
  after,
});
const added = (path: string, after: unknown): FieldChange => ({ path, change: 'added', after });
const removed = (path: string, before: unknown): FieldChange => ({ path, change: 'removed', before });

/** Field-level changes between two values, deepest differing paths only. */
export function diffValues(before: unknown, after: unknown, path = '', ctx: Context = {}): FieldChange[] {
  if (isDeepStrictEqual(before, after)) return [];
  if (typeof before === 'string' && typeof after === 'string') {
    return sameText(before, after) ? [] : [changed(path, before, after)];
  }
  if (isDict(before) && isDict(after)) {
    // The object's own kind (top level), not a reference's (`scaleTargetRef.kind`).
    const kind = path === '' && typeof after.kind === 'string' ? after.kind : ctx.kind;
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffEntry(before, after, k, keyPath(path, k), { field: k, kind }));
  }
  if (Array.isArray(before) && Array.isArray(after)) return diffLists(before, after, path, ctx);
  return [changed(path, before, after)];
}

function diffLists(before: unknown[], after: unknown[], path: string, ctx: Context): FieldChange[] {
  const rule = listRule(ctx.field, ctx.kind);
  const itemCtx = { kind: ctx.kind };
  if (rule?.by === 'key') {
    const b = keyedItems(before, rule);
    const a = keyedItems(after, rule);
    if (b && a) {
      const labels = [...new Set([...b.keys(), ...a.keys()])].sort();
      return labels.flatMap((l) => diffEntry(b, a, l, `${path}[${l}]`, itemCtx));
    }
  }
  if (rule !== undefined) {
    // A set (or a keyed list whose keys are missing or repeated): items compared whole, as multisets.
    const count = (items: unknown[]) => {
      const m = new Map<string, unknown[]>();
      for (const item of items) {
        const c = canonical(item, undefined, ctx.kind);
        m.set(c, [...(m.get(c) ?? []), item]);
      }
      return m;
    };
    const b = count(before);
    const a = count(after);
    const out: FieldChange[] = [];
    for (const c of [...new Set([...b.keys(), ...a.keys()])].sort()) {
      const was = b.get(c) ?? [];
      const now = a.get(c) ?? [];
      for (const item of was.slice(now.length)) out.push(removed(`${path}[]`, item));
      for (const item of now.slice(was.length)) out.push(added(`${path}[]`, item));
    }
    return out;
  }
  const out: FieldChange[] = [];
  for (let i = 0; i < Math.max(before.length, after.length); i++) {
    const p = `${path}[${i}]`;
    if (i >= after.length) out.push(removed(p, before[i]));
    else if (i >= before.length) out.push(added(p, after[i]));
    else out.push(...diffValues(before[i], after[i], p, itemCtx));
  }
  return out;
}

function diffEntry(
  before: Dict | Map<string, unknown>,
  after: Dict | Map<string, unknown>,
  k: string,
  path: string,
  ctx: Context,
): FieldChange[] {
  const get = (c: Dict | Map<string, unknown>) => (c instanceof Map ? c.get(k) : c[k]);
  const has = (c: Dict | Map<string, unknown>) => (c instanceof Map ? c.has(k) : Object.hasOwn(c, k));
  if (!has(after)) return [removed(path, get(before))];
  if (!has(before)) return [added(path, get(after))];
  return diffValues(get(before), get(after), path, ctx);
}

/** Drops the values of secret fields, keeping the path and the kind of change. */
function hideSecrets(r: PlanResource, changes: FieldChange[]): FieldChange[] {
  return changes.map((c) =>
    isSecretPath(r, c.path, c.before, c.after) ? { path: c.path, change: c.change, hidden: true } : c,
  );
}

/** The field changes of one resource present in both plans. */
export function diffResource(before: PlanResource, after: PlanResource): FieldChange[] {
  const fields = diffValues(before.inputs, after.inputs);
  return hideSecrets(after, hideSecrets(before, fields));
}

/** Compares two plans of one stack. */
export function diffPlans(before: readonly PlanResource[], after: readonly PlanResource[]): PlanDiff {
  const b = indexResources(before);
  const a = indexResources(after);
  const addedIds = [...a.keys()].filter((id) => !b.has(id)).sort();
  const removedIds = [...b.keys()].filter((id) => !a.has(id)).sort();
  const changedObjects: ChangedObject[] = [];
  let unchanged = 0;
  for (const id of [...b.keys()].sort()) {
    const old = b.get(id);
    const now = a.get(id);
    if (old === undefined || now === undefined) continue;
    const fields = diffResource(old, now);
    if (fields.length === 0) unchanged++;
    else changedObjects.push({ id, fields });
  }
  return { added: addedIds, removed: removedIds, changed: changedObjects, unchanged };
}
