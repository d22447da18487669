import {
  cidrContains,
  connectionVerdict,
  formatEdge,
  KUBE_DNS_POD,
  policyTypes,
  reachability,
  ReachabilityError,
  selectorMatches,
} from './network-reachability';
import type { Edge, NetworkPolicyObject, ReachabilityInput, ReachPod } from './network-reachability';

const pod = (
  namespace: string,
  app: string,
  ports: ReachPod['ports'] = [{ name: 'http', containerPort: 8080 }],
) => ({
  namespace,
  id: `${namespace}/${app}`,
  labels: { app },
  ports,
});
const order = pod('apps', 'order');
const user = pod('apps', 'user');
const mongo = pod('data', 'mongodb', [{ name: 'mongodb', containerPort: 27017 }]);

const policy = (namespace: string, name: string, spec: NetworkPolicyObject['spec']): NetworkPolicyObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { namespace, name },
  spec,
});
const denyAll = (namespace: string) =>
  policy(namespace, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
const ns = (name: string) => ({
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } },
});

/** Pod-to-pod edges only, as `from -> to:port/protocol`. */
const podEdges = (input: ReachabilityInput) =>
  reachability(input)
    .filter((e) => e.to !== 'outside' && e.from !== 'outside')
    .map((e) => `${e.from} -> ${e.to}:${e.port}/${e.protocol}`);
const allows = (input: ReachabilityInput, from: ReachPod, to: ReachPod, port: number | string = 8080) =>
  connectionVerdict(input, from, to, port).allowed;

describe('isolation', () => {
  it('without policies every pod reaches every declared port, itself included, the outside world and back', () => {
    const edges = reachability({ pods: [order, user], policies: [] });
    expect(edges.map((e) => `${e.from} -> ${e.to}:${e.port}/${e.protocol}`)).toEqual([
      'apps/order -> apps/order:8080/TCP',
      'apps/order -> apps/user:8080/TCP',
      'apps/order -> outside:any/SCTP',
      'apps/order -> outside:any/TCP',
      'apps/order -> outside:any/UDP',
      'apps/user -> apps/order:8080/TCP',
      'apps/user -> apps/user:8080/TCP',
      'apps/user -> outside:any/SCTP',
      'apps/user -> outside:any/TCP',
      'apps/user -> outside:any/UDP',
      'outside -> apps/order:8080/TCP',
      'outside -> apps/user:8080/TCP',
    ]);
    expect(edges[1]).toEqual({
      from: 'apps/order',
      to: 'apps/user',
      port: 8080,
      protocol: 'TCP',
      policies: [],
      unisolated: ['egress', 'ingress'],
    });
  });

  it('a default-deny policy for both types leaves nothing', () => {
    expect(reachability({ pods: [order, user], policies: [denyAll('apps')] })).toEqual([]);
  });

  it('policyTypes default to Ingress, plus Egress only when the policy has egress rules', () => {
    expect(policyTypes(policy('a', 'p', { podSelector: {} }))).toEqual(['Ingress']);
    expect(policyTypes(policy('a', 'p', { podSelector: {}, egress: [{}] }))).toEqual(['Ingress', 'Egress']);
    expect(policyTypes(policy('a', 'p', { podSelector: {}, egress: [] }))).toEqual(['Ingress']);
    expect(policyTypes(policy('a', 'p', { podSelector: {}, policyTypes: ['Egress'] }))).toEqual(['Egress']);
    expect(() => policyTypes(policy('a', 'p', { podSelector: {}, policyTypes: ['ingress'] }))).toThrow(
      'a/p: spec.policyTypes[0] must be Ingress | Egress (got "ingress")',
    );
    // An ingress-only default deny (no policyTypes, no rules) leaves egress open: the outside stays reachable.
    const edges = reachability({ pods: [order], policies: [policy('apps', 'deny-in', { podSelector: {} })] });
    expect(edges.map((e) => `${e.to}:${e.port}/${e.protocol}`)).toEqual([
      'outside:any/SCTP',
      'outside:any/TCP',
      'outside:any/UDP',
    ]);
  });

  it('a policy isolates only the pods its podSelector selects, and only in its own namespace', () => {
    const isolateUser = policy('apps', 'isolate-user', { podSelector: { matchLabels: { app: 'user' } } });
    const elsewhere = policy('data', 'isolate-user', { podSelector: { matchLabels: { app: 'user' } } });
    const input = { pods: [order, user], policies: [isolateUser, elsewhere] };
    expect(allows(input, user, order)).toBe(true);
    expect(allows(input, order, user)).toBe(false);
    expect(connectionVerdict(input, order, user, 8080).ingress).toEqual({
      isolated: true,
      selecting: ['apps/isolate-user'],
      allowing: [],
      allowed: false,
    });
  });
});

describe('both sides must allow', () => {
  const egressToUser = policy('apps', 'order-egress', {
    podSelector: { matchLabels: { app: 'order' } },
    policyTypes: ['Egress'],
    egress: [{ to: [{ podSelector: { matchLabels: { app: 'user' } } }], ports: [{ port: 8080 }] }],
  });
  const ingressFromOrder = policy('apps', 'user-ingress', {
    podSelector: { matchLabels: { app: 'user' } },
    policyTypes: ['Ingress'],
    ingress: [{ from: [{ podSelector: { matchLabels: { app: 'order' } } }], ports: [{ port: 8080 }] }],
  });

  it('an egress allow alone is not enough when the destination is isolated', () => {
    const input = { pods: [order, user], policies: [denyAll('apps'), egressToUser] };
    expect(podEdges(input)).toEqual([]);
    expect(connectionVerdict(input, order, user, 8080)).toMatchObject({
      allowed: false,
      egress: { allowed: true, allowing: ['apps/order-egress'] },
      ingress: { allowed: false, selecting: ['apps/default-deny'], allowing: [] },
    });
  });

  it('an ingress allow alone is not enough when the source is isolated', () => {
    const input = { pods: [order, user], policies: [denyAll('apps'), ingressFromOrder] };
    expect(podEdges(input)).toEqual([]);
  });

  it('both together allow exactly that edge, naming both policies', () => {
    const input = { pods: [order, user], policies: [denyAll('apps'), egressToUser, ingressFromOrder] };
    const edges = reachability(input);
    expect(edges).toEqual([
      {
        from: 'apps/order',
        to: 'apps/user',
        port: 8080,
        protocol: 'TCP',
        policies: ['apps/order-egress', 'apps/user-ingress'],
        unisolated: [],
      },
    ]);
    expect(formatEdge(edges[0] as Edge)).toBe(
      'apps/order -> apps/user:8080/TCP  [apps/order-egress, apps/user-ingress]',
    );
  });

  it('an unisolated side needs no rule: the edge names only the other side', () => {
    const input = { pods: [order, user], policies: [egressToUser, ingressFromOrder] };
    const edge = reachability(input).find((e) => e.from === 'apps/order' && e.to === 'apps/user');
    expect(edge?.policies).toEqual(['apps/order-egress', 'apps/user-ingress']);
    const onlyIngress = { pods: [order, user], policies: [ingressFromOrder] };
    expect(
      reachability(onlyIngress).find((e) => e.from === 'apps/order' && e.to === 'apps/user'),
    ).toMatchObject({
      policies: ['apps/user-ingress'],
      unisolated: ['egress'],
    });
  });
});

describe('ports', () => {
  const api = pod('apps', 'api', [
    { name: 'http', containerPort: 8080 },
    { name: 'metrics', containerPort: 9090 },
    { name: 'dns', containerPort: 5353, protocol: 'UDP' },
  ]);
  const other = pod('apps', 'other', [{ name: 'web', containerPort: 9090 }]);
  const client = pod('apps', 'client', []);
  const ingressOn = (ports: NetworkPolicyObject['spec']['ingress']) => ({
    pods: [client, api, other],
    policies: [
      policy('apps', 'deny-in', { podSelector: {} }),
      policy('apps', 'allow', { podSelector: {}, ingress: ports }),
    ],
  });
  const reached = (input: ReachabilityInput) => podEdges(input).filter((e) => e.startsWith('apps/client'));

  it('a named port resolves against each destination pod: the same name is different numbers, or none', () => {
    const input = ingressOn([{ ports: [{ port: 'metrics' }] }]);
    expect(reached(input)).toEqual(['apps/client -> apps/api:9090/TCP']);
    // other's 9090 is named web: a rule for "metrics" does not admit it, a rule for 9090 does.
    expect(reached(ingressOn([{ ports: [{ port: 9090 }] }]))).toEqual([
      'apps/client -> apps/api:9090/TCP',
      'apps/client -> apps/other:9090/TCP',
    ]);
  });

  it('a named port in an egress rule also resolves against the destination', () => {
    const input = {
      pods: [client, api, other],
      policies: [
        policy('apps', 'client-out', {
          podSelector: { matchLabels: { app: 'client' } },
          policyTypes: ['Egress'],
          egress: [{ ports: [{ port: 'web' }] }],
        }),
      ],
    };
    expect(reached(input)).toEqual(['apps/client -> apps/other:9090/TCP']);
    expect(reachability(input).filter((e) => e.from === 'apps/client' && e.to === 'outside')).toEqual([]);
  });

  it('protocol defaults to TCP and must match the container port', () => {
    expect(reached(ingressOn([{ ports: [{ port: 5353 }] }]))).toEqual([]);
    expect(reached(ingressOn([{ ports: [{ port: 5353, protocol: 'UDP' }] }]))).toEqual([
      'apps/client -> apps/api:5353/UDP',
    ]);
    expect(reached(ingressOn([{ ports: [{ protocol: 'UDP' }] }]))).toEqual([
      'apps/client -> apps/api:5353/UDP',
    ]);
    expect(() => reachability(ingressOn([{ ports: [{ port: 53, protocol: 'udp' }] }]))).toThrow(
      'apps/allow: ingress[0].ports[0].protocol must be TCP | UDP | SCTP (got "udp")',
    );
  });

  it('endPort makes an inclusive range', () => {
    expect(reached(ingressOn([{ ports: [{ port: 8000, endPort: 8080 }] }]))).toEqual([
      'apps/client -> apps/api:8080/TCP',
    ]);
    expect(reached(ingressOn([{ ports: [{ port: 8081, endPort: 9090 }] }]))).toEqual([
      'apps/client -> apps/api:9090/TCP',
      'apps/client -> apps/other:9090/TCP',
    ]);
    expect(reached(ingressOn([{ ports: [{ port: 8081, endPort: 9089 }] }]))).toEqual([]);
  });

  it('absent or empty ports admit every port of every protocol', () => {
    const all = [
      'apps/client -> apps/api:5353/UDP',
      'apps/client -> apps/api:8080/TCP',
      'apps/client -> apps/api:9090/TCP',
      'apps/client -> apps/other:9090/TCP',
    ];
    expect(reached(ingressOn([{}]))).toEqual(all);
    expect(reached(ingressOn([{ ports: [] }]))).toEqual(all);
  });

  it('a policy with no ingress rules admits nothing, an empty rule admits everyone', () => {
    expect(reached(ingressOn([]))).toEqual([]);
  });
});

describe('peers', () => {
  const monitoringProm = {
    ...pod('monitoring', 'prometheus', []),
    labels: { app: 'prometheus', role: 'scraper' },
  };
  const monitoringGrafana = { ...pod('monitoring', 'grafana', []), labels: { app: 'grafana', role: 'ui' } };
  const appsScraper = { ...pod('apps', 'scraper', []), labels: { app: 'scraper', role: 'scraper' } };
  const target = pod('apps', 'target');
  const pods = [monitoringProm, monitoringGrafana, appsScraper, target];
  const sources = (input: ReachabilityInput) =>
    reachability(input)
      .filter((e) => e.to === 'apps/target')
      .map((e) => e.from);
  const ingressFrom = (from: NetworkPolicyObject['spec']['ingress']) => ({
    pods,
    policies: [
      policy('apps', 'target-in', { podSelector: { matchLabels: { app: 'target' } }, ingress: from }),
    ],
  });

  it('a podSelector alone means pods of the policy’s own namespace', () => {
    expect(sources(ingressFrom([{ from: [{ podSelector: { matchLabels: { role: 'scraper' } } }] }]))).toEqual(
      ['apps/scraper'],
    );
  });

  it('a namespaceSelector alone means every pod of the selected namespaces; {} means every namespace', () => {
    expect(sources(ingressFrom([{ from: [ns('monitoring')] }]))).toEqual([
      'monitoring/grafana',
      'monitoring/prometheus',
    ]);
    expect(sources(ingressFrom([{ from: [{ namespaceSelector: {} }] }]))).toEqual([
      'apps/scraper',
      'apps/target',
      'monitoring/grafana',
      'monitoring/prometheus',
    ]);
  });

  it('namespaceSelector and podSelector in one peer are ANDed; as two peers they are ORed', () => {
    const both = { ...ns('monitoring'), podSelector: { matchLabels: { role: 'scraper' } } };
    expect(sources(ingressFrom([{ from: [both] }]))).toEqual(['monitoring/prometheus']);
    const either = [ns('monitoring'), { podSelector: { matchLabels: { role: 'scraper' } } }];
    expect(sources(ingressFrom([{ from: either }]))).toEqual([
      'apps/scraper',
      'monitoring/grafana',
      'monitoring/prometheus',
    ]);
  });

  it('namespaces match by their own labels as well as their name label', () => {
    const input = {
      ...ingressFrom([{ from: [{ namespaceSelector: { matchLabels: { tier: 'observability' } } }] }]),
      namespaces: [{ name: 'monitoring', labels: { tier: 'observability' } }],
    };
    expect(sources(input)).toEqual(['monitoring/grafana', 'monitoring/prometheus']);
    // The name label cannot be overridden by a namespace's declared labels.
    const spoofed = {
      ...ingressFrom([{ from: [ns('apps')] }]),
      namespaces: [{ name: 'monitoring', labels: { 'kubernetes.io/metadata.name': 'apps' } }],
    };
    expect(sources(spoofed)).toEqual(['apps/scraper', 'apps/target']);
  });

  it('an empty or missing from admits every pod and the outside world, an ipBlock only the outside', () => {
    const everyone = [
      'apps/scraper',
      'apps/target',
      'monitoring/grafana',
      'monitoring/prometheus',
      'outside',
    ];
    expect(sources(ingressFrom([{ from: [] }]))).toEqual(everyone);
    expect(sources(ingressFrom([{}]))).toEqual(everyone);
    expect(sources(ingressFrom([{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }]))).toEqual(['outside']);
    expect(sources(ingressFrom([{ from: [{ namespaceSelector: {} }] }]))).not.toContain('outside');
  });

  it('matchExpressions: In, NotIn, Exists, DoesNotExist, ANDed with matchLabels', () => {
    const expr = (operator: string, values?: string[]) =>
      sources(
        ingressFrom([
          {
            from: [
              {
                namespaceSelector: {},
                podSelector: { matchExpressions: [{ key: 'role', operator, ...(values && { values }) }] },
              },
            ],
          },
        ]),
      );
    expect(expr('In', ['scraper', 'ui'])).toEqual([
      'apps/scraper',
      'monitoring/grafana',
      'monitoring/prometheus',
    ]);
    expect(expr('NotIn', ['scraper'])).toEqual(['apps/target', 'monitoring/grafana']);
    expect(expr('Exists')).toEqual(['apps/scraper', 'monitoring/grafana', 'monitoring/prometheus']);
    expect(expr('DoesNotExist')).toEqual(['apps/target']);
    expect(() => expr('Equals', ['x'])).toThrow(
      'apps/target-in: podSelector.matchExpressions[0].operator must be In | NotIn | Exists | DoesNotExist (got "Equals")',
    );
    expect(
      selectorMatches(
        {
          matchLabels: { app: 'grafana' },
          matchExpressions: [{ key: 'role', operator: 'In', values: ['scraper'] }],
        },
        monitoringGrafana.labels,
      ),
    ).toBe(false);
    expect(selectorMatches({}, {})).toBe(true);
  });

  it('matchExpressions on the policy’s own podSelector decide isolation too', () => {
    const input = {
      pods,
      policies: [
        policy('monitoring', 'deny-non-scrapers', {
          podSelector: { matchExpressions: [{ key: 'role', operator: 'NotIn', values: ['scraper'] }] },
          policyTypes: ['Egress'],
        }),
      ],
    };
    expect(sources(input)).toEqual(['apps/scraper', 'apps/target', 'monitoring/prometheus', 'outside']);
  });
});

describe('the outside world and DNS', () => {
  const egress = (
    rules: NetworkPolicyObject['spec']['egress'],
    externals?: ReachabilityInput['externals'],
  ) => ({
    pods: [order],
    policies: [policy('apps', 'order-out', { podSelector: {}, policyTypes: ['Egress'], egress: rules })],
    ...(externals && { externals }),
  });
  const outside = (input: ReachabilityInput) =>
    reachability(input)
      .filter((e) => e.from === 'apps/order')
      .map((e) => `${e.to}:${e.port}${e.endPort ? `-${e.endPort}` : ''}/${e.protocol} ${e.policies.join()}`);

  it('an ipBlock 0.0.0.0/0 reaches the outside on its ports only', () => {
    expect(outside(egress([{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443 }] }]))).toEqual([
      'outside:443/TCP apps/order-out',
    ]);
  });

  it('except carves out exactly the addresses it names', () => {
    const externals = [
      { name: 'outside', address: '203.0.113.10' },
      { name: 'cloud-metadata', address: '169.254.169.254' },
    ];
    const rules = [
      { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['169.254.0.0/16'] } }], ports: [{ port: 80 }] },
    ];
    expect(outside(egress(rules, externals))).toEqual(['outside:80/TCP apps/order-out']);
    const open = [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 80 }] }];
    expect(outside(egress(open, externals))).toEqual([
      'cloud-metadata:80/TCP apps/order-out',
      'outside:80/TCP apps/order-out',
    ]);
    const narrow = [{ to: [{ ipBlock: { cidr: '169.254.169.254/32' } }] }];
    expect(outside(egress(narrow, externals))).toEqual([
      'cloud-metadata:any/SCTP apps/order-out',
      'cloud-metadata:any/TCP apps/order-out',
      'cloud-metadata:any/UDP apps/order-out',
    ]);
    expect(() => outside(egress([{ to: [{ ipBlock: { cidr: '10.0.0/8' } }] }]))).toThrow(
      'apps/order-out: ipBlock.cidr must be a CIDR such as 10.0.0.0/8 (got "10.0.0/8")',
    );
  });

  it('CIDR containment is exact at the edges of the block', () => {
    expect(cidrContains('10.0.0.0/8', '10.255.255.255')).toBe(true);
    expect(cidrContains('10.0.0.0/8', '11.0.0.0')).toBe(false);
    expect(cidrContains('10.1.2.3/8', '10.9.9.9')).toBe(true);
    expect(cidrContains('0.0.0.0/0', '255.255.255.255')).toBe(true);
    expect(cidrContains('::/0', '203.0.113.10')).toBe(false);
  });

  it('endPort ranges to the outside are merged per protocol and name the policies of each part', () => {
    const rules = [
      { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 8000, endPort: 8100 }, { port: 8101 }] },
      {
        to: [{ ipBlock: { cidr: '0.0.0.0/0' } }],
        ports: [{ port: 9000, protocol: 'UDP' }, { port: 'https' }],
      },
    ];
    expect(outside(egress(rules))).toEqual([
      'outside:8000-8101/TCP apps/order-out',
      'outside:9000/UDP apps/order-out',
    ]);
    const twoPolicies = {
      pods: [order],
      policies: [
        policy('apps', 'a', {
          podSelector: {},
          egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 1000, endPort: 2000 }] }],
        }),
        policy('apps', 'b', {
          podSelector: {},
          egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 1500, endPort: 2500 }] }],
        }),
      ],
    };
    expect(outside(twoPolicies)).toEqual([
      'outside:1000-1499/TCP apps/a',
      'outside:1500-2000/TCP apps/a,apps/b',
      'outside:2001-2500/TCP apps/b',
    ]);
  });

  it('a peer selecting pods does not reach the outside; an empty to does', () => {
    expect(outside(egress([{ to: [{ namespaceSelector: {} }], ports: [{ port: 443 }] }]))).toEqual([]);
    expect(outside(egress([{ ports: [{ port: 443 }] }]))).toEqual(['outside:443/TCP apps/order-out']);
  });

  it('the outside world connects in where an ingress rule admits its address: the gateway, not the rest', () => {
    const proxy = pod('platform', 'envoy', [
      { name: 'http', containerPort: 10080 },
      { name: 'metrics', containerPort: 19001 },
    ]);
    const webhook = pod('platform', 'webhook', [{ name: 'https', containerPort: 9443 }]);
    const externals = [
      { name: 'outside', address: '203.0.113.10' },
      { name: 'api-server', address: '10.0.0.1' },
    ];
    const input = {
      pods: [proxy, webhook],
      externals,
      policies: [
        denyAll('platform'),
        policy('platform', 'gateway-in', {
          podSelector: { matchLabels: { app: 'envoy' } },
          ingress: [{ ports: [{ port: 10080 }] }],
        }),
        policy('platform', 'webhook-in', {
          podSelector: { matchLabels: { app: 'webhook' } },
          ingress: [{ from: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['203.0.113.0/24'] } }] }],
        }),
      ],
    };
    expect(reachability(input).map(formatEdge)).toEqual([
      'api-server -> platform/envoy:10080/TCP  [platform/gateway-in]',
      'api-server -> platform/webhook:9443/TCP  [platform/webhook-in]',
      'outside -> platform/envoy:10080/TCP  [platform/gateway-in]',
    ]);
  });

  it('DNS is the kube-dns pod in kube-system: the usual rule reaches port 53 over UDP and TCP, not metrics', () => {
    const dnsRule = {
      to: [
        {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
          podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
        },
      ],
      ports: [
        { protocol: 'UDP', port: 53 },
        { protocol: 'TCP', port: 53 },
      ],
    };
    const input = { ...egress([dnsRule]), pods: [order, KUBE_DNS_POD] };
    expect(
      reachability(input)
        .filter((e) => e.from === 'apps/order')
        .map(formatEdge),
    ).toEqual([
      'apps/order -> kube-system/kube-dns:53/TCP  [apps/order-out] (unisolated ingress)',
      'apps/order -> kube-system/kube-dns:53/UDP  [apps/order-out] (unisolated ingress)',
    ]);
  });
});

describe('identities and verdicts', () => {
  it('pods of one identity (e.g. stable and canary tracks) merge into one edge, policies unioned', () => {
    const stable = { ...order, labels: { app: 'order', track: 'stable' } };
    const canary = { ...order, labels: { app: 'order', track: 'canary' } };
    const input = {
      pods: [stable, canary, user],
      policies: [
        denyAll('apps'),
        policy('apps', 'user-in', { podSelector: { matchLabels: { app: 'user' } }, ingress: [{}] }),
        policy('apps', 'stable-out', { podSelector: { matchLabels: { track: 'stable' } }, egress: [{}] }),
        policy('apps', 'canary-out', { podSelector: { matchLabels: { track: 'canary' } }, egress: [{}] }),
      ],
    };
    expect(reachability(input).filter((e) => e.to === 'apps/user' && e.from === 'apps/order')).toEqual([
      {
        from: 'apps/order',
        to: 'apps/user',
        port: 8080,
        protocol: 'TCP',
        policies: ['apps/canary-out', 'apps/stable-out', 'apps/user-in'],
        unisolated: [],
      },
    ]);
  });

  it('connectionVerdict resolves named ports and refuses a name the pod does not declare', () => {
    const input = { pods: [order, mongo], policies: [] };
    expect(connectionVerdict(input, order, mongo, 'mongodb').allowed).toBe(true);
    expect(() => connectionVerdict(input, order, mongo, 'http')).toThrow(ReachabilityError);
    expect(() => connectionVerdict(input, order, mongo, 'http')).toThrow(
      'data/mongodb has no TCP container port named "http"',
    );
  });
});
