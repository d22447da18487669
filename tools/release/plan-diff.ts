import { isDeepStrictEqual } from 'node:util';
import type { PlanResource } from './run-plan';

/**
 * A small structural diff of two offline plans: which objects were added, removed or changed, and for a
 * changed one, which field paths changed from what to what. Kubernetes objects are matched by
 * apiVersion/kind/namespace/name, other resources (Helm releases, cloud resources) by type and name.
 * Secret data is never shown, only that it changed. Issue 16 builds the full semantic diff; this stays a
 * field-level comparison so it can be folded into that one.
 */
export interface FieldChange {
  /** e.g. `spec.template.spec.containers[name=order].image`. */
  readonly path: string;
  /** Absent when the field was added. */
  readonly before?: unknown;
  /** Absent when the field was removed. */
  readonly after?: unknown;
  /** Secret data: the values are not shown. */
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
const isDict = (v: unknown): v is Dict => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Resources that only carry objects the plan also lists one by one (a yaml ConfigGroup's `objs`): diffing
 * them would report every change twice.
 */
const CARRIERS = new Set(['kubernetes:yaml:ConfigGroup', 'kubernetes:yaml:ConfigFile']);

/** How a resource is named in the diff, or undefined for carriers. */
export function resourceIdentity(r: PlanResource): string | undefined {
  if (CARRIERS.has(r.type)) return undefined;
  const { apiVersion, kind, metadata } = r.inputs as {
    apiVersion?: unknown;
    kind?: unknown;
    metadata?: unknown;
  };
  if (r.type.startsWith('kubernetes:') && typeof apiVersion === 'string' && typeof kind === 'string') {
    const meta = isDict(metadata) ? metadata : {};
    const name = typeof meta.name === 'string' ? meta.name : r.name;
    const where = typeof meta.namespace === 'string' ? `${meta.namespace}/${name}` : name;
    return `${apiVersion} ${kind} ${where}`;
  }
  return `${r.type} ${r.name}`;
}

function isSecretObject(r: PlanResource): boolean {
  return r.type === 'kubernetes:core/v1:Secret' || (r.inputs as { kind?: unknown }).kind === 'Secret';
}

function index(resources: readonly PlanResource[]): Map<string, PlanResource> {
  const byId = new Map<string, PlanResource>();
  for (const r of resources) {
    const id = resourceIdentity(r);
    if (id === undefined) continue;
    let key = id;
    for (let n = 2; byId.has(key); n++) key = `${id} #${n}`;
    byId.set(key, r);
  }
  return byId;
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const keyPath = (path: string, key: string) =>
  IDENT.test(key) ? (path === '' ? key : `${path}.${key}`) : `${path}[${JSON.stringify(key)}]`;

/** Arrays whose items all carry a distinct string `name` (containers, env, ports, volumes) match by it. */
function namedItems(items: readonly unknown[]): Map<string, unknown> | undefined {
  const byName = new Map<string, unknown>();
  for (const item of items) {
    if (!isDict(item) || typeof item.name !== 'string' || byName.has(item.name)) return undefined;
    byName.set(item.name, item);
  }
  return byName;
}

/** Field-level changes between two values, deepest differing paths only. */
export function diffValues(before: unknown, after: unknown, path = ''): FieldChange[] {
  if (isDeepStrictEqual(before, after)) return [];
  if (isDict(before) && isDict(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffField(before, after, k, keyPath(path, k)));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const b = namedItems(before);
    const a = namedItems(after);
    if (b && a && (b.size > 0 || a.size > 0)) {
      const names = [...new Set([...b.keys(), ...a.keys()])];
      return names.flatMap((n) => diffField(b, a, n, `${path}[name=${n}]`));
    }
    const out: FieldChange[] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      const p = `${path}[${i}]`;
      if (i >= after.length) out.push({ path: p, before: before[i] });
      else if (i >= before.length) out.push({ path: p, after: after[i] });
      else out.push(...diffValues(before[i], after[i], p));
    }
    return out;
  }
  return [{ path, before, after }];
}

function diffField(
  before: Dict | Map<string, unknown>,
  after: Dict | Map<string, unknown>,
  key: string,
  path: string,
): FieldChange[] {
  const get = (c: Dict | Map<string, unknown>) => (c instanceof Map ? c.get(key) : c[key]);
  const has = (c: Dict | Map<string, unknown>) => (c instanceof Map ? c.has(key) : key in c);
  if (!has(after)) return [{ path, before: get(before) }];
  if (!has(before)) return [{ path, after: get(after) }];
  return diffValues(get(before), get(after), path);
}

const hideSecretData = (changes: FieldChange[]): FieldChange[] =>
  changes.map((c) =>
    /^(data|stringData)([.[]|$)/.test(c.path)
      ? {
          path: c.path,
          hidden: true,
          ...('before' in c && { before: '(hidden)' }),
          ...('after' in c && { after: '(hidden)' }),
        }
      : c,
  );

/** Compares two plans of one stack. */
export function diffPlans(before: readonly PlanResource[], after: readonly PlanResource[]): PlanDiff {
  const b = index(before);
  const a = index(after);
  const added = [...a.keys()].filter((id) => !b.has(id)).sort();
  const removed = [...b.keys()].filter((id) => !a.has(id)).sort();
  const changed: ChangedObject[] = [];
  let unchanged = 0;
  for (const [id, old] of [...b.entries()].sort(([x], [y]) => x.localeCompare(y))) {
    const now = a.get(id);
    if (now === undefined) continue;
    const fields = diffValues(old.inputs, now.inputs);
    if (fields.length === 0) unchanged++;
    else changed.push({ id, fields: isSecretObject(now) ? hideSecretData(fields) : fields });
  }
  return { added, removed, changed, unchanged };
}

function show(value: unknown): string {
  if (value === '(hidden)') return '(hidden)';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 160 ? `${text.slice(0, 90)}…${text.slice(-60)}` : text;
}

/** The diff as lines for a terminal: `~` changed, `+` added, `-` removed. */
export function formatPlanDiff(diff: PlanDiff): string[] {
  const total = diff.added.length + diff.removed.length + diff.changed.length;
  const lines = [
    total === 0
      ? `no change to the plan (${diff.unchanged} objects and resources compared)`
      : `${diff.changed.length} changed, ${diff.added.length} added, ${diff.removed.length} removed ` +
        `(${diff.unchanged} unchanged)`,
  ];
  for (const { id, fields } of diff.changed) {
    lines.push(`  ~ ${id}`);
    for (const f of fields) {
      if (!('before' in f)) lines.push(`      + ${f.path}: ${show(f.after)}`);
      else if (!('after' in f)) lines.push(`      - ${f.path}: ${show(f.before)}`);
      else lines.push(`      ${f.path}: ${show(f.before)} -> ${show(f.after)}`);
    }
  }
  for (const id of diff.added) lines.push(`  + ${id}`);
  for (const id of diff.removed) lines.push(`  - ${id}`);
  return lines;
}
