/**
 * Which pods may open a connection to which, from NetworkPolicies (networking.k8s.io/v1), with the API's
 * semantics: a pod is isolated for a direction iff some policy selecting it has that policyType; a
 * connection needs (source not egress-isolated, or an egress rule of a policy selecting the source allows it)
 * and (destination not ingress-isolated, or an ingress rule of a policy selecting the destination allows it).
 *
 * Modelling choices (pure, no I/O):
 * - a pod entry stands for all replicas of one identity (`ns/app`), so a pod is also its own destination
 *   (replica to replica: MongoDB members, Kafka brokers);
 * - destinations are the pods' declared container ports (a port nothing declares carries no edge);
 * - an ipBlock matches only addresses outside the cluster, never a pod (as Cilium treats CIDR peers); the
 *   outside world is a list of named external addresses (default one public address named `outside`), so
 *   `except` ranges carve out exactly what they name;
 * - connections from the outside world (the internet to the gateway's proxies, the API server to webhooks)
 *   are edges from an external address's name to a pod's port; only the destination's ingress decides them.
 */

/** The label the API server sets on every namespace. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];
const MAX_PORT = 65535;

export interface ContainerPort {
  readonly containerPort: number;
  readonly name?: string;
  /** @default 'TCP' */
  readonly protocol?: string;
}

export interface ReachPod {
  readonly namespace: string;
  /** The identity edges name, e.g. `apps/order`. */
  readonly id: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly ContainerPort[];
}

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly {
    readonly key: string;
    readonly operator: string;
    readonly values?: readonly string[];
  }[];
}

export interface NetworkPolicyPeer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: { readonly cidr: string; readonly except?: readonly string[] };
}

export interface NetworkPolicyPort {
  readonly protocol?: string;
  readonly port?: number | string;
  readonly endPort?: number;
}

export interface NetworkPolicyIngressRule {
  readonly from?: readonly NetworkPolicyPeer[];
  readonly ports?: readonly NetworkPolicyPort[];
}

export interface NetworkPolicyEgressRule {
  readonly to?: readonly NetworkPolicyPeer[];
  readonly ports?: readonly NetworkPolicyPort[];
}

export interface NetworkPolicyObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly spec: {
    readonly podSelector?: LabelSelector;
    readonly policyTypes?: readonly string[];
    readonly ingress?: readonly NetworkPolicyIngressRule[];
    readonly egress?: readonly NetworkPolicyEgressRule[];
  };
}

export interface NamespaceInfo {
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/** An address outside the cluster that edges name, e.g. `{ name: 'outside', address: '203.0.113.10' }`. */
export interface ExternalAddress {
  readonly name: string;
  readonly address: string;
}

export interface ReachabilityInput {
  readonly pods: readonly ReachPod[];
  readonly policies: readonly NetworkPolicyObject[];
  /** Labels of namespaces; every namespace also carries its `kubernetes.io/metadata.name`. */
  readonly namespaces?: readonly NamespaceInfo[];
  /** @default [{ name: 'outside', address: '203.0.113.10' }] (a public, documentation-only address) */
  readonly externals?: readonly ExternalAddress[];
}

export const DEFAULT_EXTERNALS: readonly ExternalAddress[] = [{ name: 'outside', address: '203.0.113.10' }];

/** CoreDNS as kubeadm, k3s and EKS install it: labelled k8s-app=kube-dns in kube-system. */
export const KUBE_DNS_POD: ReachPod = {
  namespace: 'kube-system',
  id: 'kube-system/kube-dns',
  labels: { 'k8s-app': 'kube-dns' },
  ports: [
    { name: 'dns', containerPort: 53, protocol: 'UDP' },
    { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
    { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
  ],
};

export interface Edge {
  /** A pod identity (`ns/app`) or an external address's name (`outside`). */
  readonly from: string;
  /** A pod identity (`ns/app`) or an external address's name (`outside`). */
  readonly to: string;
  /** A port number, or 'any' (every port of the protocol); with endPort, the first of a range. */
  readonly port: number | 'any';
  readonly endPort?: number;
  readonly protocol: Protocol;
  /** `namespace/name` of the policies on both sides whose rules allowed it, sorted. */
  readonly policies: readonly string[];
  /** Sides no policy isolates (their traffic is allowed without a rule). */
  readonly unisolated: readonly ('egress' | 'ingress')[];
}

export class ReachabilityError extends Error {
  override readonly name = 'ReachabilityError';
}

const policyName = (p: NetworkPolicyObject) => `${p.metadata.namespace ?? ''}/${p.metadata.name}`;

export function selectorMatches(
  selector: LabelSelector,
  labels: Readonly<Record<string, string>>,
  field = 'selector',
): boolean {
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpression = (selector.matchExpressions ?? []).every((e, i) => {
    const value = labels[e.key];
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
        return value !== undefined && values.includes(value);
      case 'NotIn':
        return value === undefined || !values.includes(value);
      case 'Exists':
        return value !== undefined;
      case 'DoesNotExist':
        return value === undefined;
      default:
        throw new ReachabilityError(
          `${field}.matchExpressions[${i}].operator must be In | NotIn | Exists | DoesNotExist (got ${JSON.stringify(e.operator)})`,
        );
    }
  });
  return byLabel && byExpression;
}

/** Types the policy applies to: as given, else Ingress, plus Egress when it has egress rules. */
export function policyTypes(policy: NetworkPolicyObject): readonly ('Ingress' | 'Egress')[] {
  const given = policy.spec.policyTypes;
  if (given !== undefined && given.length > 0) {
    return given.map((t, i) => {
      if (t !== 'Ingress' && t !== 'Egress') {
        throw new ReachabilityError(
          `${policyName(policy)}: spec.policyTypes[${i}] must be Ingress | Egress (got ${JSON.stringify(t)})`,
        );
      }
      return t;
    });
  }
  return (policy.spec.egress ?? []).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

function parseIpv4(address: string): number | undefined {
  const parts = address.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = value * 256 + n;
  }
  return value;
}

/** Whether an IPv4 address lies in a CIDR; an IPv6 CIDR contains no IPv4 address. */
export function cidrContains(cidr: string, address: string, field = 'cidr'): boolean {
  const [base, bitsText] = cidr.split('/');
  if (base !== undefined && base.includes(':')) return false;
  const start = base === undefined ? undefined : parseIpv4(base);
  const bits = Number(bitsText);
  if (start === undefined || bitsText === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) {
    throw new ReachabilityError(`${field} must be a CIDR such as 10.0.0.0/8 (got ${JSON.stringify(cidr)})`);
  }
  const ip = parseIpv4(address);
  if (ip === undefined) return false;
  const size = 2 ** (32 - bits);
  const network = Math.floor(start / size) * size;
  return ip >= network && ip < network + size;
}

interface Context {
  readonly namespaceLabels: ReadonlyMap<string, Readonly<Record<string, string>>>;
  readonly policies: readonly NetworkPolicyObject[];
}

function namespaceLabels(ctx: Context, namespace: string): Readonly<Record<string, string>> {
  return { ...(ctx.namespaceLabels.get(namespace) ?? {}), [NAMESPACE_NAME_LABEL]: namespace };
}

/** Policies in the pod's namespace that select it and apply to the direction. */
function selecting(ctx: Context, pod: ReachPod, type: 'Ingress' | 'Egress'): NetworkPolicyObject[] {
  return ctx.policies.filter(
    (p) =>
      (p.metadata.namespace ?? '') === pod.namespace &&
      policyTypes(p).includes(type) &&
      selectorMatches(p.spec.podSelector ?? {}, pod.labels, `${policyName(p)}: spec.podSelector`),
  );
}

function peerMatchesPod(ctx: Context, peer: NetworkPolicyPeer, policy: NetworkPolicyObject, pod: ReachPod) {
  if (peer.ipBlock !== undefined) return false;
  const field = policyName(policy);
  const inNamespace =
    peer.namespaceSelector === undefined
      ? pod.namespace === (policy.metadata.namespace ?? '')
      : selectorMatches(
          peer.namespaceSelector,
          namespaceLabels(ctx, pod.namespace),
          `${field}: namespaceSelector`,
        );
  return inNamespace && selectorMatches(peer.podSelector ?? {}, pod.labels, `${field}: podSelector`);
}

function peerMatchesExternal(
  peer: NetworkPolicyPeer,
  policy: NetworkPolicyObject,
  external: ExternalAddress,
) {
  const block = peer.ipBlock;
  if (block === undefined) return false;
  const field = `${policyName(policy)}: ipBlock`;
  return (
    cidrContains(block.cidr, external.address, `${field}.cidr`) &&
    !(block.except ?? []).some((c, i) => cidrContains(c, external.address, `${field}.except[${i}]`))
  );
}

function peersMatch(
  ctx: Context,
  peers: readonly NetworkPolicyPeer[] | undefined,
  policy: NetworkPolicyObject,
  target: { pod: ReachPod } | { external: ExternalAddress },
): boolean {
  // An empty or missing from/to matches every source or destination, inside the cluster or not.
  if (peers === undefined || peers.length === 0) return true;
  return peers.some((peer) =>
    'pod' in target
      ? peerMatchesPod(ctx, peer, policy, target.pod)
      : peerMatchesExternal(peer, policy, target.external),
  );
}

const protocolOf = (p: string | undefined, field: string): Protocol => {
  const value = p ?? 'TCP';
  if (!(PROTOCOLS as readonly string[]).includes(value)) {
    throw new ReachabilityError(`${field} must be TCP | UDP | SCTP (got ${JSON.stringify(p)})`);
  }
  return value as Protocol;
};

/** Whether a rule's ports admit a pod's container port (named ports resolve against that pod). */
function portsMatchPod(ports: readonly NetworkPolicyPort[] | undefined, port: ContainerPort, field: string) {
  if (ports === undefined || ports.length === 0) return true;
  const protocol = protocolOf(port.protocol, 'containerPort.protocol');
  return ports.some((p, i) => {
    if (protocolOf(p.protocol, `${field}.ports[${i}].protocol`) !== protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'string') return port.name !== undefined && port.name === p.port;
    return p.endPort === undefined
      ? port.containerPort === p.port
      : port.containerPort >= p.port && port.containerPort <= p.endPort;
  });
}

/** Port ranges a rule's ports admit towards an address outside the cluster (a named port admits none). */
function portRanges(
  ports: readonly NetworkPolicyPort[] | undefined,
  field: string,
): [Protocol, number, number][] {
  if (ports === undefined || ports.length === 0) return PROTOCOLS.map((p) => [p, 1, MAX_PORT]);
  return ports.flatMap((p, i): [Protocol, number, number][] => {
    const protocol = protocolOf(p.protocol, `${field}.ports[${i}].protocol`);
    if (p.port === undefined) return [[protocol, 1, MAX_PORT]];
    if (typeof p.port === 'string') return [];
    return [[protocol, p.port, p.endPort ?? p.port]];
  });
}

export interface SideVerdict {
  /** Whether some policy selecting the pod has this direction's type. */
  readonly isolated: boolean;
  /** Policies selecting the pod for this direction. */
  readonly selecting: readonly string[];
  /** Those of them with a rule allowing the connection. */
  readonly allowing: readonly string[];
  readonly allowed: boolean;
}

export interface ConnectionVerdict {
  readonly allowed: boolean;
  readonly egress: SideVerdict;
  /** Absent for an external destination (no policy isolates it). */
  readonly ingress?: SideVerdict;
}

function side(selectingPolicies: readonly NetworkPolicyObject[], allowing: readonly NetworkPolicyObject[]) {
  const isolated = selectingPolicies.length > 0;
  return {
    isolated,
    selecting: selectingPolicies.map(policyName).sort(),
    allowing: allowing.map(policyName).sort(),
    allowed: !isolated || allowing.length > 0,
  };
}

function context(input: ReachabilityInput): Context {
  return {
    namespaceLabels: new Map((input.namespaces ?? []).map((n) => [n.name, n.labels ?? {}])),
    policies: input.policies,
  };
}

function podVerdict(ctx: Context, from: ReachPod, to: ReachPod, port: ContainerPort): ConnectionVerdict {
  const egressPolicies = selecting(ctx, from, 'Egress');
  const egressAllowing = egressPolicies.filter((p) =>
    (p.spec.egress ?? []).some(
      (r, i) =>
        peersMatch(ctx, r.to, p, { pod: to }) &&
        portsMatchPod(r.ports, port, `${policyName(p)}: egress[${i}]`),
    ),
  );
  const ingressPolicies = selecting(ctx, to, 'Ingress');
  const ingressAllowing = ingressPolicies.filter((p) =>
    (p.spec.ingress ?? []).some(
      (r, i) =>
        peersMatch(ctx, r.from, p, { pod: from }) &&
        portsMatchPod(r.ports, port, `${policyName(p)}: ingress[${i}]`),
    ),
  );
  const egress = side(egressPolicies, egressAllowing);
  const ingress = side(ingressPolicies, ingressAllowing);
  return { allowed: egress.allowed && ingress.allowed, egress, ingress };
}

/** The verdict for one connection from a pod to a port of a pod, naming the policies on both sides. */
export function connectionVerdict(
  input: ReachabilityInput,
  from: ReachPod,
  to: ReachPod,
  port: number | string,
  protocol: Protocol = 'TCP',
): ConnectionVerdict {
  const declared = to.ports.find(
    (p) =>
      (p.protocol ?? 'TCP') === protocol &&
      (typeof port === 'number' ? p.containerPort === port : p.name === port),
  );
  if (declared === undefined && typeof port === 'string') {
    throw new ReachabilityError(`${to.id} has no ${protocol} container port named ${JSON.stringify(port)}`);
  }
  return podVerdict(context(input), from, to, declared ?? { containerPort: port as number, protocol });
}

/** Every allowed connection between the pods, from them to the outside world and back, sorted. */
export function reachability(input: ReachabilityInput): Edge[] {
  const ctx = context(input);
  const externals = input.externals ?? DEFAULT_EXTERNALS;
  const edges = new Map<
    string,
    { edge: Omit<Edge, 'policies' | 'unisolated'>; policies: Set<string>; open: Set<'egress' | 'ingress'> }
  >();
  const add = (
    edge: Omit<Edge, 'policies' | 'unisolated'>,
    policies: readonly string[],
    open: ('egress' | 'ingress')[],
  ) => {
    const key = JSON.stringify([edge.from, edge.to, edge.protocol, edge.port, edge.endPort]);
    const entry = edges.get(key) ?? {
      edge,
      policies: new Set<string>(),
      open: new Set<'egress' | 'ingress'>(),
    };
    policies.forEach((p) => entry.policies.add(p));
    open.forEach((o) => entry.open.add(o));
    edges.set(key, entry);
  };

  for (const from of input.pods) {
    for (const to of input.pods) {
      for (const port of to.ports) {
        const v = podVerdict(ctx, from, to, port);
        if (!v.allowed || v.ingress === undefined) continue;
        add(
          {
            from: from.id,
            to: to.id,
            port: port.containerPort,
            protocol: protocolOf(port.protocol, `${to.id} containerPort.protocol`),
          },
          [...v.egress.allowing, ...v.ingress.allowing],
          [
            ...(v.egress.isolated ? [] : ['egress' as const]),
            ...(v.ingress.isolated ? [] : ['ingress' as const]),
          ],
        );
      }
    }
    const egressPolicies = selecting(ctx, from, 'Egress');
    for (const external of externals) {
      for (const [protocol, start, end, policies] of externalRanges(ctx, egressPolicies, external)) {
        add(
          {
            from: from.id,
            to: external.name,
            protocol,
            port: start === 1 && end === MAX_PORT ? 'any' : start,
            ...(end !== start && !(start === 1 && end === MAX_PORT) && { endPort: end }),
          },
          policies,
          egressPolicies.length === 0 ? ['egress'] : [],
        );
      }
    }
  }
  for (const external of externals) {
    for (const to of input.pods) {
      const ingressPolicies = selecting(ctx, to, 'Ingress');
      for (const port of to.ports) {
        const allowing = ingressPolicies.filter((p) =>
          (p.spec.ingress ?? []).some(
            (r, i) =>
              peersMatch(ctx, r.from, p, { external }) &&
              portsMatchPod(r.ports, port, `${policyName(p)}: ingress[${i}]`),
          ),
        );
        if (ingressPolicies.length > 0 && allowing.length === 0) continue;
        add(
          {
            from: external.name,
            to: to.id,
            port: port.containerPort,
            protocol: protocolOf(port.protocol, `${to.id} containerPort.protocol`),
          },
          allowing.map(policyName),
          ingressPolicies.length === 0 ? ['ingress'] : [],
        );
      }
    }
  }
  return [...edges.values()]
    .map(({ edge, policies, open }) => ({
      ...edge,
      policies: [...policies].sort(),
      unisolated: [...open].sort(),
    }))
    .sort(compareEdges);
}

/**
 * Port ranges per protocol a source may reach an external address on: elementary intervals between the
 * allowing rules' bounds, merged where the same policies allow them.
 */
function externalRanges(
  ctx: Context,
  egressPolicies: readonly NetworkPolicyObject[],
  external: ExternalAddress,
): [Protocol, number, number, string[]][] {
  const contributions: [Protocol, number, number, string][] =
    egressPolicies.length === 0
      ? PROTOCOLS.map((p) => [p, 1, MAX_PORT, ''])
      : egressPolicies.flatMap((p) =>
          (p.spec.egress ?? []).flatMap((r, i) =>
            peersMatch(ctx, r.to, p, { external })
              ? portRanges(r.ports, `${policyName(p)}: egress[${i}]`).map(
                  ([proto, s, e]): [Protocol, number, number, string] => [proto, s, e, policyName(p)],
                )
              : [],
          ),
        );
  const result: [Protocol, number, number, string[]][] = [];
  for (const protocol of PROTOCOLS) {
    const mine = contributions.filter((c) => c[0] === protocol);
    const bounds = [...new Set(mine.flatMap(([, s, e]) => [s, e + 1]))].sort((a, b) => a - b);
    let open: [number, number, string[]] | undefined;
    for (let i = 0; i + 1 < bounds.length; i++) {
      const start = bounds[i] as number;
      const end = (bounds[i + 1] as number) - 1;
      const names = [...new Set(mine.filter(([, s, e]) => s <= start && e >= end).map((c) => c[3]))]
        .filter((n) => n !== '')
        .sort();
      const covered = mine.some(([, s, e]) => s <= start && e >= end);
      if (!covered) {
        if (open) result.push([protocol, ...open]);
        open = undefined;
      } else if (open && open[1] === start - 1 && open[2].join() === names.join()) {
        open = [open[0], end, open[2]];
      } else {
        if (open) result.push([protocol, ...open]);
        open = [start, end, names];
      }
    }
    if (open) result.push([protocol, ...open]);
  }
  return result;
}

function compareEdges(a: Edge, b: Edge): number {
  const port = (e: Edge) => (e.port === 'any' ? 0 : e.port);
  return (
    a.from.localeCompare(b.from) ||
    a.to.localeCompare(b.to) ||
    port(a) - port(b) ||
    a.protocol.localeCompare(b.protocol) ||
    (a.endPort ?? 0) - (b.endPort ?? 0)
  );
}

/** One line per edge: `apps/order -> apps/user:8080/TCP  [apps/order-egress, apps/user-ingress]`. */
export function formatEdge(edge: Edge): string {
  const port =
    edge.port === 'any' ? '*' : edge.endPort === undefined ? `${edge.port}` : `${edge.port}-${edge.endPort}`;
  const open = edge.unisolated.length > 0 ? ` (unisolated ${edge.unisolated.join('+')})` : '';
  return `${edge.from} -> ${edge.to}:${port}/${edge.protocol}  [${edge.policies.join(', ')}]${open}`;
}
