/**
 * The stack-config rules added by the hardening work, by class: namespaces, quantities, images, secrets,
 * errors at the key that causes them, warnings, and rules across environments.
 */
import { checkAcrossStacks, ConfigError, parseEnvironment, type ParseOptions } from '.';

const DIGEST = 'c'.repeat(64);
const ECR = '111122223333.dkr.ecr.eu-west-1.amazonaws.com';
const ONPREM_BACKUP = {
  storage: { bucket: 'backups', endpointUrl: 'https://minio.local:9000', credentialsSecret: 'backup-s3' },
};
const onprem = (extra: Record<string, unknown> = {}) => ({
  tier: 'onprem',
  cluster: {
    context: 'onprem-dev',
    storageClass: 'standard',
    loadBalancer: { mode: 'nodePort' },
    registry: 'registry.local/platform',
  },
  services: {
    product: { image: 'registry.local/platform/product:1.0.0' },
    order: { image: 'registry.local/platform/order:1.0.0' },
  },
  backup: ONPREM_BACKUP,
  ...extra,
});
const eks = (extra: Record<string, unknown> = {}) => ({
  tier: 'eks',
  cluster: { region: 'eu-west-1', vpcCidr: '10.20.0.0/16' },
  services: { product: { image: `${ECR}/platform/product@sha256:${DIGEST}` } },
  backup: { storage: { bucket: 'platform-uat-backups' } },
  ...extra,
});

function problems(raw: Record<string, unknown>, options: ParseOptions = {}, stack = 'dev'): string[] {
  try {
    parseEnvironment(stack, raw, options);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.problems.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error('expected the config to be refused');
}

describe('config namespaces', () => {
  it('refuses keys in a namespace nothing reads, suggesting the one meant', () => {
    expect(problems(onprem(), { foreignKeys: ['platfrom:monitoring', 'Platform:backup'] })).toEqual([
      'Platform:backup: unknown config namespace "Platform": nothing reads it, so the key would be ignored (did you mean "platform:backup"?); allowed namespaces: platform, pulumi, kubernetes, aws, eks, random',
      'platfrom:monitoring: unknown config namespace "platfrom": nothing reads it, so the key would be ignored (did you mean "platform:monitoring"?); allowed namespaces: platform, pulumi, kubernetes, aws, eks, random',
    ]);
  });

  it('refuses a namespace unlike any allowed one without guessing', () => {
    expect(problems(onprem(), { foreignKeys: ['billing:plan'] })).toEqual([
      'billing:plan: unknown config namespace "billing": nothing reads it, so the key would be ignored; allowed namespaces: platform, pulumi, kubernetes, aws, eks, random',
    ]);
  });

  it("accepts Pulumi's and the providers' namespaces", () => {
    const keys = ['pulumi:tags', 'aws:region', 'kubernetes:enableServerSideApply', 'eks:x', 'random:y'];
    expect(parseEnvironment('dev', onprem(), { foreignKeys: keys }).name).toBe('dev');
  });
});

describe('Kubernetes namespaces', () => {
  it.each(['kube-system', 'kube-public', 'kube-node-lease', 'default', 'kube-anything'])(
    'refuses the reserved namespace %s for any role',
    (name) => {
      expect(problems(onprem({ namespaces: { apps: name } }))).toEqual([
        `platform:namespaces.apps: must not be a namespace Kubernetes owns (default, kube-system, kube-public, kube-node-lease, or any "kube-" name) (got "${name}")`,
      ]);
    },
  );

  it('refuses two roles in one namespace, naming both, whether set or defaulted', () => {
    expect(problems(onprem({ namespaces: { data: 'apps' } }))).toEqual([
      'platform:namespaces.apps: "apps" is already the data namespace; every role needs a namespace of its own (platform, data, apps, monitoring)',
    ]);
    expect(problems(onprem({ namespaces: { platform: 'shared', monitoring: 'shared' } }))).toEqual([
      'platform:namespaces.monitoring: "shared" is already the platform namespace; every role needs a namespace of its own (platform, data, apps, monitoring)',
    ]);
  });
});

describe('quantities and ports', () => {
  it.each([
    [
      'serviceDefaults.resources.requests.cpu',
      { serviceDefaults: { resources: { requests: { cpu: '0' } } } },
      '"0"',
      'cpu',
    ],
    [
      'serviceDefaults.resources.requests.cpu',
      { serviceDefaults: { resources: { requests: { cpu: '0m' } } } },
      '"0m"',
      'cpu',
    ],
    [
      'serviceDefaults.resources.limits.memory',
      { serviceDefaults: { resources: { limits: { memory: '0Mi' } } } },
      '"0Mi"',
      'bytes',
    ],
    ['data.mongodb.storage', { data: { mongodb: { storage: '0Gi' } } }, '"0Gi"', 'bytes'],
    [
      'data.kafka.resources.limits.cpu',
      { data: { kafka: { resources: { limits: { cpu: '0.000' } } } } },
      '"0.000"',
      'cpu',
    ],
  ])('refuses a zero quantity at %s', (path, extra, shown, kind) => {
    const allowed = kind === 'cpu' ? '"250m" or "1"' : '"256Mi" or "20Gi"';
    expect(problems(onprem(extra))).toEqual([
      `platform:${path}: must be greater than zero, such as ${allowed} (got ${shown})`,
    ]);
  });

  it('refuses negative quantities as malformed, naming what is allowed', () => {
    expect(problems(onprem({ data: { redis: { storage: '-5Gi' } } }))).toEqual([
      'platform:data.redis.storage: must be a size with a binary unit such as "256Mi" or "20Gi" (got "-5Gi")',
    ]);
  });

  it('refuses node ports that collide, given or defaulted', () => {
    const withPorts = (loadBalancer: Record<string, unknown>) =>
      onprem({ cluster: { ...onprem().cluster, loadBalancer: { mode: 'nodePort', ...loadBalancer } } });
    expect(problems(withPorts({ httpPort: 30500, httpsPort: 30500 }))).toEqual([
      'platform:cluster.loadBalancer.httpsPort: must differ from httpPort: both listeners would claim node port 30500',
    ]);
    expect(problems(withPorts({ httpPort: 30443 }))).toEqual([
      'platform:cluster.loadBalancer.httpsPort: must differ from httpPort: both listeners would claim node port 30443',
    ]);
    expect(problems(withPorts({ httpPort: 30000, httpsPort: 29999 }))).toEqual([
      'platform:cluster.loadBalancer.httpsPort: value must be >= 30000 (got 29999)',
    ]);
  });
});

describe('edge traffic', () => {
  it('refuses a zero timeout, a zero rate limit and a hostname that is not a DNS name, by path', () => {
    expect(
      problems(
        onprem({
          gateway: {
            hostnames: ['shop_example.com'],
            requestTimeout: '0s',
            rateLimit: { requestsPerMinute: 0 },
          },
        }),
      ),
    ).toEqual([
      'platform:gateway.hostnames[0]: must be a DNS name, optionally starting with "*." (got "shop_example.com")',
      'platform:gateway.requestTimeout: must be greater than zero, such as "15s" (got "0s")',
      'platform:gateway.rateLimit.requestsPerMinute: value must be >= 1 (got 0)',
    ]);
    expect(problems(onprem({ gateway: { requestTimeout: '15 seconds' } }))).toEqual([
      'platform:gateway.requestTimeout: must be a duration such as "15s", "1m" or "500ms" (got "15 seconds")',
    ]);
  });

  it('refuses a path limit outside every routed prefix, and merges the catalog limits under the stack file', () => {
    expect(problems(onprem({ gateway: { rateLimit: { paths: { '/admin': 5 } } } }))).toEqual([
      'platform:gateway.rateLimit.paths: "/admin" is not under a routed prefix (/api/orders, /api/products), so its limit would apply to nothing',
    ]);
    const withUser = onprem({
      services: { user: { image: 'registry.local/platform/user:1.0.0' } },
      auth: { adminEmails: ['a@example.com'] },
      gateway: {
        requestTimeout: '30s',
        rateLimit: { requestsPerMinute: 300, paths: { '/api/auth/login': 5 } },
      },
    });
    const traffic = parseEnvironment('dev', withUser).gateway.traffic;
    expect(traffic).toMatchObject({
      requestTimeout: '30s',
      retries: 2,
      trustedProxyHops: 0,
      rateLimit: { requestsPerMinute: 300, paths: { '/api/auth/login': 5, '/api/auth/register': 10 } },
    });
  });
});

describe('certificates', () => {
  it('refuses ACME on prem, where Route 53 has no credentials', () => {
    const acme = { email: 'ops@example.com', hostedZoneId: 'Z0123456789ABC' };
    expect(problems(onprem({ certificates: { issuer: 'acme', acme } }))).toEqual([
      'platform:certificates.issuer: must be "internal-ca" on prem (got "acme"): ACME DNS-01 answers through Route 53 with an IRSA role, which only EKS stacks have',
    ]);
    expect(parseEnvironment('uat', eks({ certificates: { issuer: 'acme', acme } })).certificates.issuer).toBe(
      'acme',
    );
  });
});

describe('images', () => {
  const withImage = (service: string, image: string) =>
    onprem({ services: { ...onprem().services, [service]: { image } } });

  it("refuses an image from outside the environment's registry", () => {
    expect(problems(withImage('product', 'docker.io/library/product:1.0.0'))).toEqual([
      `platform:services.product.image: must come from this environment's registry "registry.local/platform" (platform:cluster.registry), as "registry.local/platform/product:<tag>"; got registry and repository "docker.io/library/product"`,
    ]);
    // A registry whose name merely starts with ours is another registry.
    expect(problems(withImage('product', 'registry.local/platformx/product:1.0.0'))[0]).toMatch(
      /must come from this environment's registry/,
    );
  });

  it("refuses another service's repository in the right registry", () => {
    expect(problems(withImage('order', 'registry.local/platform/product:1.0.0'))).toEqual([
      'platform:services.order.image: must be the order service\'s repository "registry.local/platform/order", not "registry.local/platform/product"',
    ]);
  });

  it("on EKS, refuses another region's or another registry's image and another service's repository", () => {
    const at = (image: string) => problems(eks({ services: { product: { image } } }), {}, 'uat');
    expect(at(`111122223333.dkr.ecr.us-east-1.amazonaws.com/platform/product@sha256:${DIGEST}`)).toEqual([
      'platform:services.product.image: must come from this stack\'s ECR registry "<account>.dkr.ecr.eu-west-1.amazonaws.com" (the cluster\'s region), got registry "111122223333.dkr.ecr.us-east-1.amazonaws.com"',
    ]);
    expect(at(`ghcr.io/platform/product@sha256:${DIGEST}`)[0]).toMatch(/must come from this stack's ECR/);
    expect(at(`${ECR}/platform/order@sha256:${DIGEST}`)).toEqual([
      'platform:services.product.image: must be the product service\'s repository "platform/product", not "platform/order"',
    ]);
  });

  it('names the part of a long reference that is wrong', () => {
    const short = 'd'.repeat(63);
    const [digest] = problems(withImage('product', `registry.local/platform/product@sha256:${short}`));
    expect(digest).toContain(
      `digest must be "sha256:" and 64 lowercase hex characters (got 63 characters: "${short}")`,
    );
    const [tag] = problems(withImage('product', `registry.local/platform/product:1.0.0+build`));
    expect(tag).toContain('tag "1.0.0+build" is not a valid tag');
    const [part] = problems(withImage('product', 'registry.local/Platform/product:1.0.0'));
    expect(part).toContain('repository part "Platform" must be lowercase');
    // The value itself is shown with both ends, so a bad suffix is never cut off.
    expect(digest).toMatch(/\(got "registry\.local\/platform\/product@.*\.\.\..*d{20}"\)$/);
  });
});

describe('secrets', () => {
  const kubeconfig = [
    'apiVersion: v1',
    'clusters: [{name: c, cluster: {server: "https://10.0.0.1"}}]',
    'users: [{name: u, user: {token: plaintext-token-never-shown}}]',
    'contexts: [{name: onprem-dev, context: {cluster: c, user: u}}]',
    'current-context: onprem-dev',
  ].join('\n');
  const withKubeconfig = () => ({ ...onprem(), kubeconfig });

  it('refuses a kubeconfig that is not a Pulumi secret, without printing it', () => {
    const found = problems(withKubeconfig(), { secretKeys: new Set() });
    expect(found).toEqual([
      'platform:kubeconfig: must be a secret: a plaintext kubeconfig in the stack file hands out the cluster credentials (value not shown); set it with `pulumi config set --secret platform:kubeconfig < kubeconfig.yaml`',
    ]);
    expect(found.join('\n')).not.toContain('plaintext-token-never-shown');
  });

  it('accepts the same kubeconfig as a secret, and refuses an empty one', () => {
    const spec = parseEnvironment('dev', withKubeconfig(), { secretKeys: new Set(['kubeconfig']) });
    expect(spec.cluster.tier === 'onprem' && spec.cluster.hasKubeconfig).toBe(true);
    expect(problems({ ...onprem(), kubeconfig: '' }, { secretKeys: new Set(['kubeconfig']) })).toEqual([
      'platform:kubeconfig: must be a non-empty string (set it with `pulumi config set --secret`)',
    ]);
  });
});

describe('administrators and service keys', () => {
  it('normalises the administrators and refuses what is not an email', () => {
    const spec = parseEnvironment(
      'dev',
      onprem({ auth: { adminEmails: ['Ops@Example.com', 'ops@example.com', 'lead@example.com'] } }),
    );
    expect(spec.auth).toEqual({
      adminEmails: ['ops@example.com', 'lead@example.com'],
      serviceKeyRotation: 'initial',
    });
    expect(problems(onprem({ auth: { adminEmails: ['ops'] } }))).toEqual([
      'platform:auth.adminEmails[0]: must be an email address (got "ops")',
    ]);
    expect(problems(onprem({ auth: { serviceKeyRotation: 'next week' } }))).toEqual([
      'platform:auth.serviceKeyRotation: must be 1-64 letters, digits, ".", "_" or "-", e.g. "2026-12" (got "next week")',
    ]);
  });

  it('warns when the user service runs without any administrator', () => {
    const user = { user: { image: 'registry.local/platform/user:1.0.0' } };
    const warned = parseEnvironment('dev', onprem({ services: user })).warnings.map((w) => w.rule);
    expect(warned).toEqual(['no-admins']);
    const spec = parseEnvironment(
      'dev',
      onprem({ services: user, auth: { adminEmails: ['a@example.com'] } }),
    );
    expect(spec.warnings).toEqual([]);
  });
});

describe('errors at the key that causes them', () => {
  it('reports a bad serviceDefaults once, at serviceDefaults, however many services inherit it', () => {
    expect(
      problems(
        onprem({
          serviceDefaults: {
            autoscaling: { minReplicas: 9, maxReplicas: 3 },
            resources: { requests: { memory: '1Gi' }, limits: { memory: '512Mi' } },
          },
        }),
      ),
    ).toEqual([
      'platform:serviceDefaults.autoscaling: minReplicas (9) must be <= maxReplicas (3)',
      'platform:serviceDefaults.resources: requests.memory (1Gi) must not exceed limits.memory (512Mi)',
    ]);
  });

  it("reports a service's own override at the service, and only there", () => {
    const raw = onprem({
      services: {
        ...onprem().services,
        order: { image: 'registry.local/platform/order:1.0.0', autoscaling: { maxReplicas: 1 } },
      },
    });
    expect(problems(raw)).toEqual([
      'platform:services.order.autoscaling: minReplicas (2) must be <= maxReplicas (1)',
    ]);
  });
});

describe('config warnings', () => {
  const TELEMETRY_BUCKETS = {
    logs: { bucket: 'platform-prod-loki' },
    traces: { bucket: 'platform-prod-tempo' },
  };

  it('warns when an EKS stack keeps logs and traces on a volume instead of S3', () => {
    expect(parseEnvironment('uat', eks()).warnings.map((w) => `${w.rule} ${w.path}`)).toEqual([
      'telemetry-on-volume platform:monitoring.logs.bucket',
      'telemetry-on-volume platform:monitoring.traces.bucket',
    ]);
    expect(parseEnvironment('uat', eks({ monitoring: TELEMETRY_BUCKETS })).warnings).toEqual([]);
  });

  it('warns about a single replica without autoscaling where the environment pages', () => {
    const spec = parseEnvironment(
      'prod',
      eks({
        monitoring: {
          level: 'full',
          paging: true,
          receivers: { paging: { type: 'pagerduty', secret: 'alertmanager-paging' } },
          ...TELEMETRY_BUCKETS,
        },
        services: {
          product: {
            image: `${ECR}/platform/product@sha256:${DIGEST}`,
            replicas: 1,
            autoscaling: { enabled: false },
          },
        },
      }),
    );
    expect(spec.warnings).toEqual([
      {
        rule: 'single-replica',
        path: 'platform:services.product',
        message:
          'runs 1 replica without autoscaling in a production-like environment: a node loss or a rollout takes it down',
      },
    ]);
    // The same service in dev is a conscious saving, not a warning.
    const dev = parseEnvironment(
      'dev',
      onprem({
        services: {
          product: {
            image: 'registry.local/platform/product:1.0.0',
            replicas: 1,
            autoscaling: { enabled: false },
          },
        },
      }),
    );
    expect(dev.warnings).toEqual([]);
  });

  it('warns when the backup schedule cannot meet the declared RPO, and not when it can', () => {
    const at = (backup: Record<string, unknown>) =>
      parseEnvironment(
        'prod',
        eks({ backup: { storage: { bucket: 'b-prod' }, ...backup }, monitoring: TELEMETRY_BUCKETS }),
      ).warnings;
    expect(at({ schedule: 'daily', pointInTimeRecovery: false, rpoMinutes: 15 })).toEqual([
      {
        rule: 'backup-rpo',
        path: 'platform:backup',
        message:
          'schedule "daily" with pointInTimeRecovery false can lose up to 1440 minutes of writes, more than backup.rpoMinutes (15); enable pointInTimeRecovery (10 min) or schedule "continuous" (5 min)',
      },
    ]);
    expect(at({ schedule: 'daily', pointInTimeRecovery: true, rpoMinutes: 5 })[0]?.message).toMatch(
      /can lose up to 10 minutes of writes, more than backup.rpoMinutes \(5\)/,
    );
    expect(at({ schedule: 'continuous', pointInTimeRecovery: true, rpoMinutes: 15 })).toEqual([]);
  });
});

describe('rules across environments', () => {
  const stack = (name: string, raw: Record<string, unknown>) => ({ stack: name, raw });

  it('refuses a VPC block that overlaps another EKS environment', () => {
    const uat = stack('uat', eks({ cluster: { vpcCidr: '10.30.0.0/16' } }));
    const prodBackup = { storage: { bucket: 'platform-prod-backups' } };
    const prod = stack('prod', eks({ cluster: { vpcCidr: '10.30.128.0/20' }, backup: prodBackup }));
    expect(checkAcrossStacks(prod, [uat])).toEqual([
      {
        path: 'platform:cluster.vpcCidr',
        message:
          '10.30.128.0/20 overlaps stack "uat"\'s VPC 10.30.0.0/16 (Pulumi.uat.yaml): every environment needs a block of its own',
      },
    ]);
    const elsewhere = stack('prod', eks({ cluster: { vpcCidr: '10.40.0.0/16' }, backup: prodBackup }));
    expect(checkAcrossStacks(elsewhere, [uat])).toEqual([]);
  });

  it('refuses a backup bucket another environment uses, and skips what another stack gets wrong', () => {
    const dev = stack('dev', onprem());
    const qat = stack('qat', onprem());
    expect(checkAcrossStacks(qat, [dev]).map((p) => p.path)).toEqual(['platform:backup.storage.bucket']);
    const broken = stack('broken', { tier: 'eks', cluster: { vpcCidr: 'not-a-cidr' }, backup: 7 });
    expect(checkAcrossStacks(stack('uat', eks()), [broken])).toEqual([]);
  });
});
