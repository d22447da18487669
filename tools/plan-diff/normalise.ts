/**
 * What counts as "the same" in a plan diff: key order never matters, lists the Kubernetes API treats as sets
 * (or as maps keyed by a field) match regardless of order, and strings that differ only in whitespace (line
 * endings, trailing spaces, the indentation of embedded JSON/YAML) are equal.
 */
import { parse as parseYaml } from 'yaml';

type Dict = Record<string, unknown>;
export const isDict = (v: unknown): v is Dict => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * How a list field is compared, by the field's name. `key`: items are matched by that key (a map in all but
 * syntax); `set`: order is irrelevant, items compared whole. Lists not in the table (args, command, steps,
 * HTTPRoute rules, matches) keep their order: there order is meaning.
 */
export type ListRule =
  { readonly by: 'key'; readonly key: (item: Dict) => string | undefined } | { readonly by: 'set' };

const field =
  (...names: string[]) =>
  (item: Dict): string | undefined => {
    const parts = names.map((n) => {
      const v = n.split('.').reduce<unknown>((o, k) => (isDict(o) ? o[k] : undefined), item);
      return typeof v === 'string' || typeof v === 'number' ? `${v}` : undefined;
    });
    if (parts[0] === undefined) return undefined;
    // `name=order`, `port=8080/TCP`: the label the diff's paths show, e.g. `containers[name=order]`.
    return `${names[0]?.split('.').pop() ?? ''}=${parts.filter((p) => p !== undefined).join('/')}`;
  };
const byName = field('name');
const SET: ListRule = { by: 'set' };
const key = (k: (item: Dict) => string | undefined): ListRule => ({ by: 'key', key: k });

/**
 * The set-like lists of the API objects the platform renders (the Kubernetes API marks them
 * `x-kubernetes-list-type: set|map`, or the controller reads them as sets):
 *
 * | field                                   | compared as                         |
 * |-----------------------------------------|-------------------------------------|
 * | containers, initContainers, ephemeralContainers, sidecars (PSMDB) | map by name |
 * | env                                     | map by name                         |
 * | ports                                   | map by name, else port/protocol     |
 * | volumes                                 | map by name, else id (Strimzi JBOD) |
 * | volumeMounts                            | map by mountPath                    |
 * | volumeClaimTemplates                    | map by metadata.name                |
 * | imagePullSecrets                        | map by name                         |
 * | replsets (PSMDB), listeners (Strimzi)   | map by name                         |
 * | metrics (HPA)                           | map by type/resource name           |
 * | ingress, egress (NetworkPolicy rules)   | set                                 |
 * | from, to (NetworkPolicy peers)          | set                                 |
 * | policyTypes, finalizers, accessModes    | set                                 |
 * | matchExpressions, values (selectors)    | set                                 |
 * | nodeSelectorTerms, tolerations          | set                                 |
 * | drop, add (capabilities)                | set                                 |
 * | roles (KafkaNodePool), dnsNames         | set                                 |
 * | rules, verbs, apiGroups, resources,     | set (RBAC; `rules` only in a Role / |
 * |   resourceNames, subjects               |   ClusterRole, see RBAC_ONLY)       |
 * | acls (KafkaUser), hostnames, topologySpreadConstraints | set                  |
 */
export const LIST_RULES: Readonly<Record<string, ListRule>> = {
  containers: key(byName),
  initContainers: key(byName),
  ephemeralContainers: key(byName),
  sidecars: key(byName),
  env: key(byName),
  ports: key((i) => byName(i) ?? field('port', 'protocol')(i) ?? field('containerPort', 'protocol')(i)),
  volumes: key((i) => byName(i) ?? field('id')(i)),
  volumeMounts: key(field('mountPath')),
  volumeClaimTemplates: key(field('metadata.name')),
  imagePullSecrets: key(byName),
  replsets: key(byName),
  listeners: key(byName),
  metrics: key(field('type', 'resource.name')),
  ingress: SET,
  egress: SET,
  from: SET,
  to: SET,
  policyTypes: SET,
  finalizers: SET,
  accessModes: SET,
  matchExpressions: SET,
  values: SET,
  nodeSelectorTerms: SET,
  tolerations: SET,
  drop: SET,
  add: SET,
  roles: SET,
  dnsNames: SET,
  rules: SET,
  verbs: SET,
  apiGroups: SET,
  resources: SET,
  resourceNames: SET,
  subjects: SET,
  acls: SET,
  hostnames: SET,
  topologySpreadConstraints: SET,
};

/** `rules` is a set in RBAC objects only; an HTTPRoute's or a PrometheusRule group's rules are ordered. */
const RBAC_ONLY = new Set(['rules']);
const RBAC_KINDS = new Set(['Role', 'ClusterRole']);

/**
 * The rule for a list at `field` inside an object of `kind`; undefined: an ordered list. `values` under
 * `matchExpressions` is a set, but a Helm release's `values` is a map, never a list, so the name is safe.
 */
export function listRule(fieldName: string | undefined, kind: string | undefined): ListRule | undefined {
  if (fieldName === undefined) return undefined;
  if (RBAC_ONLY.has(fieldName) && !RBAC_KINDS.has(kind ?? '')) return undefined;
  return Object.hasOwn(LIST_RULES, fieldName) ? LIST_RULES[fieldName] : undefined;
}

/** Keys of a keyed list, or undefined when an item has no key or two share one (then: by position). */
export function keyedItems(items: readonly unknown[], rule: ListRule): Map<string, unknown> | undefined {
  if (rule.by !== 'key') return undefined;
  const out = new Map<string, unknown>();
  for (const item of items) {
    const k = isDict(item) ? rule.key(item) : undefined;
    if (k === undefined || out.has(k)) return undefined;
    out.set(k, item);
  }
  return out;
}

/** Trailing spaces, CRLF and leading/trailing blank lines are not content. */
const trimLines = (s: string) =>
  s
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .trim();

/** The structured content of a string that embeds JSON or (multi-line) YAML, else undefined. */
function embedded(s: string): unknown {
  const t = s.trim();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return JSON.parse(t) as unknown;
    } catch {
      // not JSON; may still be YAML flow syntax
    }
  }
  if (!t.includes('\n')) return undefined;
  try {
    const v = parseYaml(t) as unknown;
    return isDict(v) || Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Whether two strings say the same thing once whitespace that carries no meaning is ignored. */
export function sameText(a: string, b: string): boolean {
  if (a === b || trimLines(a) === trimLines(b)) return true;
  const x = embedded(a);
  const y = embedded(b);
  return x !== undefined && y !== undefined && canonical(x) === canonical(y);
}

/** A string that is equal for equivalent values (sorted keys, set-like lists sorted, texts trimmed). */
export function canonical(value: unknown, fieldName?: string, kind?: string): string {
  if (typeof value === 'string') {
    const inner = embedded(value);
    return inner === undefined ? JSON.stringify(trimLines(value)) : `text:${canonical(inner)}`;
  }
  if (Array.isArray(value)) {
    const rule = listRule(fieldName, kind);
    // Items of a list carry no field name of their own: their fields are named inside them.
    const items = value.map((v) => canonical(v, undefined, kind));
    if (rule !== undefined) items.sort();
    return `[${items.join(',')}]`;
  }
  if (isDict(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((f) => `${JSON.stringify(f)}:${canonical(value[f], f, kind)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}
