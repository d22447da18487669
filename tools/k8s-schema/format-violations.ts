/** Turns ajv's errors into one short, path-addressed sentence per problem. */
import type { ErrorObject } from 'ajv';
import { describePattern } from './kubernetes-patterns';

export interface SchemaViolation {
  /** Where the problem is, e.g. `spec.template.spec.containers[0].imagePullPolicyy`; '' for the object itself. */
  readonly path: string;
  readonly message: string;
}

/** An error not yet rendered, or the sentence that replaced a group of union-branch errors. */
type Pending =
  | { readonly at: string; readonly error: ErrorObject }
  | { readonly at: string; readonly violation: SchemaViolation };

/** Errors saying "this alternative wants another kind of value", which say nothing once another one matches. */
const SHAPE_KEYWORDS: ReadonlySet<string> = new Set(['type', 'const', 'enum']);

export function formatViolations(errors: readonly ErrorObject[], data: unknown): SchemaViolation[] {
  const pending: Pending[] = [];
  for (const error of errors) {
    if (error.keyword === 'anyOf' || error.keyword === 'oneOf') {
      collapseUnion(pending, error, data);
    } else if (error.keyword !== 'propertyNames' && error.keyword !== 'if') {
      // (propertyNames and if only summarise the errors of their subschemas, which are reported themselves.)
      pending.push({ at: error.instancePath, error });
    }
  }
  const seen = new Set<string>();
  const violations: SchemaViolation[] = [];
  for (const item of pending) {
    const violation = 'violation' in item ? item.violation : toViolation(item.error, data);
    const key = `${violation.path}\u0000${violation.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      violations.push(violation);
    }
  }
  return violations;
}

/**
 * ajv reports every failing alternative of an anyOf/oneOf followed by the union error itself. When some
 * alternative accepted the value's shape and failed deeper, its errors are the useful ones; when every
 * alternative rejected the shape, one sentence listing the accepted shapes replaces them all.
 */
function collapseUnion(pending: Pending[], union: ErrorObject, data: unknown): void {
  const at = union.instancePath;
  const branches: Pending[] = [];
  for (let last = pending.at(-1); last !== undefined && isWithin(last.at, at); last = pending.at(-1)) {
    branches.unshift(last);
    pending.pop();
  }
  const path = formatPath(at, data);
  const passing = (union.params as { passingSchemas?: unknown }).passingSchemas;
  if (union.keyword === 'oneOf' && Array.isArray(passing)) {
    pending.push({
      at,
      violation: { path, message: 'must match exactly one allowed form, but matches several' },
    });
    return;
  }
  const isShape = (item: Pending): boolean =>
    'error' in item && item.at === at && SHAPE_KEYWORDS.has(item.error.keyword);
  const deeper = branches.filter((item) => !isShape(item));
  if (deeper.length > 0) {
    pending.push(...deeper);
    return;
  }
  const allowed = unique(branches.flatMap((item) => ('error' in item ? allowedValues(item.error) : [])));
  const message = `must be ${allowed.join(' or ')} (got ${describeValue(union.data)})`;
  pending.push({ at, violation: { path, message } });
}

function toViolation(error: ErrorObject, data: unknown): SchemaViolation {
  const path = formatPath(error.instancePath, data);
  const params = error.params as Record<string, unknown>;
  // Errors about an object key (propertyNames) are addressed at the key itself.
  if (error.propertyName !== undefined) {
    return { path: appendKey(path, error.propertyName), message: `invalid key: ${describeProblem(error)}` };
  }
  if (error.keyword === 'additionalProperties') {
    const field = String(params['additionalProperty']);
    const known = Object.keys((error.parentSchema?.['properties'] as object | undefined) ?? {});
    const guess = closest(field, known);
    const hint = guess === undefined ? '' : ` (did you mean "${guess}"?)`;
    return { path: appendKey(path, field), message: `unknown field "${field}"${hint}` };
  }
  if (error.keyword === 'required') {
    const field = String(params['missingProperty']);
    return { path: appendKey(path, field), message: `missing required field "${field}"` };
  }
  return { path, message: describeProblem(error) };
}

function describeProblem(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const got = `(got ${describeValue(error.data)})`;
  switch (error.keyword) {
    case 'type':
    case 'const':
    case 'enum':
      return `must be ${allowedValues(error).join(' or ')} ${got}`;
    case 'pattern': {
      const pattern = String(params['pattern']);
      return `must be ${describePattern(pattern) ?? `a string matching /${pattern}/`} ${got}`;
    }
    case 'maxLength':
      return `must be at most ${String(params['limit'])} characters long (got ${lengthOf(error.data)})`;
    case 'minLength':
      return `must be at least ${String(params['limit'])} characters long (got ${lengthOf(error.data)})`;
    case 'false schema':
      return 'is not allowed';
    default:
      return `${error.message ?? `fails "${error.keyword}"`} ${got}`;
  }
}

function allowedValues(error: ErrorObject): string[] {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'type') {
    const type = params['type'];
    return Array.isArray(type) ? type.map(String) : String(type).split(',');
  }
  if (error.keyword === 'const') return [JSON.stringify(params['allowedValue'])];
  if (error.keyword === 'enum') {
    const values = params['allowedValues'];
    return Array.isArray(values) ? values.map((value) => JSON.stringify(value)) : [];
  }
  return [];
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'string') {
    return `string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
  }
  if (typeof value === 'object') return 'object';
  return `${typeof value} ${String(value)}`;
}

function lengthOf(value: unknown): string {
  return typeof value === 'string' ? String([...value].length) : describeValue(value);
}

function isWithin(pointer: string, ancestor: string): boolean {
  return pointer === ancestor || pointer.startsWith(`${ancestor}/`);
}

/** JSON pointer → `spec.containers[0].name`; walking the data tells array indexes from numeric map keys. */
function formatPath(pointer: string, data: unknown): string {
  if (pointer === '') return '';
  let path = '';
  let current = data;
  for (const segment of pointer.slice(1).split('/')) {
    const key = segment.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) {
      path += `[${key}]`;
      current = current[Number(key)] as unknown;
    } else {
      path = appendKey(path, key);
      current =
        current !== null && typeof current === 'object'
          ? (current as Record<string, unknown>)[key]
          : undefined;
    }
  }
  return path;
}

function appendKey(path: string, key: string): string {
  if (!/^[A-Za-z_$][\w$-]*$/.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === '' ? key : `${path}.${key}`;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** The candidate a typo most likely meant: at most ~1 edit per 4 characters away, ignoring case. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(best.length / 4)) ? best : undefined;
}

/** Optimal string alignment distance: like Levenshtein, but a swap of two neighbours ("vaule") costs one edit. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Infinity;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      (rows[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}
