import * as aws from '@pulumi/aws';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { mockCall, mockOutputs } from '../../tools/plan/mock-outputs';
import type { SecretBackend } from '../cluster';
import { KafkaMirror, type KafkaMirrorArgs } from './kafka-mirror';

interface Recorded {
  readonly type: string;
  readonly name: string;
  readonly id?: string;
  readonly provider?: string;
  readonly inputs: Record<string, any>;
}

const recorded: Recorded[] = [];

const mocksReady = pulumi.runtime.setMocks(
  {
    newResource(args) {
      recorded.push({
        type: args.type,
        name: args.name,
        ...(args.id !== undefined && args.id !== '' && { id: args.id }),
        ...(args.provider !== undefined && { provider: args.provider }),
        inputs: args.inputs as Record<string, any>,
      });
      const state = {
        ...mockOutputs(args.type, args.name, args.inputs as Record<string, unknown>),
        ...args.inputs,
      };
      // A read of prod's cluster CA Secret returns its certificate, as the cluster would.
      if (args.type === 'kubernetes:core/v1:Secret' && args.id !== undefined && args.id !== '') {
        state.data = { 'ca.crt': 'UFJPRC1DQQ==' };
      }
      return { id: args.id ?? `${args.name}-id`, state };
    },
    call(args) {
      return mockCall(args.token, (args.inputs ?? {}) as Record<string, unknown>);
    },
  },
  'platform',
  'test',
  false,
);

/** The Kubernetes SDK marks Secret data secret as a whole; the mock sees it in wire form `{ <sig>, value }`. */
function unwrap(value: any): any {
  return value !== null && typeof value === 'object' && 'value' in value ? unwrap(value.value) : value;
}

function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 300));
}

/** `urn::id` of a provider reference, as the mock monitor sees it: the name tells the providers apart. */
const onProvider = (r: Recorded | undefined, provider: string) =>
  r?.provider?.includes(`::${provider}::`) === true;

function secretsManager(region: string, replicaRegions: string[]): SecretBackend {
  return {
    kind: 'aws-secrets-manager',
    clusterSecretStore: 'aws-secrets-manager',
    pathPrefix: 'platform/prod/',
    awsProvider: new aws.Provider(`aws-${region}`, { region: region as aws.Region }),
    replicaRegions,
  };
}

function args(overrides: Partial<KafkaMirrorArgs> = {}): KafkaMirrorArgs {
  return {
    primary: {
      provider: new k8s.Provider('k8s-primary', { kubeconfig: '{}' }),
      secretBackend: secretsManager('eu-west-1', ['eu-central-1']),
      namespace: 'data',
      dependsOn: [],
    },
    standby: {
      provider: new k8s.Provider('k8s-standby', { kubeconfig: '{}' }),
      secretBackend: secretsManager('eu-central-1', []),
      namespace: 'data',
      monitoringNamespace: 'monitoring',
      dependsOn: [],
    },
    sourceBootstrap: pulumi.output('kafka-mirror.prod.internal:9094'),
    primaryVpcCidr: '10.40.0.0/16',
    mirrorMaker: {
      topics: ['(user|order)-events'],
      syncGroupOffsetsIntervalSeconds: 60,
      emitCheckpointsIntervalSeconds: 60,
    },
    knownTopics: ['user-events', 'order-events', 'notification-dlq'],
    groups: ['notification', 'order'],
    ...overrides,
  };
}

const byKind = (kind: string) =>
  recorded.filter((r) => r.inputs.kind === kind || r.type === `kubernetes:${kind}`);

describe('KafkaMirror', () => {
  beforeAll(() => mocksReady);
  beforeEach(() => {
    recorded.length = 0;
  });

  it('renders the source user on the primary and MirrorMaker 2 on the standby, each on its provider', async () => {
    new KafkaMirror('m1', args());
    await settle();
    const user = (name: string) =>
      recorded.find(
        (r) => r.type === 'kubernetes:kafka.strimzi.io/v1beta2:KafkaUser' && r.inputs.metadata.name === name,
      );
    expect(onProvider(user('mirror-maker-source'), 'k8s-primary')).toBe(true);
    expect(onProvider(user('mirror-maker-target'), 'k8s-standby')).toBe(true);
    const mm2 = recorded.find((r) => r.type === 'kubernetes:kafka.strimzi.io/v1beta2:KafkaMirrorMaker2');
    expect(onProvider(mm2, 'k8s-standby')).toBe(true);
    // The NLB's name, known only once it exists, reaches the resource (placeholder replaced).
    expect(mm2?.inputs.spec.clusters[0].bootstrapServers).toBe('kafka-mirror.prod.internal:9094');
    expect(mm2?.inputs.spec.mirrors[0].topicsPattern).toBe('(user|order)-events');
    const policy = recorded.find(
      (r) =>
        r.type === 'kubernetes:networking.k8s.io/v1:NetworkPolicy' &&
        r.inputs.metadata.name === 'mirror-mirror-maker',
    );
    expect(onProvider(policy, 'k8s-standby')).toBe(true);
    expect(JSON.stringify(policy?.inputs.spec.egress)).toContain('10.40.0.0/16');

    // Prod's CA is read on the primary and copied next to MirrorMaker 2.
    const read = recorded.find((r) => r.type === 'kubernetes:core/v1:Secret' && r.id !== undefined);
    expect(read?.id).toBe('data/kafka-cluster-ca-cert');
    expect(onProvider(read, 'k8s-primary')).toBe(true);
    const copy = recorded.find(
      (r) => r.type === 'kubernetes:core/v1:Secret' && r.inputs.metadata?.name === 'kafka-source-cluster-ca',
    );
    expect(onProvider(copy, 'k8s-standby')).toBe(true);
    expect(unwrap(copy?.inputs.data)).toEqual({ 'ca.crt': 'UFJPRC1DQQ==' });
  });

  it('generates the password once, in the primary region, and the standby reads the same entry name', async () => {
    new KafkaMirror('m2', args());
    await settle();
    expect(recorded.filter((r) => r.type === 'random:index/randomPassword:RandomPassword')).toHaveLength(1);
    const entries = recorded.filter((r) => r.type === 'aws:secretsmanager/secret:Secret');
    expect(entries.map((e) => [e.inputs.name, e.inputs.replicas])).toEqual([
      ['platform/prod/kafka-user-mirror-maker-source', [{ region: 'eu-central-1' }]],
    ]);
    expect(onProvider(entries[0], 'aws-eu-west-1')).toBe(true);
    const external = byKind('ExternalSecret');
    const sides = external.map((e) => [e.provider?.split('::')[3], e.inputs.spec.dataFrom[0].extract.key]);
    expect(sides.sort()).toEqual([
      ['k8s-primary', 'platform/prod/kafka-user-mirror-maker-source'],
      ['k8s-standby', 'platform/prod/kafka-user-mirror-maker-source'],
    ]);
    for (const e of external) expect(e.inputs.spec.target.name).toBe('kafka-user-mirror-maker-source');
  });

  it('writes the same generated password on both sides without Secrets Manager', async () => {
    const kube: SecretBackend = { kind: 'kubernetes' };
    const a = args();
    const mirror = new KafkaMirror('m3', {
      ...a,
      primary: { ...a.primary, secretBackend: kube },
      standby: { ...a.standby, secretBackend: kube },
    });
    await settle();
    const secrets = recorded.filter(
      (r) =>
        r.type === 'kubernetes:core/v1:Secret' &&
        r.inputs.metadata?.name === 'kafka-user-mirror-maker-source',
    );
    expect(secrets.map((s) => s.provider?.split('::')[3]).sort()).toEqual(['k8s-primary', 'k8s-standby']);
    const generated = await new Promise<string>((resolve) => mirror.sourcePassword.apply(resolve));
    // The mock names the generated value after its RandomPassword: one resource, one value on both sides.
    expect(generated).toBe('planned-password-m3-source-user-password');
    for (const s of secrets) expect(unwrap(unwrap(s.inputs.stringData).password)).toBe(generated);
  });

  it('names every standby-side resource with the standby prefix and no primary-side one', async () => {
    new KafkaMirror('prod-kafka-mirror', args({ standbyName: 'prod-standby-kafka-mirror' }));
    await settle();
    const side = (provider: string) =>
      recorded.filter((r) => r.provider?.split('::')[3] === provider).map((r) => r.name);
    expect(side('k8s-standby').length).toBeGreaterThan(5);
    for (const n of side('k8s-standby')) expect(n).toMatch(/^prod-standby-kafka-mirror-/);
    for (const n of side('k8s-primary')) expect(n).not.toMatch(/^prod-standby-/);
    expect(side('k8s-primary').length).toBeGreaterThan(1);
  });

  it('refuses a primary backend that does not replicate to the standby region', () => {
    const a = args();
    expect(
      () =>
        new KafkaMirror('m4', {
          ...a,
          primary: { ...a.primary, secretBackend: secretsManager('eu-west-1', []) },
        }),
    ).toThrow('kafkaMirror.primary.secretBackend.replicaRegions must include the standby region (got [])');
  });

  it('refuses an empty topic list and a zero interval before creating anything', () => {
    expect(() => new KafkaMirror('m5', args({ mirrorMaker: { ...args().mirrorMaker, topics: [] } }))).toThrow(
      'kafkaMirror.selection.topicPatterns must name at least one topic pattern',
    );
    expect(
      () =>
        new KafkaMirror(
          'm6',
          args({ mirrorMaker: { ...args().mirrorMaker, emitCheckpointsIntervalSeconds: 0 } }),
        ),
    ).toThrow('kafkaMirror.selection.emitCheckpointsIntervalSeconds must be an integer >= 1 (got 0)');
  });
});
