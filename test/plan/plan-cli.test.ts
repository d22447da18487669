/**
 * End to end: the compiled plan CLI, run as a user runs it, on the real stack files and on fixtures.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { CHARTS, STRIMZI_KAFKA_VERSIONS } from '../../infra/versions';
import { SERVICE_CATALOG, SERVICE_NAMES } from '../../stacks/service-catalog';
import { ensureCompiled } from '../support/ensure-compiled';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'tools', 'plan', 'cli.js');
const fixtures = join(root, 'test', 'fixtures', 'plan-project');
const work = mkdtempSync(join(tmpdir(), 'plan-cli-'));

function plan(...args: string[]) {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Every file under dir, relative path -> contents. */
function tree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d).sort()) {
      const path = join(d, entry);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return files;
}

function manifest(out: string, stack: string, file: string): Record<string, any> {
  return parse(readFileSync(join(out, stack, 'manifests', file), 'utf8')) as Record<string, any>;
}

/** How Pulumi.<stack>.yaml delivers a service: rolling (the default), canary or blueGreen. */
function strategyOf(stack: string, service: string): string {
  const config = (parse(readFileSync(join(root, `Pulumi.${stack}.yaml`), 'utf8')) as Record<string, any>)
    .config;
  return config['platform:services']?.[service]?.delivery?.strategy ?? 'rolling';
}

/**
 * The service's workload: its Deployment when it rolls, its Argo Rollout of the same name when the stack
 * delivers it progressively, never both. Either way the pods come from spec.template.
 */
function workload(out: string, stack: string, service: string): Record<string, any> {
  const files = ['deployment', 'rollout'].filter((kind) =>
    existsSync(join(out, stack, 'manifests', 'apps', `${kind}-${service}.yaml`)),
  );
  const strategy = strategyOf(stack, service);
  expect(`${stack}/${service} (${strategy}): ${files.join(', ')}`).toBe(
    `${stack}/${service} (${strategy}): ${strategy === 'rolling' ? 'deployment' : 'rollout'}`,
  );
  const object = manifest(out, stack, `apps/${files[0]}-${service}.yaml`);
  if (strategy === 'rolling') {
    expect([object.apiVersion, object.kind]).toEqual(['apps/v1', 'Deployment']);
  } else {
    expect([object.apiVersion, object.kind]).toEqual(['argoproj.io/v1alpha1', 'Rollout']);
    expect(Object.keys(object.spec.strategy)).toEqual([strategy]);
  }
  expect(object.metadata.name).toBe(service);
  return object;
}

beforeAll(() => ensureCompiled(), 180_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm run plan -- --all', () => {
  const first = join(work, 'first');
  const second = join(work, 'second');
  let run: { code: number | null; output: string };

  beforeAll(() => {
    run = plan('--all', '--out', first);
  }, 180_000);

  it('plans the four environments and exits 0', () => {
    expect(run.output).toMatch(/planned 4 stack\(s\) in [\d.]+ s: dev, qat, uat, prod/);
    expect(run.code).toBe(0);
    for (const stack of ['dev', 'qat', 'uat', 'prod']) {
      expect(existsSync(join(first, stack, 'resources.json'))).toBe(true);
    }
  });

  it.each([
    ['dev', 2, 5, 2],
    ['qat', 3, 10, 3],
    ['uat', 5, 20, 5],
    ['prod', 10, 50, 10],
  ])(
    'gives the product service in %s an HPA of %i-%i and starts it at %i replicas',
    (stack, min, max, replicas) => {
      const hpa = manifest(first, stack, 'apps/horizontalpodautoscaler-product.yaml');
      expect(hpa.spec.minReplicas).toBe(min);
      expect(hpa.spec.maxReplicas).toBe(max);
      expect(
        hpa.spec.metrics.map((m: any) => [m.resource.name, m.resource.target.averageUtilization]),
      ).toEqual([
        ['cpu', 70],
        ['memory', 80],
      ]);
      // The HPA scales the workload that really exists (the canary Rollout), which starts at the floor.
      const product = workload(first, stack, 'product');
      expect(hpa.spec.scaleTargetRef).toEqual({
        apiVersion: product.apiVersion,
        kind: product.kind,
        name: 'product',
      });
      expect(product.spec.replicas).toBe(replicas);
      expect(product.spec.template.spec.containers[0].resources).toEqual({
        requests: { cpu: '250m', memory: '256Mi' },
        limits: { cpu: '500m', memory: '512Mi' },
      });
    },
  );

  it('creates the four namespaces, each closed by default', () => {
    for (const stack of ['dev', 'qat', 'uat', 'prod']) {
      for (const ns of ['platform', 'data', 'apps', 'monitoring']) {
        expect(manifest(first, stack, `_cluster/namespace-${ns}.yaml`).metadata.name).toBe(ns);
        expect(manifest(first, stack, `${ns}/networkpolicy-default-deny.yaml`).spec).toEqual({
          podSelector: {},
          policyTypes: ['Ingress', 'Egress'],
        });
      }
    }
  });

  it('spreads EKS replicas across zones and on-prem replicas across nodes', () => {
    const zones = (stack: string, service: string) => {
      const template = workload(first, stack, service).spec.template;
      const constraints = template.spec.topologySpreadConstraints as any[];
      // Each constraint counts the pods of every track: it selects only labels the template itself carries
      // (Argo adds the track per ReplicaSet).
      for (const c of constraints)
        expect(template.metadata.labels).toMatchObject(c.labelSelector.matchLabels);
      return constraints.map((c) => c.topologyKey);
    };
    for (const service of ['product', 'user', 'analytics']) {
      expect(zones('prod', service)).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
      expect(zones('dev', service)).toEqual(['kubernetes.io/hostname']);
    }
  });

  const resources = (stack: string) =>
    JSON.parse(readFileSync(join(first, stack, 'resources.json'), 'utf8')) as {
      type: string;
      name: string;
      inputs: Record<string, any>;
    }[];

  it('gives dev and qat no AWS resources at all', () => {
    for (const stack of ['dev', 'qat']) {
      const aws = resources(stack).filter((r) => r.type.startsWith('aws:') || r.type.startsWith('eks:'));
      expect(aws).toEqual([]);
    }
  });

  it.each([
    ['uat', 1, { system: [2, 2, 3], workloads: [3, 3, 12], data: [3, 3, 6] }],
    ['prod', 3, { system: [2, 2, 3], workloads: [6, 6, 30], data: [3, 3, 6] }],
  ] as const)(
    'builds %s on EKS: VPC over 3 zones, %i NAT, sized node groups, add-ons, ECR',
    (stack, nats, sizes) => {
      const all = resources(stack);
      const of = (type: string) => all.filter((r) => r.type === type);
      const subnets = of('aws:ec2/subnet:Subnet');
      expect(subnets).toHaveLength(6);
      expect(new Set(subnets.map((s) => s.inputs.availabilityZone))).toEqual(
        new Set(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']),
      );
      expect(of('aws:ec2/natGateway:NatGateway')).toHaveLength(nats);
      const [cluster] = of('eks:index:Cluster');
      expect(cluster?.inputs).toMatchObject({
        version: '1.33',
        authenticationMode: 'API',
        endpointPrivateAccess: true,
        createOidcProvider: true,
      });
      expect(cluster?.inputs.publicAccessCidrs).not.toContain('0.0.0.0/0');
      const groups = Object.fromEntries(
        of('aws:eks/nodeGroup:NodeGroup').map((g) => [
          g.inputs.labels['platform.io/pool'],
          [
            g.inputs.scalingConfig.minSize,
            g.inputs.scalingConfig.desiredSize,
            g.inputs.scalingConfig.maxSize,
          ],
        ]),
      );
      expect(groups).toEqual(sizes);
      const releases = of('kubernetes:helm.sh/v3:Release').map((r) => r.inputs.name);
      expect(releases).toEqual(
        expect.arrayContaining([
          'aws-load-balancer-controller',
          'cluster-autoscaler',
          'external-secrets',
          'metrics-server',
        ]),
      );
      expect(of('aws:eks/addon:Addon').map((a) => a.inputs.addonName)).toContain('aws-ebs-csi-driver');
      const repos = of('aws:ecr/repository:Repository');
      expect(repos.map((r) => r.inputs.name).sort()).toEqual(
        ['analytics', 'notification', 'order', 'product', 'user'].map((s) => `platform/${s}`),
      );
      const repo = repos.find((r) => r.inputs.name === 'platform/product');
      expect(repo?.inputs).toMatchObject({ imageTagMutability: 'IMMUTABLE' });
      expect(repo?.inputs.imageScanningConfiguration).toEqual({ scanOnPush: true });
    },
  );

  it('scopes every IRSA role in uat and prod to exactly one service account', () => {
    for (const stack of ['uat', 'prod']) {
      const roles = resources(stack).filter(
        (r) =>
          r.type === 'aws:iam/role:Role' &&
          String(r.inputs.assumeRolePolicy).includes('AssumeRoleWithWebIdentity'),
      );
      expect(roles.length).toBeGreaterThanOrEqual(4);
      const subjects = roles.map((r) => {
        const policy = JSON.parse(r.inputs.assumeRolePolicy as string);
        expect(policy.Statement).toHaveLength(1);
        const conditions = policy.Statement[0].Condition;
        expect(Object.keys(conditions)).toEqual(['StringEquals']);
        const sub = Object.entries(conditions.StringEquals).filter(([k]) => k.endsWith(':sub'));
        expect(sub).toHaveLength(1);
        expect(String(sub[0]?.[1])).toMatch(/^system:serviceaccount:[a-z0-9-]+:[a-z0-9-]+$/);
        return sub[0]?.[1];
      });
      expect(new Set(subjects).size).toBe(subjects.length);
    }
  });

  it("publishes the routes' hostnames with ExternalDNS in uat and prod, into their zone only; none on prem", () => {
    const externalDns = (stack: string) =>
      resources(stack).filter(
        (r) => r.type === 'kubernetes:helm.sh/v3:Release' && r.inputs.chart === CHARTS.externalDns.chart,
      );
    for (const stack of ['uat', 'prod']) {
      const dns = (parse(readFileSync(join(root, `Pulumi.${stack}.yaml`), 'utf8')) as Record<string, any>)
        .config['platform:dns'];
      expect(dns.domain).toBe(`${stack}.platform.internal`);
      const [release, ...others] = externalDns(stack);
      expect(others).toEqual([]);
      expect(release?.inputs).toMatchObject({
        name: 'external-dns',
        version: CHARTS.externalDns.version,
        namespace: 'external-dns',
      });
      expect(release?.inputs.values).toMatchObject({
        sources: ['gateway-httproute'],
        gatewayNamespace: 'platform',
        domainFilters: [dns.domain],
        policy: 'upsert-only',
        txtOwnerId: `platform-${stack}`,
        extraArgs: { 'zone-id-filter': dns.hostedZoneId },
      });
      // Every hostname the routes serve lies inside the domain ExternalDNS manages.
      const hostnames = [...tree(join(first, stack, 'manifests')).values()]
        .map((text) => parse(text) as Record<string, any>)
        .filter((o) => o.kind === 'HTTPRoute')
        .flatMap((o) => (o.spec.hostnames ?? []) as string[]);
      expect(hostnames.length).toBeGreaterThan(0);
      for (const hostname of hostnames) expect(hostname.endsWith(`.${dns.domain}`)).toBe(true);
      // Its role changes records in the stack's own zone and nowhere else.
      const policy = resources(stack).find(
        (r) => r.type === 'aws:iam/policy:Policy' && r.inputs.name === `platform-${stack}-external-dns`,
      );
      const statements = JSON.parse(policy?.inputs.policy).Statement as Record<string, any>[];
      const changes = statements.filter((s) =>
        [s.Action].flat().includes('route53:ChangeResourceRecordSets'),
      );
      expect(changes.map((s) => s.Resource)).toEqual([`arn:aws:route53:::hostedzone/${dns.hostedZoneId}`]);
    }
    expect(run.output).toMatch(/external-dns\/external-dns\s+external-dns 1\.18\.0/);
    for (const stack of ['dev', 'qat']) expect(externalDns(stack)).toEqual([]);
  });

  it('installs CRDs before the objects that use them, and leaves autoscaled replica counts to the HPA', () => {
    for (const stack of ['dev', 'uat']) {
      const all = resources(stack) as {
        type: string;
        name: string;
        dependsOn?: string[];
        ignoreChanges?: string[];
      }[];
      const one = (type: string) => all.find((r) => r.type === type);
      expect(one('kubernetes:gateway.networking.k8s.io/v1:Gateway')?.dependsOn).toEqual(
        expect.arrayContaining([`${stack}-baseline-envoy-gateway`, `${stack}-baseline-cert-manager`]),
      );
      for (const issuer of all.filter((r) => r.type === 'kubernetes:cert-manager.io/v1:ClusterIssuer')) {
        expect(issuer.dependsOn).toContain(`${stack}-baseline-cert-manager`);
      }
      const workloads = all.filter(
        (r) =>
          r.type === 'kubernetes:apps/v1:Deployment' || r.type === 'kubernetes:argoproj.io/v1alpha1:Rollout',
      );
      // Every service's workload, whichever kind: dev has the product Rollout, uat three Rollouts.
      expect(workloads).toHaveLength(SERVICE_NAMES.length);
      expect(workloads.some((r) => r.type === 'kubernetes:argoproj.io/v1alpha1:Rollout')).toBe(true);
      for (const w of workloads) expect(w.ignoreChanges).toEqual(['spec.replicas']);
    }
  });

  it('exposes the gateway as each cluster declares: MetalLB in dev, NodePorts in qat, an NLB on EKS', () => {
    const service = (stack: string) =>
      manifest(first, stack, 'platform/envoyproxy-platform-proxy.yaml').spec.provider.kubernetes.envoyService;
    expect(service('dev')).toMatchObject({
      type: 'LoadBalancer',
      annotations: { 'metallb.io/address-pool': 'dev-public' },
    });
    expect(service('qat').type).toBe('NodePort');
    expect(service('qat').patch.value.spec.ports.map((p: any) => p.nodePort)).toEqual([30080, 30443]);
    expect(service('prod')).toMatchObject({
      type: 'LoadBalancer',
      annotations: { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing' },
    });
    const gateway = manifest(first, 'prod', 'platform/gateway-platform.yaml');
    expect(gateway.spec.listeners.map((l: any) => [l.protocol, l.port])).toEqual([
      ['HTTP', 80],
      ['HTTPS', 443],
    ]);
  });

  it('sizes the apps quota so the HPA can reach its maximum', () => {
    const quota = manifest(first, 'prod', 'apps/resourcequota-compute.yaml').spec.hard;
    // Five services of 50 replicas plus 25 % surge each (63), doubled for the three progressive ones (order
    // and product canary, user blue-green) whose old and new ReplicaSets run at once, plus 10 pods of headroom.
    expect(quota.pods).toBe(String(2 * 63 + 3 * 2 * 63 + 10));
    // The same from what the plan renders: each HPA's ceiling with surge, twice for a Rollout.
    let pods = 10;
    for (const service of SERVICE_NAMES) {
      const hpa = manifest(first, 'prod', `apps/horizontalpodautoscaler-${service}.yaml`);
      const peak = Math.ceil(hpa.spec.maxReplicas * 1.25);
      pods += workload(first, 'prod', service).kind === 'Rollout' ? 2 * peak : peak;
    }
    expect(quota.pods).toBe(String(pods));
    expect(manifest(first, 'prod', 'apps/limitrange-container-defaults.yaml').spec.limits[0].type).toBe(
      'Container',
    );
  });

  describe('north-south routes', () => {
    type Obj = Record<string, any>;
    const objectsOf = (stack: string): Obj[] =>
      [...tree(join(first, stack, 'manifests')).values()].map((t) => parse(t));
    const gatewayOf = (objects: Obj[]): Obj => objects.find((o) => o.kind === 'Gateway') ?? {};

    /** Which backend a request reaches: the route attached to the listener, host and longest path prefix. */
    function resolve(objects: Obj[], listener: string, host: string, path: string): string | undefined {
      const hostMatches = (pattern: string) =>
        pattern.startsWith('*.')
          ? host.endsWith(pattern.slice(1)) && !host.slice(0, -pattern.length + 1).includes('.')
          : host === pattern;
      let best: { length: number; target: string } | undefined;
      for (const route of objects.filter((o) => o.kind === 'HTTPRoute')) {
        if (!route.spec.parentRefs.some((p: Obj) => p.sectionName === listener)) continue;
        if (route.spec.hostnames && !route.spec.hostnames.some(hostMatches)) continue;
        for (const rule of route.spec.rules) {
          // Gateway API weights: a backend receives weight/sum of the rule's requests (weight defaults to 1),
          // so a weight-0 backend (a canary at rest) receives nothing, and all-zero weights answer 500.
          const receiving = (rule.backendRefs ?? []).filter((b: Obj) => (b.weight ?? 1) > 0);
          const target = !rule.backendRefs?.length
            ? 'redirect'
            : receiving.length
              ? receiving.map((b: Obj) => `${b.name}:${b.port}`).join(',')
              : 'error 500';
          for (const m of rule.matches ?? [{ path: { type: 'PathPrefix', value: '/' } }]) {
            const prefix: string = m.path.value.replace(/\/$/, '');
            const covers = path === prefix || path.startsWith(`${prefix}/`) || prefix === '';
            if (m.path.type === 'PathPrefix' && covers && (!best || prefix.length > best.length)) {
              best = { length: prefix.length, target };
            }
          }
        }
      }
      return best?.target;
    }

    it.each(['dev', 'qat', 'uat', 'prod'])(
      '%s: routes every public prefix of the catalog over HTTPS only, at the environment hostnames, to an existing Service port',
      (stack) => {
        const objects = objectsOf(stack);
        const gateway = gatewayOf(objects);
        const https = gateway.spec.listeners.filter((l: Obj) => l.protocol === 'HTTPS');
        for (const name of SERVICE_NAMES.filter((n) => SERVICE_CATALOG[n].public)) {
          const route: Obj = objects.find((o) => o.kind === 'HTTPRoute' && o.metadata.name === name) ?? {};
          expect(route.metadata?.namespace).toBe('apps');
          expect(route.spec.parentRefs.map((p: Obj) => [p.name, p.namespace, p.sectionName])).toEqual(
            https.map((l: Obj) => ['platform', 'platform', l.name]),
          );
          expect(route.spec.hostnames).toEqual(https.map((l: Obj) => l.hostname));
          expect(route.spec.hostnames).toEqual([`*.${stack}.platform.internal`]);
          const rule = route.spec.rules[0];
          expect(rule.matches.map((m: Obj) => m.path)).toEqual(
            SERVICE_CATALOG[name].pathPrefixes.map((value) => ({ type: 'PathPrefix', value })),
          );
          expect(rule.filters[0].responseHeaderModifier.set[0].name).toBe('Strict-Transport-Security');
          for (const backend of rule.backendRefs) {
            const service = objects.find((o) => o.kind === 'Service' && o.metadata.name === backend.name);
            expect(service?.spec.ports.map((p: Obj) => p.port)).toContain(backend.port);
          }
        }
        // Plain HTTP only redirects, and no other route may attach to it.
        const http = gateway.spec.listeners.find((l: Obj) => l.protocol === 'HTTP');
        expect(http.allowedRoutes).toEqual({ namespaces: { from: 'Same' } });
        const onHttp = objects.filter(
          (o) => o.kind === 'HTTPRoute' && o.spec.parentRefs.some((p: Obj) => p.sectionName === http.name),
        );
        expect(onHttp.map((o) => o.spec.rules.map((r: Obj) => r.filters?.[0]?.requestRedirect))).toEqual([
          [{ scheme: 'https', statusCode: 301 }],
        ]);
      },
    );

    it.each(['dev', 'prod'])(
      '%s: the route table sends each request where it belongs, or nowhere',
      (stack) => {
        const objects = objectsOf(stack);
        const host = `api.${stack}.platform.internal`;
        const table: [string, string | undefined][] = [
          ['/api/products', 'product:80'],
          ['/api/products/0b6f0a40-1c1e-4f7e-9a55-0d3a5f1e2b11', 'product:80'],
          ['/api/auth/login', 'user:80'],
          ['/api/users/42', 'user:80'],
          ['/api/orders/1/pay', 'order:80'],
          ['/api/notifications/send', 'notification:80'],
          ['/api/analytics/summary', 'analytics:80'],
          ['/api/productsx', undefined],
          ['/metrics', undefined],
          ['/health', undefined],
          ['/ready', undefined],
          ['/internal/users/42', undefined],
          ['/internal/products/1/stock', undefined],
          ['/', undefined],
        ];
        for (const [path, expected] of table) {
          expect(`${path} -> ${resolve(objects, 'https-0', host, path)}`).toBe(`${path} -> ${expected}`);
        }
        expect(resolve(objects, 'https-0', 'api.elsewhere.example', '/api/products')).toBeUndefined();
        expect(resolve(objects, 'http', host, '/api/products')).toBe('redirect');
        // Product is a canary here: its route lists the canary Service too, at weight 0 until a rollout.
        const product = objects.find((o) => o.kind === 'HTTPRoute' && o.metadata.name === 'product');
        expect(product?.spec.rules[0].backendRefs.map((b: Obj) => [b.name, b.port, b.weight ?? 1])).toEqual([
          ['product', 80, 100],
          ['product-canary', 80, 0],
        ]);
      },
    );

    it.each(['dev', 'prod'])(
      '%s: every route has its edge policy, login and registration stricter, and the Gateway its client policy',
      (stack) => {
        const objects = objectsOf(stack);
        const routes = objects.filter((o) => o.kind === 'HTTPRoute' && o.metadata.namespace === 'apps');
        const policies = objects.filter((o) => o.kind === 'BackendTrafficPolicy');
        expect(policies.map((p) => p.spec.targetRefs[0].name).sort()).toEqual(
          routes.map((r) => r.metadata.name).sort(),
        );
        const limit = (name: string) =>
          policies.find((p) => p.metadata.name === name)?.spec.rateLimit.local.rules[0].limit.requests;
        expect([limit('product'), limit('user-api-auth-login'), limit('user-api-auth-register')]).toEqual([
          600, 20, 10,
        ]);
        const host = `api.${stack}.platform.internal`;
        expect(resolve(objects, 'https-0', host, '/api/auth/login')).toBe('user:80');
        const client = objects.find((o) => o.kind === 'ClientTrafficPolicy');
        expect(client?.spec).toMatchObject({
          targetRefs: [{ kind: 'Gateway', name: 'platform' }],
          clientIPDetection: { xForwardedFor: { numTrustedHops: 0 } },
          connection: { connectionLimit: { value: 10000 }, bufferLimit: '1Mi' },
        });
      },
    );

    it('lets the gateway proxies reach exactly the public services, on their port', () => {
      const objects = objectsOf('dev');
      const policy: Obj =
        objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'allow-gateway-to-apps') ?? {};
      const [egress] = policy.spec.egress;
      expect(egress.to).toEqual([
        {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'apps' } },
          podSelector: {
            matchExpressions: [
              {
                key: 'app.kubernetes.io/name',
                operator: 'In',
                values: SERVICE_NAMES.filter((n) => SERVICE_CATALOG[n].public).sort(),
              },
            ],
          },
        },
      ]);
      expect(egress.ports).toEqual([{ protocol: 'TCP', port: 8080 }]);
    });
  });

  it('records every resource with its type, name and inputs', () => {
    const resources = JSON.parse(readFileSync(join(first, 'dev', 'resources.json'), 'utf8')) as any[];
    const types = resources.map((r) => r.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'platform:apps:Microservice',
        'platform:baseline:Namespaces',
        'pulumi:providers:kubernetes',
        'kubernetes:apps/v1:Deployment',
      ]),
    );
    const provider = resources.find((r) => r.type === 'pulumi:providers:kubernetes');
    expect(provider.name).toBe('dev-cluster-provider');
    expect(provider.inputs.context).toBe('onprem-dev');
    for (const r of resources)
      expect(Object.keys(r).sort()).toEqual(expect.arrayContaining(['inputs', 'name', 'type']));
  });

  it('prints resources by type, objects by namespace and the workloads', () => {
    expect(run.output).toContain('Plan of stack "prod"');
    const prod = run.output.slice(run.output.indexOf('Plan of stack "prod"'));
    // prod rolls analytics and notification, and delivers order and product as canaries, user blue-green.
    expect(prod).toMatch(/kubernetes:apps\/v1:Deployment\s+2\n/);
    expect(prod).toMatch(/kubernetes:argoproj\.io\/v1alpha1:Rollout\s+3\n/);
    expect(prod).toMatch(
      /\n {4}apps\s+4 AnalysisTemplate, 7 BackendTrafficPolicy, 2 Deployment, \d+ ExternalSecret, 5 HorizontalPodAutoscaler, .*, 3 Rollout, /,
    );
    const sizes = 'replicas 10, HPA 10-50, requests 250m\\/256Mi, limits 500m\\/512Mi';
    expect(prod).toMatch(new RegExp(`apps/analytics\\s+${sizes}\\n`));
    expect(prod).toMatch(
      new RegExp(
        `apps/product\\s+${sizes}; canary 10% -> pause 5m -> 50% -> pause 5m -> 100%, .*product-slo\\n`,
      ),
    );
    expect(prod).toMatch(
      new RegExp(`apps/user\\s+${sizes}; blue-green user/user-preview, manual promotion, .*user-slo\\n`),
    );
  });

  describe('data stores', () => {
    const objects = (stack: string, kind: string) =>
      resources(stack)
        .filter((r) => r.inputs.kind === kind)
        .map((r) => r.inputs as Record<string, any>);

    it.each(['dev', 'qat', 'uat', 'prod'])(
      '%s: the operator custom resources name versions the pinned operators run',
      (stack) => {
        const [psmdb] = objects(stack, 'PerconaServerMongoDB');
        expect(psmdb?.spec.crVersion).toBe(CHARTS.perconaMongodbOperator.appVersion);
        const [kafka] = objects(stack, 'Kafka');
        expect(STRIMZI_KAFKA_VERSIONS).toContain(kafka?.spec.kafka.version);
        // The releases install exactly the pinned charts, so the app versions above are what runs.
        const release = (chart: string) =>
          resources(stack).find((r) => r.type === 'kubernetes:helm.sh/v3:Release' && r.inputs.chart === chart)
            ?.inputs as Record<string, any> | undefined;
        expect(release(CHARTS.perconaMongodbOperator.chart)?.version).toBe(
          CHARTS.perconaMongodbOperator.version,
        );
        expect(release(CHARTS.strimzi.chart)?.version).toBe(CHARTS.strimzi.version);
      },
    );

    it.each([
      ['dev', '20Gi', '0 2 * * 0', 4, false, undefined],
      ['qat', '20Gi', '0 2 * * *', 14, false, undefined],
      ['uat', '100Gi', '0 2 * * *', 35, true, 10],
      ['prod', '500Gi', '0 2 * * *', 35, true, 5],
    ] as const)(
      '%s: MongoDB replica set of 3 x %s, base backup "%s" keeping %i, PITR %s',
      (stack, size, cron, keep, pitr, span) => {
        const [psmdb] = objects(stack, 'PerconaServerMongoDB');
        const rs = psmdb?.spec.replsets[0];
        expect(rs.size).toBe(3);
        expect(rs.volumeSpec.persistentVolumeClaim.resources.requests.storage).toBe(size);
        expect(rs.podDisruptionBudget).toEqual({ maxUnavailable: 1 });
        expect(rs.affinity.antiAffinityTopologyKey).toBe(
          stack === 'uat' || stack === 'prod' ? 'topology.kubernetes.io/zone' : 'kubernetes.io/hostname',
        );
        const task = psmdb?.spec.backup.tasks[0];
        expect(task).toMatchObject({ schedule: cron, enabled: true });
        expect(task.retention.count).toBe(keep);
        expect(psmdb?.spec.backup.pitr.enabled).toBe(pitr);
        if (span !== undefined) {
          expect(psmdb?.spec.backup.pitr.oplogSpanMin).toBe(span);
          expect(psmdb?.spec.backup.pitr.oplogSpanMin).toBeLessThan(15);
        }
        // Every service that stores data has its own user, limited to its own database.
        expect(psmdb?.spec.users.map((u: any) => [u.name, u.roles])).toEqual(
          ['analytics', 'notification', 'order', 'product', 'user'].map((s) => [
            s,
            [{ name: 'readWrite', db: s }],
          ]),
        );
      },
    );

    it.each([
      ['dev', { combined: [3, ['controller', 'broker'], '50Gi'] }],
      ['qat', { combined: [3, ['controller', 'broker'], '50Gi'] }],
      ['uat', { controller: [3, ['controller'], '20Gi'], broker: [3, ['broker'], '200Gi'] }],
      ['prod', { controller: [3, ['controller'], '20Gi'], broker: [3, ['broker'], '500Gi'] }],
    ] as const)('%s: Kafka in KRaft mode with node pools %j and the event topics', (stack, pools) => {
      const found = Object.fromEntries(
        objects(stack, 'KafkaNodePool').map((p) => [
          p.metadata.name,
          [p.spec.replicas, p.spec.roles, JSON.stringify(p.spec.storage).match(/"size":"(\w+)"/)?.[1]],
        ]),
      );
      expect(found).toEqual(pools);
      const [kafka] = objects(stack, 'Kafka');
      expect(kafka?.spec.kafka.config).toMatchObject({
        'default.replication.factor': 3,
        'min.insync.replicas': 2,
        'auto.create.topics.enable': false,
      });
      expect(kafka?.spec.kafka.listeners).toEqual([
        expect.objectContaining({ port: 9093, tls: true, authentication: { type: 'scram-sha-512' } }),
        // DR (prod): the listener the standby's MirrorMaker 2 reads (stacks/kafka-mirror-plan.test.ts).
        ...(stack === 'prod'
          ? [expect.objectContaining({ name: 'mm2', port: 9094, type: 'loadbalancer', tls: true })]
          : []),
      ]);
      expect(kafka?.spec.kafka.rack !== undefined).toBe(stack !== 'dev');
      const topics = objects(stack, 'KafkaTopic').map((t) => `${t.metadata.name}:${t.spec.replicas}`);
      expect(topics.sort()).toEqual([
        'analytics-dlq:3',
        'analytics-events:3',
        'notification-dlq:3',
        'notification-events:3',
        'order-events:3',
        'user-events:3',
      ]);
      const acls = (name: string) =>
        objects(stack, 'KafkaUser')
          .find((u) => u.metadata.name === name)
          ?.spec.authorization.acls.map(
            (a: any) => `${a.resource.type}:${a.resource.name}:${[...a.operations].sort().join('+')}`,
          )
          .sort();
      expect(acls('product')).toEqual(['topic:analytics-events:Describe+Write']);
      expect(acls('notification')).toEqual([
        'group:notification:Read',
        'topic:notification-dlq:Describe+Write',
        'topic:notification-events:Describe+Write',
        'topic:order-events:Describe+Read',
        'topic:user-events:Describe+Read',
      ]);
    });

    it.each([
      ['dev', 1, '5Gi'],
      ['uat', 2, '20Gi'],
      ['prod', 3, '50Gi'],
    ] as const)('%s: Redis with %i data node(s) of %s and 3 sentinels', (stack, nodes, size) => {
      const sets = Object.fromEntries(objects(stack, 'StatefulSet').map((s) => [s.metadata.name, s]));
      expect(sets.redis?.spec.replicas).toBe(nodes);
      expect(sets.redis?.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe(size);
      expect(sets['redis-sentinel']?.spec.replicas).toBe(3);
      const config = objects(stack, 'ConfigMap').find((c) => c.metadata.name.startsWith('redis'));
      const sentinelConf = String(Object.values(config?.data ?? {}).join('\n'));
      expect(sentinelConf).toMatch(/down-after-milliseconds \S+ 5000/);
    });

    it('lets each store accept only the services that use it, and the services reach the stores', () => {
      for (const stack of ['dev', 'prod']) {
        const policies = objects(stack, 'NetworkPolicy').filter((p) => p.metadata.namespace === 'data');
        const redisPods = objects(stack, 'StatefulSet').find((s) => s.metadata.name === 'redis')?.spec
          .template.metadata.labels;
        const product = objects(stack, 'NetworkPolicy').find(
          (p) => p.metadata.namespace === 'apps' && p.metadata.name === 'product',
        );
        const egress = JSON.stringify(product?.spec.egress);
        // The service's egress selects the labels the Redis pods really carry.
        const redisPeer = product?.spec.egress.find((e: any) => JSON.stringify(e.ports).includes('26379'));
        expect(redisPods).toMatchObject(redisPeer.to[0].podSelector.matchLabels);
        expect(egress).toContain('percona-server-mongodb');
        expect(egress).toContain('"strimzi.io/broker-role":"true"');
        // Ingress from the apps namespace admits only the services that use that store (notification and
        // order have no Redis).
        const admitted = (policy: string) =>
          policies
            .filter((p) => p.metadata.name === policy)
            .flatMap((p) => p.spec.ingress ?? [])
            .flatMap((rule: any) => rule.from ?? [])
            .filter(
              (peer: any) => peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'apps',
            )
            .map((peer: any) => peer.podSelector?.matchLabels?.['app.kubernetes.io/name'])
            .sort();
        expect(admitted('redis')).toEqual(['analytics', 'product', 'user']);
        expect(admitted('mongodb-mongod')).toEqual(['analytics', 'notification', 'order', 'product', 'user']);
      }
    });

    it('wires the services to the stores through one Secret each, and never writes a password', () => {
      const container = workload(first, 'dev', 'product').spec.template.spec.containers[0];
      expect(container.envFrom).toEqual([
        { secretRef: { name: 'jwt-signing-key' } },
        { secretRef: { name: 'product-data' } },
        { secretRef: { name: 'kafka-cluster-ca' } },
      ]);
      // The order service finds the services it calls through their cluster Services.
      const order = workload(first, 'dev', 'order').spec.template.spec.containers[0];
      expect(Object.fromEntries(order.env.map((e: any) => [e.name, e.value]))).toMatchObject({
        USER_SERVICE_URL: 'http://user.apps.svc.cluster.local:80',
        PRODUCT_SERVICE_URL: 'http://product.apps.svc.cluster.local:80',
        JWT_ISSUER: 'platform-dev',
      });
      const env = Object.fromEntries(container.env.map((e: any) => [e.name, e.value]));
      expect(env).toMatchObject({
        STORAGE: 'mongo',
        EVENTS: 'kafka',
        CACHE: 'redis',
        MONGODB_DATABASE: 'product',
        MONGODB_REPLICA_SET: 'rs0',
        REDIS_MASTER_NAME: 'mymaster',
        KAFKA_BROKERS: 'kafka-kafka-bootstrap.data.svc:9093',
      });
      for (const stack of ['dev', 'qat', 'uat', 'prod']) {
        expect(readFileSync(join(first, stack, 'resources.json'), 'utf8')).not.toContain('planned-password');
        for (const [, text] of tree(join(first, stack, 'manifests'))) {
          expect(text).not.toContain('planned-password');
        }
      }
    });

    it.each(['dev', 'prod'])(
      '%s: gives the order service its own service key and its callees exactly that key, and the user service the administrators',
      (stack) => {
        const container = (service: string) =>
          workload(first, stack, service).spec.template.spec.containers[0];
        const keyRefs = (service: string) =>
          Object.fromEntries(
            (container(service).env as any[])
              .filter((e) => e.valueFrom?.secretKeyRef)
              .map((e) => [e.name, e.valueFrom.secretKeyRef]),
          );
        const fromSecrets = (service: string) =>
          (container(service).envFrom as any[]).map((e) => e.secretRef.name);
        const orderKey = { SERVICE_KEY_ORDER: { name: 'service-key-order', key: 'SERVICE_TOKEN_KEY' } };
        expect(keyRefs('product')).toEqual(orderKey);
        expect(keyRefs('user')).toEqual(orderKey);
        for (const service of ['order', 'notification', 'analytics']) expect(keyRefs(service)).toEqual({});
        expect(fromSecrets('order')).toContain('service-key-order');
        expect(fromSecrets('user')).toContain('user-admins');
        for (const service of ['product', 'notification', 'analytics']) {
          expect(fromSecrets(service)).not.toContain('service-key-order');
          expect(fromSecrets(service)).not.toContain('user-admins');
        }
        // The key is generated (64 characters, rotated by auth.serviceKeyRotation) and never written out.
        const password = resources(stack).find(
          (r) =>
            r.type === 'random:index/randomPassword:RandomPassword' && r.name.includes('service-key-order'),
        );
        expect(password?.inputs).toMatchObject({
          length: 64,
          special: false,
          keepers: { rotation: 'initial' },
        });
      },
    );

    it('keeps EKS secrets in Secrets Manager and backs MongoDB up to a private bucket through IRSA', () => {
      const all = resources('prod');
      const secrets = all
        .filter((r) => r.type === 'aws:secretsmanager/secret:Secret')
        .map((r) => r.inputs.name);
      const services = ['analytics', 'notification', 'order', 'product', 'user'];
      expect(secrets.sort()).toEqual(
        [
          'grafana-admin',
          'jwt-signing-key',
          ...services.map((s) => `kafka-user-${s}`),
          // DR: MirrorMaker 2's source user, replicated to the standby region.
          'kafka-user-mirror-maker-source',
          ...services.map((s) => `mongodb-user-${s}`),
          // DR: the operator's system users, shared with the standby (a restore there needs the source's).
          'mongodb-system-users',
          ...services.map((s) => `${s}-data`),
          'redis-auth',
          'service-key-order',
          'user-admins',
        ]
          .map((name) => `platform/prod/${name}`)
          .sort(),
      );
      const [bucket] = all.filter((r) => r.type === 'aws:s3/bucket:Bucket');
      expect(bucket?.inputs.bucket).toBe('platform-prod-444455556666-mongodb-backups');
      expect(
        all.find((r) => r.type === 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock')?.inputs,
      ).toMatchObject({ blockPublicAcls: true, restrictPublicBuckets: true });
      const role = all.find(
        (r) => r.type === 'aws:iam/role:Role' && r.inputs.name === 'platform-prod-mongodb-backup',
      );
      expect(String(role?.inputs.assumeRolePolicy)).toContain('system:serviceaccount:data:mongodb');
      const sa = objects('prod', 'ServiceAccount').find((s) => s.metadata.name === 'mongodb');
      expect(sa?.metadata.annotations['eks.amazonaws.com/role-arn']).toContain(
        'platform-prod-mongodb-backup',
      );
    });

    it('summarises the data stores for review', () => {
      expect(run.output).toMatch(
        /Kafka data\/kafka: 4\.1\.0 \(KRaft\), pools broker x 3 \[broker\] 500Gi, controller x 3/,
      );
      expect(run.output).toMatch(/backups: "0 2 \* \* 0" keep 4 to s3:\/\/platform-dev-backups/);
      expect(run.output).toContain('PITR on (oplog span 5 min)');
    });
  });

  it('is deterministic: a second run writes byte-identical files', () => {
    const again = plan('--all', '--out', second);
    expect(again.code).toBe(0);
    const a = tree(first);
    const b = tree(second);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [file, text] of a) expect(b.get(file)).toBe(text);
  }, 180_000);
});

describe('the plan refuses bad input', () => {
  it('refuses invalid stack config before declaring anything, listing every problem', () => {
    const out = join(work, 'bad');
    const result = plan('badconfig', '--root', fixtures, '--out', out);
    expect(result.code).toBe(2);
    expect(result.output).toContain('Invalid config for stack "badconfig" (2 problems)');
    expect(result.output).toContain(
      'platform:services.search: unknown service; allowed: user, product, order',
    );
    expect(result.output).toContain(
      'platform:services.product.autoscaling: minReplicas (8) must be <= maxReplicas (4)',
    );
    expect(existsSync(join(out, 'badconfig'))).toBe(false);
  }, 60_000);

  it('refuses config keys without a namespace', () => {
    const result = plan('unnamespaced', '--root', fixtures, '--out', join(work, 'unns'));
    expect(result.code).toBe(2);
    expect(result.output).toContain(
      'config key "tier" must be namespaced as "<namespace>:<key>", e.g. "platform:tier"',
    );
  }, 60_000);

  it('refuses a misspelt config namespace and two roles in one namespace with exit 2, not a crash', () => {
    const out = join(work, 'typos');
    const result = plan('typos', '--root', fixtures, '--out', out);
    expect(result.code).toBe(2);
    expect(result.output).toContain(
      'platfrom:monitoring: unknown config namespace "platfrom": nothing reads it, so the key would be ignored (did you mean "platform:monitoring"?)',
    );
    expect(result.output).toContain('platform:namespaces.apps: "apps" is already the data namespace');
    expect(result.output).not.toMatch(/crashed|at .*\.js:\d+/);
    expect(existsSync(join(out, 'typos'))).toBe(false);
  }, 60_000);

  it('refuses a plaintext kubeconfig without printing it, and an empty secure value', () => {
    const plain = plan('plainkube', '--root', fixtures, '--out', join(work, 'plainkube'));
    expect(plain.code).toBe(2);
    expect(plain.output).toContain('platform:kubeconfig: must be a secret');
    expect(plain.output).not.toContain('plaintext-token-that-must-not-leak');
    const empty = plan('emptysecret', '--root', fixtures, '--out', join(work, 'emptysecret'));
    expect(empty.code).toBe(2);
    expect(empty.output).toContain('Pulumi.emptysecret.yaml: platform:kubeconfig is an empty secure value');
  }, 60_000);

  it('refuses a VPC block that overlaps another stack file of the project', () => {
    const result = plan('vpcb', '--root', fixtures, '--out', join(work, 'vpcb'));
    expect(result.code).toBe(2);
    expect(result.output).toContain(
      'platform:cluster.vpcCidr: 10.60.16.0/20 overlaps stack "vpca"\'s VPC 10.60.0.0/16 (Pulumi.vpca.yaml)',
    );
  }, 60_000);

  it('plans a valid but risky stack and lists its config warnings in the summary', () => {
    const result = plan('warned', '--root', fixtures, '--out', join(work, 'warned'));
    expect(result.code).toBe(0);
    expect(result.output).toContain('[config:single-replica] platform:services.product: runs 1 replica');
    expect(result.output).toContain(
      '[config:backup-rpo] platform:backup: schedule "daily" with pointInTimeRecovery false can lose up to 1440 minutes',
    );
  }, 60_000);

  it('refuses an unknown stack and names the ones that exist', () => {
    const result = plan('staging');
    expect(result.code).toBe(2);
    expect(result.output).toContain('unknown stack "staging"; stacks: dev, qat, uat, prod');
  });

  it('fails on broken objects with the object, the field path and the reason, and writes nothing', () => {
    const out = join(work, 'broken');
    const result = plan(
      'broken',
      '--root',
      fixtures,
      '--out',
      out,
      '--program',
      join(fixtures, 'broken-program.js'),
    );
    expect(result.code).toBe(3);
    expect(result.output).toContain('INVALID objects (Kubernetes schema)');
    expect(result.output).toMatch(/apps\/Deployment\/web: spec\.replicas: .*integer/);
    expect(result.output).toMatch(
      /apps\/Deployment\/web: spec\.template\.spec\.containers\[0\]\.imagePullPolicyy: .*unknown field/,
    );
    expect(result.output).toContain('[namespace-default-deny] Namespace/apps');
    expect(existsSync(join(out, 'broken'))).toBe(false);
  }, 60_000);
});

describe('secrets in the plan', () => {
  it('never writes a secure config value, and marks it as a secret', () => {
    const out = join(work, 'secret');
    const result = plan('secret', '--root', fixtures, '--out', out);
    expect(result.code).toBe(0);
    const files = tree(join(out, 'secret'));
    for (const text of files.values()) {
      expect(text).not.toContain('c2VjcmV0LWt1YmVjb25maWctdGhhdC1tdXN0LW5vdC1sZWFr');
      expect(text).not.toContain('secret-kubeconfig-that-must-not-leak');
    }
    const resources = JSON.parse(files.get('resources.json') ?? '[]') as any[];
    const provider = resources.find((r) => r.type === 'pulumi:providers:kubernetes');
    expect(provider.inputs.kubeconfig).toBe('[secret]');
  }, 60_000);
});
