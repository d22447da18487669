/**
 * Property: whatever a stack file says, the program either refuses it with a ConfigError (the plan's exit 2)
 * or builds a plan whose objects are valid (exit 0) - it never crashes. Configs are generated around the
 * committed dev and uat stack files, mixing allowed values with the near misses people write.
 */
import * as pulumi from '@pulumi/pulumi';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildEnvironment } from '../../stacks/environment';
import { SERVICE_NAMES } from '../../stacks/service-catalog';
import { ConfigError, parseEnvironment } from '../../stacks/spec';
import { checkPlan } from '../../tools/plan/check-plan';
import { PlanRecorder } from '../../tools/plan/plan-mocks';
import { settle, type PlannedObject } from '../../tools/plan/plan-stack';

const root = join(__dirname, '..', '..');

function stackFile(stack: string): Record<string, unknown> {
  const doc = parse(readFileSync(join(root, `Pulumi.${stack}.yaml`), 'utf8')) as {
    config: Record<string, unknown>;
  };
  return Object.fromEntries(Object.entries(doc.config).map(([k, v]) => [k.slice('platform:'.length), v]));
}

const DIGEST = 'e'.repeat(64);

/** Mostly values the rules allow, now and then a near miss: both outcomes of the property get explored. */
function pick<T>(valid: readonly T[], invalid: readonly T[]): fc.Arbitrary<T> {
  return fc.oneof(
    { weight: 60, arbitrary: fc.constantFrom(...valid) },
    { weight: 1, arbitrary: fc.constantFrom(...invalid) },
  );
}

// Requests stay at or below every limit on offer, except for the near misses.
const requestCpu = pick(['100m', '250m'], ['0', '0m', '-1', 'abc', '8']);
const limitCpu = pick(['500m', '1', '2', '1.5'], ['0', '100m']);
const requestBytes = pick(['128Mi', '256Mi'], ['0Mi', '512MB', '64Gi']);
const limitBytes = pick(['512Mi', '1Gi', '4Gi'], ['1.5Gi', '64Mi']);
const storage = pick(['5Gi', '20Gi', '100Gi', '1Ti'], ['0Gi', '20GB']);
const odd = pick([3, 3, 5], [1, 2, 4]);
const namespace = (role: string) => pick([role, `shop-${role}`], ['kube-system', 'default', 'Bad_NS']);
const resources = fc.record(
  {
    requests: fc.record({ cpu: requestCpu, memory: requestBytes }, { requiredKeys: [] }),
    limits: fc.record({ cpu: limitCpu, memory: limitBytes }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);
const autoscaling = fc.record(
  {
    enabled: fc.boolean(),
    minReplicas: pick([1, 2, 3, 5], [0, 12]),
    maxReplicas: pick([5, 10, 20, 50], [1, 0]),
    targetCPUUtilizationPercentage: pick([50, 70, 90], [0, 120]),
  },
  { requiredKeys: [] },
);
const sizing = {
  replicas: pick([1, 2, 3, 5], [0, -1]),
  autoscaling,
  resources,
  delivery: fc.record({ strategy: pick(['rolling', 'blueGreen', 'canary'], ['bluegreen']) }),
};

/** An image for `service` on the stack's registry, or one of the mistakes the rules must catch. */
function image(registry: string, service: string) {
  return pick(
    [`${registry}/${service}:1.2.3`, `${registry}/${service}@sha256:${DIGEST}`],
    [
      `${registry}/${service}:latest`,
      `${registry}/${service === 'product' ? 'order' : 'product'}:1.0.0`,
      `docker.io/library/${service}:1`,
      `${registry}/${service}@sha256:abc`,
    ],
  );
}

function services(registry: string) {
  return fc
    .subarray([...SERVICE_NAMES], { minLength: 0 })
    .chain((names) =>
      fc.record(
        Object.fromEntries(
          names.map((n) => [
            n,
            fc.record({ image: image(registry, n), ...sizing }, { requiredKeys: ['image'] }),
          ]),
        ),
      ),
    );
}

const data = fc.record(
  {
    mongodb: fc.record({ members: odd, storage, resources }, { requiredKeys: [] }),
    redis: fc.record(
      { dataNodes: pick([1, 2, 3], [0]), sentinels: pick([3, 5], [2]), quorum: pick([3], [1, 6]), storage },
      { requiredKeys: [] },
    ),
    kafka: fc.record(
      {
        nodePools: fc.constantFrom('combined', 'dedicated'),
        brokers: pick([3, 5], [2, 4]),
        controllers: odd,
        replicationFactor: pick([3], [4, 6]),
        minInsyncReplicas: pick([1, 2], [3]),
        partitions: pick([1, 6, 12], [0]),
        storage,
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);

const common = (registry: string, domain: string) => ({
  namespaces: fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record(
        {
          platform: namespace('platform'),
          data: namespace('data'),
          apps: namespace('apps'),
          monitoring: namespace('monitoring'),
        },
        { requiredKeys: [] },
      ),
    },
    // Two roles in one namespace: once a crash of the program, now a config error.
    { weight: 1, arbitrary: fc.constantFrom({ data: 'apps' }, { platform: 'shared', monitoring: 'shared' }) },
  ),
  serviceDefaults: fc.record(sizing, { requiredKeys: [] }),
  services: services(registry),
  data,
  monitoring: fc.record(
    {
      level: fc.constantFrom('basic', 'alerting', 'full'),
      paging: fc.boolean(),
      retention: fc.constantFrom('7d', '30d'),
    },
    { requiredKeys: [] },
  ),
  imagePolicy: fc.record({ requireDigest: pick([false], [true]) }),
  gateway: fc.record(
    {
      // Inside the stack's DNS domain where it has one (uat), now and then outside it.
      hostnames: pick([[`*.${domain}`], [`api.${domain}`, `www.${domain}`]], [['*.shop.example.com']]),
      requestTimeout: pick(['5s', '30s', '1m'], ['0s']),
      retries: pick([0, 2], [9]),
      trustedProxyHops: pick([0, 1], [7]),
      rateLimit: fc.record(
        {
          requestsPerMinute: pick([60, 600], [0]),
          paths: pick<Record<string, number>>(
            [{}, { '/api/auth/login': 5 }, { '/api/products': 100 }],
            [{ '/admin': 1 }],
          ),
        },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: ['hostnames'] },
  ),
});

const onpremOverrides = fc.record(
  {
    ...common('registry.onprem.internal/platform', 'dev.platform.internal'),
    cluster: fc.record({
      context: fc.constant('onprem-dev'),
      storageClass: fc.constantFrom('standard', 'fast'),
      loadBalancer: fc.oneof(
        fc.record({ mode: fc.constant('metallb'), addressPool: fc.constantFrom('dev-public', 'pool') }),
        fc.record(
          {
            mode: fc.constant('nodePort'),
            httpPort: pick([30080, 30180], [30443]),
            httpsPort: pick([30443, 30543], [30080]),
          },
          { requiredKeys: ['mode'] },
        ),
      ),
      registry: fc.constant('registry.onprem.internal/platform'),
      zones: fc.record({ count: fc.integer({ min: 1, max: 4 }) }),
      metricsServer: fc.constantFrom('install', 'present'),
    }),
    backup: fc.record({
      schedule: fc.constantFrom('weekly', 'daily', 'continuous'),
      pointInTimeRecovery: fc.boolean(),
      retentionDays: pick([7, 14, 35], [0]),
      storage: fc.constant({
        bucket: 'platform-dev-backups',
        endpointUrl: 'https://minio.local:9000',
        credentialsSecret: 'mongodb-backup-s3',
      }),
    }),
  },
  { requiredKeys: [] },
);

const ECR = '111122223333.dkr.ecr.eu-west-1.amazonaws.com/platform';
const nodeGroup = fc.record(
  {
    minSize: pick([1, 2, 3], [7]),
    desiredSize: pick([3], [0]),
    maxSize: pick([6, 12], [2]),
  },
  { requiredKeys: [] },
);
const eksOverrides = fc.record(
  {
    ...common(ECR, 'uat.platform.internal'),
    cluster: fc.record({
      region: fc.constant('eu-west-1'),
      vpcCidr: pick(['10.30.0.0/16', '10.30.0.0/20', '10.31.0.0/18'], ['10.30.0.1/16', '10.30.0.0/24']),
      natGateways: fc.constantFrom('one', 'perZone'),
      publicAccessCidrs: pick([[], ['203.0.113.0/24']], [['0.0.0.0/0']]),
      nodeGroups: fc.record(
        { system: nodeGroup, workloads: nodeGroup, data: nodeGroup },
        { requiredKeys: [] },
      ),
      amiType: fc.constantFrom('AL2023', 'Bottlerocket'),
    }),
    backup: fc.record({
      schedule: fc.constantFrom('weekly', 'daily', 'continuous'),
      pointInTimeRecovery: fc.boolean(),
      rpoMinutes: fc.integer({ min: 1, max: 2000 }),
      retentionDays: pick([7, 35], [0]),
      storage: fc.constant({ bucket: 'platform-uat-backups' }),
    }),
  },
  { requiredKeys: [] },
);

type Outcome = { kind: 'refused' } | { kind: 'planned'; problems: string[] };

/** What the plan would do with this config: refuse it (exit 2), or plan it and report invalid objects. */
async function outcome(stack: string, raw: Record<string, unknown>): Promise<Outcome> {
  let spec;
  try {
    spec = parseEnvironment(stack, raw);
  } catch (err) {
    if (err instanceof ConfigError) return { kind: 'refused' };
    throw err;
  }
  const failures: unknown[] = [];
  const onRejection = (reason: unknown) => failures.push(reason);
  process.on('unhandledRejection', onRejection);
  const recorder = new PlanRecorder();
  try {
    await pulumi.runtime.setMocks(recorder, 'platform', stack, true);
    try {
      buildEnvironment({ spec, secrets: {} });
    } catch (err) {
      failures.push(err);
    }
    // Even after a throw, let the registrations already under way finish on this run's mocks: left
    // running, they would hit the next run's mock monitor.
    await settle(recorder);
  } finally {
    process.off('unhandledRejection', onRejection);
  }
  if (failures.length > 0) throw failures[0];
  const objects = recorder.resources
    .filter((r) => r.custom && r.type.startsWith('kubernetes:') && typeof r.inputs.kind === 'string')
    .map((r) => ({ resourceName: r.name, object: r.inputs as PlannedObject['object'] }));
  const check = checkPlan({ stack, resources: recorder.resources, objects, configWarnings: [] });
  return {
    kind: 'planned',
    problems: [
      ...check.invalid.map((i) => `${i.object}: ${i.path}: ${i.message}`),
      ...check.errors.map((e) => `[${e.rule}] ${e.object}: ${e.message}`),
    ],
  };
}

describe('a stack config that passes validation', () => {
  const tally = { refused: 0, planned: 0 };
  afterAll(() => {
    // Both outcomes must occur, or the generators explore only one side of the property.
    expect(tally.refused).toBeGreaterThan(0);
    expect(tally.planned).toBeGreaterThan(0);
  });

  it.each([
    ['dev', onpremOverrides],
    ['uat', eksOverrides],
  ] as const)(
    'never crashes the %s program: exit 2 or a valid plan',
    async (stack, overrides) => {
      const base = stackFile(stack);
      await fc.assert(
        fc.asyncProperty(overrides, async (extra) => {
          const result = await outcome(stack, { ...base, ...extra });
          tally[result.kind]++;
          if (result.kind === 'planned') expect(result.problems).toEqual([]);
        }),
        { numRuns: 30, seed: Number(process.env.FC_SEED ?? 20261206) },
      );
    },
    300_000,
  );
});
