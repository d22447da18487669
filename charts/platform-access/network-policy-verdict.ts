import type { KubernetesObject } from '../lib';

/**
 * What NetworkPolicies decide for one TCP connection between two pods, for tests: every namespace is
 * default-deny (charts/namespace-baseline), so a connection needs an egress rule of a policy selecting the
 * client and an ingress rule of a policy selecting the server. Follows the API's semantics: empty or missing
 * `to`/`from`/`ports` match everything, a peer with only a podSelector means the policy's own namespace,
 * namespaces are matched by their `kubernetes.io/metadata.name` label, and an ipBlock matches any pod.
 */
export interface PodRef {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
}

type Selector = {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
};
type Peer = { podSelector?: Selector; namespaceSelector?: Selector; ipBlock?: unknown };
type Port = { protocol?: string; port?: number | string };
type Rule = { to?: Peer[]; from?: Peer[]; ports?: Port[] };
type PolicySpec = { podSelector: Selector; policyTypes?: string[]; ingress?: Rule[]; egress?: Rule[] };

export function selects(selector: Selector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (selector === undefined) return true;
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpression = (selector.matchExpressions ?? []).every((e) => {
    const value = labels[e.key];
    switch (e.operator) {
      case 'In':
        return value !== undefined && (e.values ?? []).includes(value);
      case 'NotIn':
        return value === undefined || !(e.values ?? []).includes(value);
      case 'Exists':
        return value !== undefined;
      case 'DoesNotExist':
        return value === undefined;
      default:
        throw new Error(`unknown selector operator ${e.operator}`);
    }
  });
  return byLabel && byExpression;
}

function peerMatches(peer: Peer, policyNamespace: string, pod: PodRef): boolean {
  if (peer.ipBlock !== undefined) return true;
  const namespaceOk =
    peer.namespaceSelector === undefined
      ? pod.namespace === policyNamespace
      : selects(peer.namespaceSelector, { 'kubernetes.io/metadata.name': pod.namespace });
  return namespaceOk && selects(peer.podSelector, pod.labels);
}

function ruleMatches(
  rule: Rule,
  peers: Peer[] | undefined,
  policyNamespace: string,
  pod: PodRef,
  port: number,
) {
  const peerOk =
    peers === undefined || peers.length === 0 || peers.some((p) => peerMatches(p, policyNamespace, pod));
  const portOk =
    rule.ports === undefined ||
    rule.ports.length === 0 ||
    rule.ports.some((p) => (p.protocol ?? 'TCP') === 'TCP' && (p.port === undefined || p.port === port));
  return peerOk && portOk;
}

function policies(objects: readonly KubernetesObject[], namespace: string, pod: PodRef, type: string) {
  return objects
    .filter((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === namespace)
    .map((o) => o.spec as PolicySpec)
    .filter((s) => (s.policyTypes ?? ['Ingress']).includes(type) && selects(s.podSelector, pod.labels));
}

export function egressAllows(
  objects: readonly KubernetesObject[],
  from: PodRef,
  to: PodRef,
  port: number,
): boolean {
  return policies(objects, from.namespace, from, 'Egress').some((s) =>
    (s.egress ?? []).some((r) => ruleMatches(r, r.to, from.namespace, to, port)),
  );
}

export function ingressAllows(
  objects: readonly KubernetesObject[],
  from: PodRef,
  to: PodRef,
  port: number,
): boolean {
  return policies(objects, to.namespace, to, 'Ingress').some((s) =>
    (s.ingress ?? []).some((r) => ruleMatches(r, r.from, to.namespace, from, port)),
  );
}

export function connects(
  objects: readonly KubernetesObject[],
  from: PodRef,
  to: PodRef,
  port: number,
): boolean {
  return egressAllows(objects, from, to, port) && ingressAllows(objects, from, to, port);
}
