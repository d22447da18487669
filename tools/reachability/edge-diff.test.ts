import { diffEdges, edgeKey, explainMissing, formatDiff } from './edge-diff';
import { reachability, type NetworkPolicyObject, type ReachabilityInput } from './network-reachability';

const pod = (namespace: string, app: string) => ({
  namespace,
  id: `${namespace}/${app}`,
  labels: { app },
  ports: [{ name: 'http', containerPort: 8080 }],
});
const policy = (name: string, spec: NetworkPolicyObject['spec']): NetworkPolicyObject => ({
  metadata: { namespace: 'apps', name },
  spec,
});
const input: ReachabilityInput = {
  pods: [pod('apps', 'order'), pod('apps', 'user')],
  policies: [
    policy('default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    policy('order-out', {
      podSelector: { matchLabels: { app: 'order' } },
      egress: [{ to: [{ podSelector: { matchLabels: { app: 'user' } } }], ports: [{ port: 'http' }] }],
    }),
  ],
};

describe('comparing a matrix with an intended graph', () => {
  const intended = [
    { from: 'apps/order', to: 'apps/user', port: 8080, protocol: 'TCP' as const },
    { from: 'apps/user', to: 'outside', port: 443, protocol: 'TCP' as const },
  ];

  it('keys edges by endpoints, port (or range, or any) and protocol', () => {
    expect(edgeKey(intended[0]!)).toBe('apps/order -> apps/user:8080/TCP');
    expect(edgeKey({ from: 'a/b', to: 'outside', port: 'any', protocol: 'UDP' })).toBe(
      'a/b -> outside:*/UDP',
    );
    expect(edgeKey({ from: 'a/b', to: 'outside', port: 8000, endPort: 8100, protocol: 'TCP' })).toBe(
      'a/b -> outside:8000-8100/TCP',
    );
  });

  it('a one-sided allow is missing, naming the side without a rule and its policies', () => {
    const d = diffEdges(reachability(input), intended);
    expect(d.extra).toEqual([]);
    expect(formatDiff(input, d)).toEqual([
      'missing apps/order -> apps/user:8080/TCP: no ingress rule of apps/default-deny allows it',
      'missing apps/user -> outside:443/TCP: outside is not a pod (outside-world edges: see its egress policies)',
    ]);
  });

  it('an edge nobody intended is extra, naming the policies that allow it', () => {
    const open = {
      ...input,
      policies: [
        ...input.policies,
        policy('user-in', { podSelector: { matchLabels: { app: 'user' } }, ingress: [{}] }),
      ],
    };
    const d = diffEdges(reachability(open), []);
    expect(formatDiff(open, d)).toEqual([
      'extra   apps/order -> apps/user:8080/TCP  allowed by [apps/order-out, apps/user-in]',
      'extra   outside -> apps/user:8080/TCP  allowed by [apps/user-in]',
    ]);
    expect(diffEdges(reachability(open), intended.slice(0, 1)).extra.map(edgeKey)).toEqual([
      'outside -> apps/user:8080/TCP',
    ]);
  });

  it('explains an unknown pod and says allowed when nothing blocks', () => {
    expect(explainMissing(input, { from: 'apps/nope', to: 'apps/user', port: 8080, protocol: 'TCP' })).toBe(
      'apps/nope -> apps/user:8080/TCP: no pod apps/nope',
    );
    const none = { ...input, policies: [] };
    expect(explainMissing(none, intended[0]!)).toBe('apps/order -> apps/user:8080/TCP: allowed');
  });
});
