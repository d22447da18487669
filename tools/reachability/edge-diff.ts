/**
 * Comparing a computed matrix with an intended one: extra edges (allowed, not intended) name the policies
 * that allow them; missing edges (intended, not allowed) name the policies that isolate each side and say
 * which side has no rule for it.
 */
import { connectionVerdict, type Edge, type Protocol, type ReachabilityInput } from './network-reachability';

/** An edge without its provenance: what an intended graph lists. */
export interface EdgeRef {
  readonly from: string;
  readonly to: string;
  readonly port: number | 'any';
  readonly endPort?: number;
  readonly protocol: Protocol;
}

/** `from -> to:port/protocol`, the key both lists are compared on. */
export function edgeKey(e: EdgeRef): string {
  const port = e.port === 'any' ? '*' : e.endPort === undefined ? `${e.port}` : `${e.port}-${e.endPort}`;
  return `${e.from} -> ${e.to}:${port}/${e.protocol}`;
}

export interface EdgeDiff {
  readonly extra: readonly Edge[];
  readonly missing: readonly EdgeRef[];
}

export function diffEdges(actual: readonly Edge[], intended: readonly EdgeRef[]): EdgeDiff {
  const want = new Set(intended.map(edgeKey));
  const have = new Set(actual.map(edgeKey));
  return {
    extra: actual.filter((e) => !want.has(edgeKey(e))),
    missing: intended
      .filter((e) => !have.has(edgeKey(e)))
      .sort((a, b) => edgeKey(a).localeCompare(edgeKey(b))),
  };
}

/** Why an edge between two pods is not allowed: the side(s) without a rule, and the policies isolating them. */
export function explainMissing(input: ReachabilityInput, edge: EdgeRef): string {
  const from = input.pods.find((p) => p.id === edge.from);
  const to = input.pods.find((p) => p.id === edge.to);
  if (from === undefined) return `${edgeKey(edge)}: no pod ${edge.from}`;
  if (to === undefined)
    return `${edgeKey(edge)}: ${edge.to} is not a pod (outside-world edges: see its egress policies)`;
  if (edge.port === 'any') return `${edgeKey(edge)}: a pod destination needs a port`;
  const v = connectionVerdict(input, from, to, edge.port, edge.protocol);
  const sides = [
    ...(v.egress.allowed ? [] : [`no egress rule of ${v.egress.selecting.join(', ')} allows it`]),
    ...(v.ingress === undefined || v.ingress.allowed
      ? []
      : [`no ingress rule of ${v.ingress.selecting.join(', ')} allows it`]),
  ];
  return `${edgeKey(edge)}: ${sides.length > 0 ? sides.join('; ') : 'allowed'}`;
}

/** Lines for a failing comparison: each extra edge with its policies, each missing edge with its reason. */
export function formatDiff(input: ReachabilityInput, diff: EdgeDiff): string[] {
  return [
    ...diff.extra.map(
      (e) =>
        `extra   ${edgeKey(e)}  allowed by [${e.policies.join(', ')}]` +
        (e.unisolated.length > 0 ? ` (unisolated ${e.unisolated.join('+')})` : ''),
    ),
    ...diff.missing.map((e) => `missing ${explainMissing(input, e)}`),
  ];
}
