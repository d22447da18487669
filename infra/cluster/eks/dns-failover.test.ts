/**
 * DnsFailover under the Pulumi mocks, with prod's `platform:dns` and `platform:dr` from Pulumi.prod.yaml:
 * the gate is disabled and inverted only when `serve` is standby (a counter-instance serves standby), the
 * PRIMARY annotations carry the gate and the SECONDARY none, the private zone is associated with the
 * standby VPC (a public zone is not), the real checks and their alarms live in us-east-1 and notify the
 * us-east-1 topic with the configured subscriptions, and a Microservice puts the annotations, with the
 * gate's id resolved, on every HTTPRoute it renders.
 */
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { join } from 'node:path';
import { parseEnvironment, type EnvironmentSpec } from '../../../stacks/spec';
import { MOCK_ACCOUNT, mockOutputs } from '../../../tools/plan/mock-outputs';
import { providerName, recordingMocks, type RecordedResource } from '../../../test/support/recording-mocks';
import { platformValues, readStackConfig } from '../../../tools/plan/stack-file';
import { checkCloudResources } from '../../../tools/policy/cloud-policies';
import { Microservice } from '../../apps/microservice';
import {
  DnsFailover,
  EXTERNAL_DNS_FAILOVER_ANNOTATIONS as A,
  failoverRouteAnnotations,
  type DnsFailoverArgs,
} from './dns-failover';

const { recorded, ready: mocksReady, settle } = recordingMocks();
type Recorded = RecordedResource;

const root = join(__dirname, '..', '..', '..');
let spec: EnvironmentSpec;
let args: DnsFailoverArgs;
let primary: DnsFailover;

const NLB = {
  primary: 'k8s-platform-envoy-0123456789.elb.eu-west-1.amazonaws.com',
  standby: 'k8s-platform-envoy-9876543210.elb.eu-central-1.amazonaws.com',
};

beforeAll(async () => {
  await mocksReady;
  spec = parseEnvironment('prod', platformValues(readStackConfig(root, 'prod')));
  const dr = spec.dr;
  const dns = spec.dns;
  if (dr?.enabled !== true || dns === undefined) throw new Error('prod must have DR and DNS for these tests');
  args = {
    environment: 'prod',
    partition: 'aws',
    accountId: MOCK_ACCOUNT,
    zone: { hostedZoneId: dns.hostedZoneId, domain: dns.domain, private: true },
    serve: dr.failover.serve,
    ttlSeconds: dr.failover.dnsTtlSeconds,
    gateways: {
      primary: { region: dr.primaryRegion, fqdn: NLB.primary },
      standby: { region: dr.standbyRegion, fqdn: NLB.standby },
    },
    standbyVpc: { region: dr.standbyRegion, vpcId: 'vpc-standby' },
    subscriptions: dr.alarms.subscriptions,
    tags: { environment: 'prod' },
  };
  primary = new DnsFailover('prod-failover', args);
  // The counter-switch: the same config after the reviewed change `serve: standby`, with a public zone.
  new DnsFailover('flipped-failover', {
    ...args,
    serve: 'standby',
    zone: { ...args.zone, private: false },
    subscriptions: [
      { protocol: 'email', endpoint: 'oncall@example.com' },
      { protocol: 'https', endpoint: 'https://pager.example.com/hook' },
    ],
  });

  // HTTPS checks, for a gateway with a listener that matches the NLB's name.
  new DnsFailover('https-failover', {
    ...args,
    healthCheck: { protocol: 'HTTPS', port: 443, path: '/gateway/health' },
  });

  const provider = new k8s.Provider('prod-k8s', { kubeconfig: '{}' });
  new Microservice('prod-product', {
    provider,
    serviceName: 'product',
    description: 'catalog',
    namespace: 'apps',
    monitoringNamespace: 'monitoring',
    image: 'registry.example.com/product:1.0.0',
    replicas: 2,
    resources: {
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '500m', memory: '256Mi' },
    },
    allowFrom: [],
    allowTo: [],
    spread: [],
    route: {
      gateway: {
        namespace: 'platform',
        name: 'gateway',
        httpsListeners: ['https-0'],
        hostnames: ['api.prod.platform.internal'],
      },
      pathPrefixes: ['/api/v1/products'],
      traffic: {
        requestTimeout: '15s',
        retries: 0,
        circuitBreaker: { maxConnections: 100, maxPendingRequests: 100, maxParallelRequests: 100 },
        requestsPerMinute: 600,
        pathLimits: { '/api/v1/products/search': 60 },
      },
      annotations: primary.routeAnnotations.primary,
    },
    delivery: { strategy: 'rolling' },
  });
  await settle();
}, 60_000);

const of = (prefix: string) => recorded.filter((r) => r.name.startsWith(prefix));
const one = (prefix: string, type: string, name?: string): Recorded => {
  const found = of(prefix).filter((r) => r.type === type && (name === undefined || r.name === name));
  expect(found.map((r) => r.name)).toHaveLength(1);
  return found[0] as Recorded;
};
const HC = 'aws:route53/healthCheck:HealthCheck';
const ALARM = 'aws:cloudwatch/metricAlarm:MetricAlarm';

describe('the failover gate (serve: primary, as in Pulumi.prod.yaml)', () => {
  it('is disabled (always healthy) and not inverted', () => {
    expect(spec.dr?.failover.serve).toBe('primary');
    const gate = one('prod-failover', HC, 'prod-failover-gate');
    expect(gate.inputs).toMatchObject({
      type: 'CALCULATED',
      disabled: true,
      invertHealthcheck: false,
      childHealthThreshold: 0,
      childHealthchecks: ['prod-failover-primary-gateway-id'],
    });
  });

  it('is what the PRIMARY records use; the SECONDARY records have no health check', async () => {
    const resolve = (v: pulumi.Input<string> | undefined) =>
      new Promise<string | undefined>((ok) => pulumi.output(v).apply((x) => ok(x)));
    const p = primary.routeAnnotations.primary;
    expect(await resolve(p[A.healthCheckId])).toBe('prod-failover-gate-id');
    expect(p[A.failover]).toBe('PRIMARY');
    expect(p[A.setIdentifier]).toBe('prod-primary');
    expect(p[A.evaluateTargetHealth]).toBe('false');
    expect(p[A.ttl]).toBe('60');
    expect(primary.routeAnnotations.standby).toEqual({
      [A.setIdentifier]: 'prod-standby',
      [A.failover]: 'SECONDARY',
      [A.evaluateTargetHealth]: 'false',
      [A.ttl]: '60',
    });
  });
});

describe('the failover gate after the reviewed change (serve: standby)', () => {
  it('is disabled and inverted: always unhealthy, so Route 53 answers with the SECONDARY', () => {
    const gate = one('flipped-failover', HC, 'flipped-failover-gate');
    expect(gate.inputs).toMatchObject({ type: 'CALCULATED', disabled: true, invertHealthcheck: true });
  });
});

describe('the real health checks and their alarms', () => {
  it('check each region’s gateway NLB every 30 s, unhealthy after 3 failures', () => {
    for (const role of ['primary', 'standby'] as const) {
      const check = one('prod-failover', HC, `prod-failover-${role}-gateway`);
      expect(check.inputs).toMatchObject({
        type: 'HTTP',
        fqdn: NLB[role],
        port: 80,
        resourcePath: '/',
        failureThreshold: 3,
        requestInterval: 30,
      });
      // A real check is never inverted or disabled, and is not what any record uses.
      expect(check.inputs.invertHealthcheck ?? false).toBe(false);
      expect(check.inputs.disabled ?? false).toBe(false);
    }
  });

  it('send the TLS server name only for HTTPS checks', () => {
    const http = one('prod-failover', HC, 'prod-failover-primary-gateway');
    expect(http.inputs).not.toHaveProperty('enableSni');
    const https = one('https-failover', HC, 'https-failover-primary-gateway');
    expect(https.inputs).toMatchObject({
      type: 'HTTPS',
      port: 443,
      resourcePath: '/gateway/health',
      enableSni: true,
      fqdn: NLB.primary,
    });
  });

  it('refuse a path that does not start with "/"', () => {
    expect(
      () =>
        new DnsFailover('bad-path', { ...args, healthCheck: { protocol: 'HTTP', port: 80, path: 'health' } }),
    ).toThrow('bad-path: healthCheck.path "health" must start with "/"');
  });

  it('alarm in us-east-1 (where Route 53 publishes its metrics) to the us-east-1 topic', () => {
    const provider = one('prod-failover', 'pulumi:providers:aws');
    expect(provider.inputs.region).toBe('us-east-1');
    const topic = one('prod-failover', 'aws:sns/topic:Topic');
    const topicArn = mockOutputs(topic.type, topic.name, topic.inputs).arn;
    expect(topicArn).toEqual(expect.any(String));
    for (const role of ['primary', 'standby'] as const) {
      const alarm = one('prod-failover', ALARM, `prod-failover-${role}-gateway`);
      expect(alarm.inputs).toMatchObject({
        namespace: 'AWS/Route53',
        metricName: 'HealthCheckStatus',
        dimensions: { HealthCheckId: `prod-failover-${role}-gateway-id` },
        comparisonOperator: 'LessThanThreshold',
        threshold: 1,
        alarmActions: [topicArn],
        okActions: [topicArn],
      });
      expect(providerName(alarm)).toBe('prod-failover-us-east-1');
    }
    for (const r of of('prod-failover').filter((x) => x.custom && x.type.startsWith('aws:'))) {
      expect([r.name, providerName(r)]).toEqual([r.name, 'prod-failover-us-east-1']);
    }
  });

  it('no alarm watches the gate: the gate is a switch, not a signal', () => {
    const watched = of('prod-failover')
      .filter((r) => r.type === ALARM)
      .map((r) => (r.inputs.dimensions as Record<string, string>).HealthCheckId);
    expect(watched).not.toContain('prod-failover-gate-id');
    expect(watched).toHaveLength(2);
  });
});

describe('the alarm topic', () => {
  it('is encrypted with a rotated key of ours that CloudWatch may use', () => {
    const key = one('prod-failover', 'aws:kms/key:Key');
    expect(key.inputs.enableKeyRotation).toBe(true);
    const policy = JSON.parse(String(key.inputs.policy)) as {
      Statement: { Principal: Record<string, string>; Condition?: Record<string, Record<string, string>> }[];
    };
    const cw = policy.Statement.find((s) => s.Principal.Service === 'cloudwatch.amazonaws.com');
    expect(cw?.Condition?.StringEquals?.['aws:SourceAccount']).toBe(MOCK_ACCOUNT);
    const topic = one('prod-failover', 'aws:sns/topic:Topic');
    expect(topic.inputs).toMatchObject({
      name: 'platform-prod-dr-alarms-us-east-1',
      kmsMasterKeyId: mockOutputs(key.type, key.name, key.inputs).arn,
    });
  });

  it('subscribes what platform:dr.alarms.subscriptions lists (prod: one https endpoint)', () => {
    const subs = of('prod-failover').filter((r) => r.type === 'aws:sns/topicSubscription:TopicSubscription');
    expect(subs.map((s) => [s.inputs.protocol, s.inputs.endpoint])).toEqual(
      spec.dr?.alarms.subscriptions.map((s) => [s.protocol, s.endpoint]),
    );
    expect(subs).toHaveLength(1);
    const flipped = of('flipped-failover').filter(
      (r) => r.type === 'aws:sns/topicSubscription:TopicSubscription',
    );
    expect(flipped.map((s) => s.inputs.protocol).sort()).toEqual(['email', 'https']);
  });
});

describe('the zone', () => {
  it('associates the standby VPC with the private zone', () => {
    const assoc = one('prod-failover', 'aws:route53/zoneAssociation:ZoneAssociation');
    expect(assoc.inputs).toEqual({
      zoneId: 'Z0PROD0000000000000',
      vpcId: 'vpc-standby',
      vpcRegion: 'eu-central-1',
    });
  });
  it('associates nothing with a public zone', () => {
    expect(of('flipped-failover').filter((r) => r.type.startsWith('aws:route53/zoneAssociation'))).toEqual(
      [],
    );
  });
});

describe('Microservice route annotations', () => {
  it('puts the PRIMARY annotations, the gate id resolved, on every HTTPRoute of the service', () => {
    const routes = recorded.filter((r) => r.type === 'kubernetes:gateway.networking.k8s.io/v1:HTTPRoute');
    expect(routes.map((r) => (r.inputs.metadata as { name: string }).name).sort()).toEqual([
      'product',
      'product-api-v1-products-search',
    ]);
    for (const r of routes) {
      expect((r.inputs.metadata as { annotations: Record<string, string> }).annotations).toEqual({
        [A.setIdentifier]: 'prod-primary',
        [A.failover]: 'PRIMARY',
        [A.healthCheckId]: 'prod-failover-gate-id',
        [A.evaluateTargetHealth]: 'false',
        [A.ttl]: '60',
      });
    }
    // Other objects of the service are left alone.
    const deployment = recorded.find((r) => r.type === 'kubernetes:apps/v1:Deployment');
    expect(deployment).toBeDefined();
    expect(JSON.stringify(deployment?.inputs)).not.toContain(A.failover);
  });
});

describe('policies and refusals', () => {
  it('every AWS resource passes the plan’s AWS policy checks', () => {
    const resources = [...of('prod-failover'), ...of('flipped-failover')]
      .filter((r) => r.custom)
      .map((r) => ({ type: r.type, name: r.name, props: r.inputs }));
    expect(resources.length).toBeGreaterThan(20);
    expect(checkCloudResources(resources, { environment: 'prod' })).toEqual([]);
  });

  it('refuses PRIMARY annotations without the gate and SECONDARY ones with it', () => {
    expect(() => failoverRouteAnnotations({ environment: 'prod', role: 'primary', ttlSeconds: 60 })).toThrow(
      'gateHealthCheckId is required',
    );
    expect(() =>
      failoverRouteAnnotations({
        environment: 'prod',
        role: 'standby',
        ttlSeconds: 60,
        gateHealthCheckId: 'x',
      }),
    ).toThrow('gateHealthCheckId must be absent');
  });

  it('refuses a bad TTL naming the field and the value, and registers nothing', () => {
    const before = recorded.length;
    expect(() => new DnsFailover('bad-ttl', { ...args, ttlSeconds: 0.5 })).toThrow(
      'platform:dr.failover.dnsTtlSeconds: 0.5 is not allowed; use a whole number of seconds >= 1',
    );
    expect(recorded.length).toBe(before);
  });

  it('refuses a subscription endpoint that does not fit its protocol, and registers nothing', () => {
    const before = recorded.length;
    expect(
      () =>
        new DnsFailover('bad-sub', {
          ...args,
          subscriptions: [{ protocol: 'https', endpoint: 'http://pager.example.com' }],
        }),
    ).toThrow(
      'platform:dr.alarms.subscriptions[0].endpoint: "http://pager.example.com" must be an https:// URL for protocol https',
    );
    expect(recorded.length).toBe(before);
  });
});
