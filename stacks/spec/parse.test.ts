import { ConfigError, parseEnvironment, type EnvironmentSpec } from '.';

const DIGEST = 'a'.repeat(64);
const ECR = '111122223333.dkr.ecr.eu-west-1.amazonaws.com';
const ONPREM_BACKUP = {
  storage: { bucket: 'backups', endpointUrl: 'https://minio.local:9000', credentialsSecret: 'backup-s3' },
};
const EKS_BACKUP = { storage: { bucket: 'platform-dev-backups' } };
const onprem = (extra: Record<string, unknown> = {}) => ({
  tier: 'onprem',
  cluster: {
    context: 'onprem-dev',
    storageClass: 'standard',
    loadBalancer: { mode: 'metallb', addressPool: 'public' },
    registry: 'registry.local/platform',
  },
  services: { product: { image: 'registry.local/platform/product:1.0.0' } },
  backup: ONPREM_BACKUP,
  ...extra,
});
const eks = (extra: Record<string, unknown> = {}) => ({
  tier: 'eks',
  cluster: { region: 'eu-west-1', vpcCidr: '10.20.0.0/16' },
  services: { product: { image: `${ECR}/platform/product@sha256:${DIGEST}` } },
  backup: EKS_BACKUP,
  ...extra,
});

/** Runs the parser expecting a ConfigError and returns its problems as "path: message" lines. */
function problems(raw: Record<string, unknown>, stack = 'dev'): string[] {
  try {
    parseEnvironment(stack, raw);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error('expected the config to be refused');
}

describe('parseEnvironment resolves valid config against the tier defaults', () => {
  it('gives an on-prem service the dev sizing when the stack file names only its image', () => {
    const spec: EnvironmentSpec = parseEnvironment('dev', onprem());
    const product = spec.services.find((s) => s.name === 'product');
    expect(product).toMatchObject({
      replicas: 2,
      autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 5 },
      resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
      delivery: { strategy: 'rolling' },
    });
    expect(spec.namespaces).toEqual({
      platform: 'platform',
      data: 'data',
      apps: 'apps',
      monitoring: 'monitoring',
    });
    expect(spec.backup.schedule).toBe('weekly');
  });

  it('lets serviceDefaults override the tier and a service override serviceDefaults, key by key', () => {
    const spec = parseEnvironment(
      'prod',
      eks({
        serviceDefaults: { replicas: 5, autoscaling: { minReplicas: 10, maxReplicas: 50 } },
        services: {
          product: {
            image: `${ECR}/platform/product@sha256:${DIGEST}`,
            autoscaling: { maxReplicas: 60 },
          },
        },
      }),
    );
    expect(spec.services[0]?.autoscaling).toMatchObject({
      minReplicas: 10,
      maxReplicas: 60,
      targetCPUUtilizationPercentage: 70,
      targetMemoryUtilizationPercentage: 80,
    });
    expect(spec.services[0]?.replicas).toBe(5);
  });

  it('accepts the secret kubeconfig instead of a context on prem', () => {
    const spec = parseEnvironment(
      'dev',
      onprem({
        cluster: {
          storageClass: 'standard',
          loadBalancer: { mode: 'nodePort' },
          registry: 'registry.local/platform',
        },
        kubeconfig: '[secret]',
      }),
    );
    expect(spec.cluster).toMatchObject({ tier: 'onprem', hasKubeconfig: true });
  });
});

describe('parseEnvironment refuses bad config with the key path, the value and what is allowed', () => {
  it('refuses a wrong type', () => {
    expect(problems(onprem({ serviceDefaults: { replicas: 'three' } }))).toEqual([
      'platform:serviceDefaults.replicas: must be a number (got "three")',
    ]);
  });

  it('refuses an unknown top-level key and lists the allowed keys', () => {
    const [problem] = problems(onprem({ replicaCount: 3 }));
    expect(problem).toMatch(
      /^platform:replicaCount: unknown key; allowed keys: tier, kubeconfig, cluster, namespaces/,
    );
  });

  it('refuses a misspelled nested key', () => {
    const [problem] = problems(
      onprem({ services: { product: { image: 'registry.local/platform/product:1', autoscalling: {} } } }),
    );
    expect(problem).toMatch(
      /^platform:services\.product\.autoscalling: unknown key; allowed keys: image, replicas/,
    );
  });

  it('refuses an HPA whose minimum is above its maximum', () => {
    expect(
      problems(
        onprem({
          services: {
            product: {
              image: 'registry.local/platform/product:1',
              autoscaling: { minReplicas: 7, maxReplicas: 5 },
            },
          },
        }),
      ),
    ).toEqual(['platform:services.product.autoscaling: minReplicas (7) must be <= maxReplicas (5)']);
  });

  it('refuses negative and zero replicas', () => {
    expect(problems(onprem({ serviceDefaults: { replicas: -1 } }))).toEqual([
      'platform:serviceDefaults.replicas: value must be >= 1 (got -1)',
    ]);
    expect(problems(onprem({ serviceDefaults: { replicas: 0 } }))).toEqual([
      'platform:serviceDefaults.replicas: value must be >= 1 (got 0)',
    ]);
  });

  it('refuses an unknown tier and says which tiers exist', () => {
    expect(problems(onprem({ tier: 'gke' }))).toEqual([
      'platform:tier: must be one of "onprem" | "eks" (got "gke")',
    ]);
  });

  it('refuses a missing tier', () => {
    const raw: Record<string, unknown> = onprem();
    delete raw.tier;
    expect(problems(raw)).toContain('platform:tier: is required; allowed: onprem | eks');
  });

  it('refuses a service without an image', () => {
    expect(problems(onprem({ services: { product: { replicas: 2 } } }))).toEqual([
      'platform:services.product.image: is required (expected string)',
    ]);
  });

  it('refuses an unpinned or latest image', () => {
    expect(problems(onprem({ services: { product: { image: 'registry.local/product' } } }))).toEqual([
      'platform:services.product.image: must pin a tag or a digest (no implicit latest), e.g. "registry.local/product:1.0.0" (got "registry.local/product")',
    ]);
    expect(
      problems(onprem({ services: { product: { image: 'registry.local/product:latest' } } }))[0],
    ).toMatch(/must not use the "latest" tag/);
  });

  it('refuses a tag where the tier requires digests', () => {
    const [problem] = problems(
      eks({ services: { product: { image: `${ECR}/platform/product:1.0.0` } } }),
      'uat',
    );
    expect(problem).toBe(
      'platform:services.product.image: must be pinned by digest ("name@sha256:<64 hex>") because platform:imagePolicy.requireDigest is true (got "111122223333.dkr.ecr.eu-west-1.amazonaws.com/platform/product:1.0.0")',
    );
  });

  it('refuses a service that is not in the catalog', () => {
    expect(problems(onprem({ services: { billing: { image: 'r/b:1' } } }))).toEqual([
      'platform:services.billing: unknown service; allowed: user, product, order, notification, analytics',
    ]);
  });

  it('refuses requests above limits', () => {
    expect(
      problems(
        onprem({ serviceDefaults: { resources: { requests: { cpu: '2' }, limits: { cpu: '500m' } } } }),
      ),
    ).toEqual(['platform:serviceDefaults.resources: requests.cpu (2) must not exceed limits.cpu (500m)']);
  });

  it('refuses malformed quantities', () => {
    expect(problems(onprem({ serviceDefaults: { resources: { limits: { memory: '512MB' } } } }))).toEqual([
      'platform:serviceDefaults.resources.limits.memory: must be a size with a binary unit such as "256Mi" or "20Gi" (got "512MB")',
    ]);
  });

  it('refuses an even number of sentinels and an even replica set', () => {
    expect(problems(onprem({ data: { redis: { sentinels: 2 }, mongodb: { members: 4 } } }))).toEqual([
      'platform:data.mongodb.members: must be an odd number >= 3 for a replica set that survives a member loss (got 4)',
      'platform:data.redis.sentinels: must be an odd number >= 3 (got 2)',
    ]);
  });

  it('refuses an on-prem cluster it cannot reach', () => {
    expect(
      problems(
        onprem({
          cluster: {
            storageClass: 's',
            loadBalancer: { mode: 'nodePort' },
            registry: 'registry.local/platform',
          },
        }),
      ),
    ).toEqual([
      'platform:cluster: an on-prem cluster needs the secret platform:kubeconfig or platform:cluster.context (got neither)',
    ]);
  });

  it('refuses continuous backups without point-in-time recovery, and paging without alerting', () => {
    expect(
      problems(
        onprem({ backup: { ...ONPREM_BACKUP, schedule: 'continuous' }, monitoring: { paging: true } }),
      ),
    ).toEqual([
      'platform:monitoring.receivers.paging: is required when monitoring.paging is true: {type: pagerduty | webhook, secret, key?}',
      'platform:backup.pointInTimeRecovery: must be true when backup.schedule is "continuous" (got false)',
      'platform:monitoring.paging: needs monitoring.level "alerting" or "full" to route pages through Alertmanager (got level "basic")',
    ]);
  });

  it('refuses a bad delivery strategy, namespace name and region', () => {
    expect(
      problems(
        eks({
          cluster: { region: 'Europe', vpcCidr: '10.20.0.0/16' },
          namespaces: { apps: 'Apps_NS' },
          serviceDefaults: { delivery: { strategy: 'bluegreen' } },
        }),
      ),
    ).toEqual([
      'platform:namespaces.apps: must be a DNS-1123 label (lowercase letters, digits and "-", at most 63 characters) (got "Apps_NS")',
      'platform:serviceDefaults.delivery.strategy: must be one of "rolling" | "blueGreen" | "canary" (got "bluegreen")',
      'platform:cluster.region: must be an AWS region such as "eu-west-1" (got "Europe")',
    ]);
  });

  it('refuses turning the digest requirement off in uat and prod, and allows it elsewhere', () => {
    const off = eks({ imagePolicy: { requireDigest: false } });
    expect(problems(off, 'prod')).toEqual([
      'platform:imagePolicy.requireDigest: must be true in uat and prod, which run images by digest only (got false)',
    ]);
    expect(problems(off, 'uat')).toHaveLength(1);
    expect(parseEnvironment('staging', off).imagePolicy.requireDigest).toBe(false);
  });

  it('lists every problem at once, across unrelated keys', () => {
    const found = problems({
      ...onprem(),
      serviceDefaults: { replicas: 'x' },
      monitoring: { level: 'everything' },
      services: { product: {}, billing: { image: 'r/b:1' } },
    });
    expect(found).toHaveLength(4);
    expect(found.map((p) => p.split(':')[1]?.split(' ')[0] ?? p)).toEqual(
      expect.arrayContaining([
        'serviceDefaults.replicas',
        'monitoring.level',
        'services.product.image',
        'services.billing',
      ]),
    );
  });

  it('formats the whole error for the terminal, naming the stack and the count', () => {
    try {
      parseEnvironment('qat', onprem({ tier: 'gke', backup: { retentionDays: 0 } }));
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect((err as Error).message).toBe(
        'Invalid config for stack "qat" (2 problems):\n' +
          '  - platform:tier: must be one of "onprem" | "eks" (got "gke")\n' +
          '  - platform:backup.retentionDays: value must be >= 1 (got 0)',
      );
    }
  });
});

describe('data stores: sizes per tier and high-availability rules', () => {
  it('gives on-prem stacks combined Kafka nodes and eks stacks 3 controllers + 3 brokers', () => {
    const dev = parseEnvironment('dev', onprem()).data;
    expect(dev.kafka).toMatchObject({ nodePools: 'combined', brokers: 3, controllers: 3, storage: '50Gi' });
    expect(dev.redis).toMatchObject({ dataNodes: 1, sentinels: 3, quorum: 2, storage: '5Gi' });
    expect(dev.mongodb).toMatchObject({ members: 3, storage: '20Gi' });
    const uat = parseEnvironment('uat', eks()).data;
    expect(uat.kafka).toMatchObject({ nodePools: 'dedicated', brokers: 3, controllers: 3, storage: '200Gi' });
    expect(uat.kafka).toMatchObject({ replicationFactor: 3, minInsyncReplicas: 2 });
    expect(uat.redis).toMatchObject({ dataNodes: 2, quorum: 2 });
  });

  it('merges per-store resources over the tier defaults and resolves the quorum from the sentinels', () => {
    const data = parseEnvironment(
      'dev',
      onprem({ data: { redis: { sentinels: 5 }, mongodb: { resources: { limits: { memory: '4Gi' } } } } }),
    ).data;
    expect(data.redis.quorum).toBe(3);
    expect(data.mongodb.resources).toEqual({
      requests: { cpu: '500m', memory: '1Gi' },
      limits: { cpu: '1', memory: '4Gi' },
    });
  });

  it('refuses a replication factor above the brokers, and min.insync.replicas not below it', () => {
    expect(problems(onprem({ data: { kafka: { replicationFactor: 4 } } }))).toEqual([
      'platform:data.kafka.replicationFactor: must be <= kafka.brokers (3): each replica needs its own broker (got 4)',
    ]);
    expect(problems(onprem({ data: { kafka: { minInsyncReplicas: 3 } } }))).toEqual([
      'platform:data.kafka.minInsyncReplicas: must be below kafka.replicationFactor (3), or one broker down stops every producer (got 3)',
    ]);
  });

  it('refuses two sentinels, a minority quorum and an even replica set', () => {
    expect(problems(onprem({ data: { redis: { sentinels: 2 }, mongodb: { members: 4 } } })).sort()).toEqual([
      'platform:data.mongodb.members: must be an odd number >= 3 for a replica set that survives a member loss (got 4)',
      'platform:data.redis.sentinels: must be an odd number >= 3 (got 2)',
    ]);
    expect(problems(onprem({ data: { redis: { sentinels: 5, quorum: 2 } } }))).toEqual([
      'platform:data.redis.quorum: must be a majority of the 5 sentinels, between 3 and 5 (got 2)',
    ]);
  });

  it('refuses an even KRaft quorum, whether combined or dedicated', () => {
    expect(problems(onprem({ data: { kafka: { brokers: 4 } } }))).toEqual([
      'platform:data.kafka.brokers: must be an odd number >= 3 with nodePools "combined", since every node is a KRaft controller (got 4)',
    ]);
    expect(problems(eks({ data: { kafka: { controllers: 2 } } }))).toEqual([
      'platform:data.kafka.controllers: must be an odd number >= 3 for a KRaft quorum (got 2)',
    ]);
    expect(problems(onprem({ data: { kafka: { controllers: 3 } } }))).toEqual([
      'platform:data.kafka.controllers: is only used with nodePools "dedicated"; combined nodes are the controllers (got 3)',
    ]);
  });

  it('refuses data-store requests above their limits', () => {
    expect(problems(onprem({ data: { kafka: { resources: { requests: { cpu: '4' } } } } }))).toEqual([
      'platform:data.kafka.resources: requests.cpu (4) must not exceed limits.cpu (1)',
    ]);
  });

  it('needs backup storage: an S3-compatible service on prem, a bucket name on EKS', () => {
    expect(problems(onprem({ backup: undefined }))).toEqual([
      'platform:backup.storage: is required: {bucket, endpointUrl, credentialsSecret} of the S3-compatible service that keeps MongoDB backups',
    ]);
    expect(problems(onprem({ backup: { storage: { bucket: 'bk1' } } }))).toEqual([
      'platform:backup.storage.endpointUrl: is required on prem (S3-compatible storage)',
      'platform:backup.storage.credentialsSecret: is required on prem (S3-compatible storage)',
    ]);
    expect(problems(eks({ backup: { storage: { bucket: 'bk1', credentialsSecret: 'keys' } } }))).toEqual([
      'platform:backup.storage.credentialsSecret: is not used on EKS: the stack creates the bucket and the backup agent uses its IRSA role (got "keys")',
    ]);
    expect(problems(eks({ backup: { storage: { bucket: 'Bad_Bucket' } } }))).toEqual([
      'platform:backup.storage.bucket: must be an S3 bucket name (3-63 lowercase letters, digits, "." and "-") (got "Bad_Bucket")',
    ]);
    const storage = parseEnvironment('dev', onprem()).backup.storage;
    expect(storage).toEqual({
      bucket: 'backups',
      region: 'us-east-1',
      endpointUrl: 'https://minio.local:9000',
      credentialsSecret: 'backup-s3',
      forcePathStyle: true,
    });
    expect(parseEnvironment('uat', eks()).backup.storage).toEqual({
      bucket: 'platform-dev-backups',
      region: 'eu-west-1',
      forcePathStyle: false,
    });
  });
});
