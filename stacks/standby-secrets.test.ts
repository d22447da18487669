// DistributedSecret under Pulumi's mocks: with the standby's backend (entries 'replica') it writes nothing to
// Secrets Manager and only reads the primary's entry, under the same path, through ExternalSecrets.
import * as aws from '@pulumi/aws';
import * as k8s from '@pulumi/kubernetes';
import type { SecretBackend } from '../infra/cluster';
import { DistributedSecret } from '../infra/data';
import { recordingMocks, type RecordedResource } from '../test/support/recording-mocks';

const { recorded, ready: mocksReady, settle } = recordingMocks();
type Recorded = RecordedResource;

function backend(entries: 'owner' | 'replica', awsProvider: aws.Provider): SecretBackend {
  return {
    kind: 'aws-secrets-manager',
    clusterSecretStore: 'aws-secrets-manager',
    pathPrefix: 'platform/prod/',
    awsProvider,
    replicaRegions: ['eu-central-1'],
    entries,
  };
}

async function declare(name: string, entries: 'owner' | 'replica', region: string): Promise<Recorded[]> {
  await mocksReady;
  const before = recorded.length;
  const awsProvider = new aws.Provider(`${name}-aws`, { region });
  const provider = new k8s.Provider(`${name}-k8s`, { kubeconfig: '{}' });
  new DistributedSecret(name, {
    provider,
    backend: backend(entries, awsProvider),
    secretName: 'jwt-signing-key',
    namespaces: ['apps', 'data'],
    data: { JWT_SECRET: 'not-a-real-key' },
  });
  await settle();
  return recorded.slice(before).filter((r) => !r.type.startsWith('pulumi:providers:'));
}

const types = (rs: readonly Recorded[]) => rs.map((r) => r.type).sort();
const keysRead = (rs: readonly Recorded[]) =>
  rs
    .filter((r) => r.inputs.kind === 'ExternalSecret')
    .map((r) => {
      const spec = r.inputs.spec as { dataFrom: { extract: { key: string } }[] };
      return spec.dataFrom[0]?.extract.key;
    });

it("the primary's backend writes the entry (with its replica region) and syncs it into each namespace", async () => {
  const rs = await declare('primary-jwt', 'owner', 'eu-west-1');
  expect(types(rs)).toEqual([
    'aws:secretsmanager/secret:Secret',
    'aws:secretsmanager/secretVersion:SecretVersion',
    'kubernetes:external-secrets.io/v1:ExternalSecret',
    'kubernetes:external-secrets.io/v1:ExternalSecret',
    'platform:data:DistributedSecret',
  ]);
  const entry = rs.find((r) => r.type === 'aws:secretsmanager/secret:Secret');
  expect(entry?.inputs.name).toBe('platform/prod/jwt-signing-key');
  expect(entry?.inputs.replicas).toEqual([{ region: 'eu-central-1' }]);
});

it("the standby's backend writes no Secrets Manager entry and reads the primary's, under the same name", async () => {
  const rs = await declare('standby-jwt', 'replica', 'eu-central-1');
  expect(types(rs)).toEqual([
    'kubernetes:external-secrets.io/v1:ExternalSecret',
    'kubernetes:external-secrets.io/v1:ExternalSecret',
    'platform:data:DistributedSecret',
  ]);
  expect(keysRead(rs)).toEqual(['platform/prod/jwt-signing-key', 'platform/prod/jwt-signing-key']);
  const targets = rs
    .filter((r) => r.inputs.kind === 'ExternalSecret')
    .map((r) => (r.inputs.metadata as { namespace: string }).namespace);
  expect(targets).toEqual(['apps', 'data']);
});
