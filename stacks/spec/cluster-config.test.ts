import { ConfigError, parseEnvironment, type EksClusterSpec, type OnPremClusterSpec } from '.';

// Cluster rules only: service images (checked against the cluster's registry) are parse.test.ts's subject.
const services = {};
const EKS_BACKUP = { storage: { bucket: 'platform-uat-backups' } };
const ONPREM_BACKUP = {
  storage: { bucket: 'backups', endpointUrl: 'https://minio.local:9000', credentialsSecret: 'backup-s3' },
};
const eks = (cluster: Record<string, unknown>) => ({
  tier: 'eks',
  cluster: { vpcCidr: '10.20.0.0/16', ...cluster },
  services,
  backup: EKS_BACKUP,
});
const onprem = (cluster: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  tier: 'onprem',
  cluster: {
    storageClass: 'standard',
    loadBalancer: { mode: 'metallb', addressPool: 'public' },
    registry: 'registry.local/platform',
    ...cluster,
  },
  services,
  backup: ONPREM_BACKUP,
  ...extra,
});

function problems(raw: Record<string, unknown>, stack = 'uat'): string[] {
  try {
    parseEnvironment(stack, raw);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error('expected the config to be refused');
}

const KUBECONFIG = `
apiVersion: v1
kind: Config
clusters: [{ name: dev, cluster: { server: "https://10.0.0.1:6443" } }]
users: [{ name: admin, user: { token: "very-secret-token" } }]
contexts: [{ name: dev, context: { cluster: dev, user: admin } }]
current-context: dev
`;

describe('EKS cluster config', () => {
  it('derives three private and three public subnets inside the VPC, one per zone', () => {
    const cluster = parseEnvironment('uat', eks({})).cluster as EksClusterSpec;
    expect(cluster.availabilityZones).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    expect(cluster.privateSubnetCidrs).toEqual(['10.20.0.0/20', '10.20.16.0/20', '10.20.32.0/20']);
    expect(cluster.publicSubnetCidrs).toEqual(['10.20.128.0/20', '10.20.144.0/20', '10.20.160.0/20']);
    expect(cluster.natGateways).toBe('one');
    expect(cluster.secretsManagerPrefix).toBe('platform/uat/');
    expect(cluster.publicAccessCidrs).toEqual([]);
  });

  it('refuses a single availability zone', () => {
    expect(problems(eks({ availabilityZones: ['eu-west-1a'] }))).toContain(
      'platform:cluster.availabilityZones: must list at least 3 distinct zones for a multi-AZ cluster (got 1: ["eu-west-1a"])',
    );
  });

  it('refuses zones outside the region', () => {
    expect(problems(eks({ availabilityZones: ['eu-west-1a', 'eu-west-1b', 'us-east-1a'] }))).toEqual([
      'platform:cluster.availabilityZones: zone "us-east-1a" is not in region "eu-west-1"',
    ]);
  });

  it('refuses overlapping subnets, subnets outside the VPC and a service CIDR inside the VPC', () => {
    expect(
      problems(
        eks({
          publicSubnetCidrs: ['10.20.128.0/20', '10.20.144.0/20', '10.21.0.0/20'],
          privateSubnetCidrs: ['10.20.0.0/20', '10.20.8.0/21', '10.20.32.0/20'],
          serviceCidr: '10.20.240.0/20',
        }),
      ),
    ).toEqual([
      'platform:cluster.publicSubnetCidrs[2]: 10.21.0.0/20 is outside the VPC 10.20.0.0/16',
      'platform:cluster.privateSubnetCidrs[1]: 10.20.8.0/21 overlaps platform:cluster.privateSubnetCidrs[0] (10.20.0.0/20)',
      'platform:cluster.serviceCidr: 10.20.240.0/20 overlaps the VPC 10.20.0.0/16: Service IPs would shadow node and pod addresses',
    ]);
  });

  it('refuses a malformed VPC block and a missing one', () => {
    expect(problems(eks({ vpcCidr: '10.20.0.1/16' }))).toEqual([
      'platform:cluster.vpcCidr: must be a valid IPv4 block from /16 to /20 with no host bits set (got "10.20.0.1/16")',
    ]);
    expect(problems({ tier: 'eks', services, backup: EKS_BACKUP })).toEqual([
      'platform:cluster.vpcCidr: is required for EKS: a /16 to /20 IPv4 block that no other environment uses, e.g. "10.20.0.0/16"',
    ]);
  });

  it('refuses a public endpoint open to the internet unless config says so explicitly', () => {
    expect(problems(eks({ publicAccessCidrs: ['0.0.0.0/0'] }))).toEqual([
      'platform:cluster.publicAccessCidrs: opens the API endpoint to the whole internet ("0.0.0.0/0"); list your networks, or set platform:cluster.allowPublicAccessFromAnywhere: true',
    ]);
    const open = parseEnvironment(
      'uat',
      eks({ publicAccessCidrs: ['0.0.0.0/0'], allowPublicAccessFromAnywhere: true }),
    );
    expect((open.cluster as EksClusterSpec).publicAccessCidrs).toEqual(['0.0.0.0/0']);
  });

  it('refuses node group sizes out of order and bad admin ARNs', () => {
    expect(
      problems(eks({ nodeGroups: { data: { minSize: 4, desiredSize: 3 } }, admins: ['platform-admins'] })),
    ).toEqual(['platform:cluster.admins[0]: must be an IAM role or user ARN (got "platform-admins")']);
    expect(problems(eks({ nodeGroups: { data: { minSize: 4, desiredSize: 3 } } }))).toEqual([
      'platform:cluster.nodeGroups.data: sizes must satisfy minSize <= desiredSize <= maxSize (got 4 <= 3 <= 6)',
    ]);
  });

  it('refuses a kubeconfig on an EKS stack', () => {
    expect(problems({ ...eks({}), kubeconfig: KUBECONFIG })).toEqual([
      'platform:kubeconfig: is for on-prem clusters; EKS stacks get their kubeconfig from the cluster they create',
    ]);
  });
});

describe('on-prem cluster config', () => {
  it('resolves declared capabilities', () => {
    const cluster = parseEnvironment('dev', onprem({ context: 'dev', loadBalancer: { mode: 'nodePort' } }))
      .cluster as OnPremClusterSpec;
    expect(cluster).toMatchObject({
      storageClass: 'standard',
      loadBalancer: { mode: 'nodePort', httpPort: 30080, httpsPort: 30443 },
      registry: 'registry.local/platform',
      zones: { topologyKey: 'kubernetes.io/hostname', count: 1 },
      metricsServer: 'install',
    });
  });

  it('refuses every undeclared capability, by name', () => {
    expect(
      problems({ tier: 'onprem', cluster: { context: 'dev' }, services, backup: ONPREM_BACKUP }, 'dev'),
    ).toEqual([
      'platform:cluster.storageClass: is a capability every on-prem cluster must declare: the StorageClass for persistent volumes, e.g. "standard"',
      'platform:cluster.loadBalancer: is a capability every on-prem cluster must declare: {mode: metallb, addressPool: <pool>} or {mode: nodePort}',
      'platform:cluster.registry: is a capability every on-prem cluster must declare: the registry images are pulled from, e.g. "registry.internal/platform"',
    ]);
  });

  it('refuses a missing kubeconfig and context', () => {
    expect(problems(onprem({}), 'dev')).toEqual([
      'platform:cluster: an on-prem cluster needs the secret platform:kubeconfig or platform:cluster.context (got neither)',
    ]);
  });

  it('accepts a well-formed kubeconfig', () => {
    const spec = parseEnvironment('dev', onprem({}, { kubeconfig: KUBECONFIG }));
    expect((spec.cluster as OnPremClusterSpec).hasKubeconfig).toBe(true);
  });

  it('refuses a malformed kubeconfig without ever printing its contents', () => {
    const cases: [string, string][] = [
      [
        'clusters: [unterminated',
        'platform:kubeconfig: is not valid YAML or JSON (contents not shown: it is a secret)',
      ],
      ['apiVersion: v1\nkind: Config\n', 'platform:kubeconfig: has no clusters: it must list at least one'],
      [
        KUBECONFIG.replace('current-context: dev', 'current-context: prod'),
        'platform:kubeconfig: has no context "prod"; contexts: dev',
      ],
    ];
    for (const [text, expected] of cases) {
      const found = problems(onprem({}, { kubeconfig: text }), 'dev');
      expect(found).toContain(expected);
      expect(found.join('\n')).not.toContain('very-secret-token');
    }
  });

  it('checks the chosen context against the kubeconfig', () => {
    expect(problems(onprem({ context: 'staging' }, { kubeconfig: KUBECONFIG }), 'dev')).toEqual([
      'platform:kubeconfig: has no context "staging"; contexts: dev',
    ]);
  });

  it('refuses a malformed load balancer declaration', () => {
    expect(problems(onprem({ loadBalancer: { mode: 'f5' } }), 'dev')[0]).toMatch(
      /^platform:cluster\.loadBalancer(\.mode)?: /,
    );
  });
});
