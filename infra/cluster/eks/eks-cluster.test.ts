import * as pulumi from '@pulumi/pulumi';
import { MOCK_ACCOUNT, mockCall, mockOutputs } from '../../../tools/plan/mock-outputs';
import { CHARTS } from '../../versions';
import { EksCluster, NODE_GROUP_NAMES, type EksClusterArgs } from '.';

/** One resource as the mock engine saw it, with the URNs it depends on (from the wire request). */
interface Recorded {
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly inputs: Record<string, any>;
  readonly provider?: string;
  dependencies: string[];
}

const recorded: Recorded[] = [];
const dependencies = new Map<string, string[]>();

interface WireRequest {
  getType(): string;
  getName(): string;
  getDependenciesList(): string[];
}

const mocksReady = (async () => {
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        recorded.push({
          type: args.type,
          name: args.name,
          custom: args.custom ?? false,
          inputs: args.inputs as Record<string, any>,
          ...(args.provider !== undefined && { provider: args.provider }),
          dependencies: dependencies.get(`${args.type}::${args.name}`) ?? [],
        });
        return {
          id: args.custom ? `${args.name}-id` : undefined,
          state: {
            ...mockOutputs(args.type, args.name, args.inputs as Record<string, unknown>),
            ...args.inputs,
          },
        };
      },
      call(args) {
        try {
          return mockCall(args.token, (args.inputs ?? {}) as Record<string, unknown>);
        } catch {
          return {};
        }
      },
    },
    'platform',
    'test',
    true,
  );
  // The mock API does not pass dependencies to newResource; read them off the wire request first.
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: WireRequest, cb: (err: unknown, res: unknown) => void): unknown;
  };
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => {
    dependencies.set(`${req.getType()}::${req.getName()}`, req.getDependenciesList());
    return original(req, cb);
  };
})();

/** The value of an output, once the mock engine has resolved it. */
function resolve<T>(value: pulumi.Input<T>): Promise<pulumi.Unwrap<T>> {
  return new Promise((done) => {
    pulumi.output(value).apply((v) => {
      done(v);
      return v;
    });
  });
}

/** Resolves once no resource has been registered for a few turns of the event loop. */
async function settle(): Promise<void> {
  let last = -1;
  let quiet = 0;
  while (quiet < 5) {
    await new Promise((r) => setTimeout(r, 10));
    if (recorded.length === last) quiet++;
    else {
      quiet = 0;
      last = recorded.length;
    }
  }
}

const nodeGroups = (data: EksClusterArgs['nodeGroups']['data']): EksClusterArgs['nodeGroups'] => ({
  system: { instanceTypes: ['m6i.large'], minSize: 2, desiredSize: 2, maxSize: 3, diskSizeGiB: 50 },
  workloads: {
    instanceTypes: ['m6i.xlarge', 'm6a.xlarge'],
    minSize: 3,
    desiredSize: 4,
    maxSize: 12,
    diskSizeGiB: 80,
  },
  data,
});

const UAT: EksClusterArgs = {
  environment: 'uat',
  region: 'eu-west-1',
  availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
  vpcCidr: '10.20.0.0/16',
  publicSubnetCidrs: ['10.20.0.0/22', '10.20.4.0/22', '10.20.8.0/22'],
  privateSubnetCidrs: ['10.20.64.0/18', '10.20.128.0/18', '10.20.192.0/18'],
  natGateways: 'one',
  serviceCidr: '172.20.0.0/16',
  kubernetesVersion: '1.33',
  admins: ['arn:aws:iam::111122223333:role/platform-admins'],
  publicAccessCidrs: ['203.0.113.0/24'],
  amiType: 'AL2023',
  nodeGroups: nodeGroups({
    instanceTypes: ['r6i.xlarge'],
    minSize: 3,
    desiredSize: 3,
    maxSize: 6,
    diskSizeGiB: 80,
  }),
  services: ['user', 'product', 'order', 'notification', 'analytics'],
  secretsManagerPrefix: 'platform/uat/',
  tags: { environment: 'uat', project: 'platform', 'managed-by': 'pulumi' },
  dns: { hostedZoneId: 'Z0UAT1234567890', domain: 'uat.shop.example.com', gatewayNamespace: 'platform' },
};

const PROD: EksClusterArgs = {
  environment: 'prod',
  region: 'eu-central-1',
  availabilityZones: ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'],
  vpcCidr: '10.30.0.0/16',
  publicSubnetCidrs: ['10.30.0.0/22', '10.30.4.0/22', '10.30.8.0/22'],
  privateSubnetCidrs: ['10.30.64.0/18', '10.30.128.0/18', '10.30.192.0/18'],
  natGateways: 'perZone',
  kubernetesVersion: '1.33',
  admins: ['arn:aws:iam::444455556666:role/platform-admins', 'arn:aws:iam::444455556666:user/break-glass'],
  // Private endpoint only: deployments run from inside the VPC.
  publicAccessCidrs: [],
  amiType: 'Bottlerocket',
  // Graviton for the data stores.
  nodeGroups: nodeGroups({
    instanceTypes: ['r7g.2xlarge'],
    minSize: 3,
    desiredSize: 3,
    maxSize: 9,
    diskSizeGiB: 100,
  }),
  services: ['user', 'product'],
  imageRetention: { untaggedDays: 7, taggedImages: 200 },
  secretsManagerPrefix: 'platform/prod/',
  tags: { environment: 'prod', project: 'platform', 'cost-center': 'platform-prod' },
  controlPlaneLogRetentionDays: 365,
};

const FIXTURES = { uat: UAT, prod: PROD } as const;
type Env = keyof typeof FIXTURES;
const built: Partial<Record<Env, EksCluster>> = {};

beforeAll(async () => {
  await mocksReady;
  for (const env of Object.keys(FIXTURES) as Env[]) built[env] = new EksCluster(`${env}-eks`, FIXTURES[env]);
  await Promise.all(Object.values(built).map((c) => resolve(c.urn)));
  await settle();
});

/** Resource types that take no tags. */
const UNTAGGABLE = new Set([
  'aws:ec2/route:Route',
  'aws:ec2/routeTableAssociation:RouteTableAssociation',
  'aws:kms/alias:Alias',
  'aws:iam/rolePolicyAttachment:RolePolicyAttachment',
  'aws:ecr/lifecyclePolicy:LifecyclePolicy',
  'aws:ebs/encryptionByDefault:EncryptionByDefault',
]);

const idOf = (r: Recorded) => `${r.name}-id`;
/** What the mock engine answers for a resource's ARN (the same function the plan uses). */
const arnOf = (r: Recorded) => mockOutputs(r.type, r.name, r.inputs).arn as string;
const nameOfUrn = (urn: string) => urn.slice(urn.lastIndexOf('::') + 2);

describe.each(Object.keys(FIXTURES) as Env[])('EksCluster (%s)', (env) => {
  const args = FIXTURES[env];
  const clusterName = `platform-${env}`;
  const mine = () => recorded.filter((r) => r.name.startsWith(`${env}-eks-`));
  const of = (type: string) => mine().filter((r) => r.type === type);
  const one = (type: string, predicate: (r: Recorded) => boolean = () => true) => {
    const found = of(type).filter(predicate);
    expect(found).toHaveLength(1);
    return found[0] as Recorded;
  };
  const cluster = () => built[env] as EksCluster;
  const dependsOn = (r: Recorded, target: Recorded) => r.dependencies.map(nameOfUrn).includes(target.name);

  it('pins every AWS resource to the environment region through its own provider', () => {
    const provider = one('pulumi:providers:aws');
    expect(provider.inputs.region).toBe(args.region);
    const aws = mine().filter((r) => r.custom && r.type.startsWith('aws:'));
    expect(aws.length).toBeGreaterThan(30);
    for (const r of aws) expect(r.provider).toContain(`pulumi:providers:aws::${provider.name}::`);
  });

  it('builds a VPC with a public and a private subnet in each of 3 distinct zones', () => {
    const vpc = one('aws:ec2/vpc:Vpc');
    expect(vpc.inputs).toMatchObject({
      cidrBlock: args.vpcCidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
    });
    const subnets = of('aws:ec2/subnet:Subnet');
    expect(subnets).toHaveLength(6);
    const publicSubnets = subnets.filter((s) => s.inputs.tags['kubernetes.io/role/elb'] === '1');
    const privateSubnets = subnets.filter((s) => s.inputs.tags['kubernetes.io/role/internal-elb'] === '1');
    for (const [group, cidrs] of [
      [publicSubnets, args.publicSubnetCidrs],
      [privateSubnets, args.privateSubnetCidrs],
    ] as const) {
      expect(group).toHaveLength(3);
      expect(new Set(group.map((s) => s.inputs.availabilityZone))).toEqual(new Set(args.availabilityZones));
      expect(group.map((s) => s.inputs.cidrBlock).sort()).toEqual([...cidrs].sort());
      for (const s of group) {
        expect(s.inputs.vpcId).toBe(idOf(vpc));
        expect(s.inputs.mapPublicIpOnLaunch).toBe(false);
        expect(s.inputs.tags[`kubernetes.io/cluster/${clusterName}`]).toBe('shared');
      }
    }
    // Public subnets route to the internet gateway.
    const igw = one('aws:ec2/internetGateway:InternetGateway');
    const publicRoute = one('aws:ec2/route:Route', (r) => r.inputs.gatewayId !== undefined);
    expect(publicRoute.inputs).toMatchObject({ destinationCidrBlock: '0.0.0.0/0', gatewayId: idOf(igw) });
    const associations = of('aws:ec2/routeTableAssociation:RouteTableAssociation');
    for (const s of publicSubnets) {
      const assoc = associations.find((a) => a.inputs.subnetId === idOf(s));
      expect(assoc?.inputs.routeTableId).toBe(publicRoute.inputs.routeTableId);
    }
  });

  it(`gives private subnets egress through ${env === 'uat' ? 'one NAT gateway' : 'a NAT gateway in their own zone'}`, () => {
    const nats = of('aws:ec2/natGateway:NatGateway');
    expect(nats).toHaveLength(args.natGateways === 'perZone' ? 3 : 1);
    const subnets = of('aws:ec2/subnet:Subnet');
    const zoneOfSubnet = (id: string) =>
      subnets.find((s) => idOf(s) === id)?.inputs.availabilityZone as string;
    const natZone = new Map(nats.map((n) => [idOf(n), zoneOfSubnet(n.inputs.subnetId)]));
    for (const n of nats) {
      const subnet = subnets.find((s) => idOf(s) === n.inputs.subnetId);
      expect(subnet?.inputs.tags['kubernetes.io/role/elb']).toBe('1');
      expect(of('aws:ec2/eip:Eip').map(idOf)).toContain(n.inputs.allocationId);
    }
    const associations = of('aws:ec2/routeTableAssociation:RouteTableAssociation');
    const privateSubnets = subnets.filter((s) => s.inputs.tags['kubernetes.io/role/internal-elb'] === '1');
    for (const s of privateSubnets) {
      const table = associations.find((a) => a.inputs.subnetId === idOf(s))?.inputs.routeTableId;
      const egress = of('aws:ec2/route:Route').filter((r) => r.inputs.routeTableId === table);
      expect(egress).toHaveLength(1);
      const route = egress[0] as Recorded;
      expect(route.inputs.destinationCidrBlock).toBe('0.0.0.0/0');
      expect(natZone.has(route.inputs.natGatewayId)).toBe(true);
      if (args.natGateways === 'perZone')
        expect(natZone.get(route.inputs.natGatewayId)).toBe(s.inputs.availabilityZone);
    }
  });

  it('creates the EKS control plane with API auth, admin access entries, private endpoint, KMS secrets, logs and OIDC', () => {
    const eks = one('eks:index:Cluster');
    const key = one('aws:kms/key:Key');
    expect(key.inputs.enableKeyRotation).toBe(true);
    const logs = one('aws:cloudwatch/logGroup:LogGroup');
    expect(logs.inputs).toMatchObject({
      name: `/aws/eks/${clusterName}/cluster`,
      retentionInDays: args.controlPlaneLogRetentionDays ?? 90,
    });
    const vpc = one('aws:ec2/vpc:Vpc');
    const subnets = of('aws:ec2/subnet:Subnet');
    const ids = (role: string) => subnets.filter((s) => s.inputs.tags[role] === '1').map(idOf);

    expect(eks.inputs).toMatchObject({
      name: clusterName,
      version: args.kubernetesVersion,
      authenticationMode: 'API',
      endpointPrivateAccess: true,
      endpointPublicAccess: args.publicAccessCidrs.length > 0,
      createOidcProvider: true,
      encryptionConfigKeyArn: arnOf(key),
      skipDefaultNodeGroup: true,
      vpcId: idOf(vpc),
    });
    expect(eks.inputs.enabledClusterLogTypes).toEqual(['api', 'audit', 'authenticator']);
    expect([...eks.inputs.privateSubnetIds].sort()).toEqual(ids('kubernetes.io/role/internal-elb').sort());
    expect([...eks.inputs.publicSubnetIds].sort()).toEqual(ids('kubernetes.io/role/elb').sort());
    expect(eks.inputs.kubernetesServiceIpAddressRange).toBe(args.serviceCidr);
    expect(eks.dependencies.map(nameOfUrn)).toContain(logs.name);

    // Public endpoint: exactly the given CIDRs, never the whole internet; absent when disabled.
    if (args.publicAccessCidrs.length > 0)
      expect(eks.inputs.publicAccessCidrs).toEqual(args.publicAccessCidrs);
    else expect(eks.inputs.publicAccessCidrs).toBeUndefined();
    expect(args.publicAccessCidrs).not.toContain('0.0.0.0/0');

    const entries = Object.values(eks.inputs.accessEntries as Record<string, any>);
    expect(entries.map((e) => e.principalArn).sort()).toEqual([...args.admins].sort());
    for (const entry of entries) {
      expect(entry.type).toBe('STANDARD');
      expect(Object.values(entry.accessPolicies)).toEqual([
        {
          policyArn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
          accessScope: { type: 'cluster' },
        },
      ]);
    }
  });

  it('runs three managed node groups over the private subnets, sized as given, the data group tainted', () => {
    const groups = of('aws:eks/nodeGroup:NodeGroup');
    expect(groups).toHaveLength(3);
    const role = one('aws:iam/role:Role', (r) => r.inputs.name === `${clusterName}-nodes`);
    expect(JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Principal).toEqual({
      Service: 'ec2.amazonaws.com',
    });
    const attached = of('aws:iam/rolePolicyAttachment:RolePolicyAttachment')
      .filter((a) => a.inputs.role === role.inputs.name)
      .map((a) => a.inputs.policyArn)
      .sort();
    expect(attached).toEqual(
      ['AmazonEC2ContainerRegistryReadOnly', 'AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy'].map(
        (p) => `arn:aws:iam::aws:policy/${p}`,
      ),
    );
    const privateSubnets = of('aws:ec2/subnet:Subnet').filter(
      (s) => s.inputs.tags['kubernetes.io/role/internal-elb'],
    );
    const eksCluster = one('eks:index:Cluster');
    const egress = of('aws:ec2/route:Route').filter((r) => r.inputs.natGatewayId !== undefined);

    for (const pool of NODE_GROUP_NAMES) {
      const spec = args.nodeGroups[pool];
      const group = one('aws:eks/nodeGroup:NodeGroup', (g) => g.inputs.labels['platform.io/pool'] === pool);
      expect(group.inputs).toMatchObject({
        clusterName,
        version: args.kubernetesVersion,
        nodeRoleArn: arnOf(role),
        instanceTypes: spec.instanceTypes,
        diskSize: spec.diskSizeGiB,
        scalingConfig: { minSize: spec.minSize, desiredSize: spec.desiredSize, maxSize: spec.maxSize },
        capacityType: 'ON_DEMAND',
      });
      expect([...group.inputs.subnetIds].sort()).toEqual(privateSubnets.map(idOf).sort());
      const graviton = spec.instanceTypes.every((t) => /^[a-z]+\d+[a-z]*g[a-z]*\./.test(t));
      const family = args.amiType === 'AL2023' ? 'AL2023' : 'BOTTLEROCKET';
      expect(group.inputs.amiType).toMatch(new RegExp(`^${family}_${graviton ? 'ARM_64' : 'x86_64'}`));
      if (pool === 'data') {
        expect(group.inputs.taints).toEqual([{ key: 'dedicated', value: 'data', effect: 'NO_SCHEDULE' }]);
      } else {
        expect(group.inputs.taints).toBeUndefined();
      }
      // Nodes boot after the control plane and the routes they pull images through.
      expect(dependsOn(group, eksCluster)).toBe(true);
      for (const route of egress) expect(dependsOn(group, route)).toBe(true);
    }
  });

  it('installs CoreDNS and the EBS CSI driver as EKS add-ons, and an encrypted gp3 default StorageClass', async () => {
    const addons = of('aws:eks/addon:Addon');
    expect(addons.map((a) => a.inputs.addonName).sort()).toEqual(['aws-ebs-csi-driver', 'coredns']);
    const ebs = one('aws:eks/addon:Addon', (a) => a.inputs.addonName === 'aws-ebs-csi-driver');
    expect(ebs.inputs.clusterName).toBe(clusterName);
    expect(ebs.inputs.serviceAccountRoleArn).toBe(await resolve(cluster().irsaRoles.ebsCsiDriver.arn));
    expect(JSON.parse(ebs.inputs.configurationValues)).toEqual({ node: { tolerateAllTaints: true } });
    for (const addon of addons) {
      for (const group of of('aws:eks/nodeGroup:NodeGroup')) expect(dependsOn(addon, group)).toBe(true);
    }

    const sc = one('kubernetes:storage.k8s.io/v1:StorageClass');
    expect(sc.inputs).toMatchObject({
      metadata: { name: 'gp3', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'ebs.csi.aws.com',
      parameters: { type: 'gp3', encrypted: 'true' },
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
    });
    expect(dependsOn(sc, ebs)).toBe(true);
  });

  it('turns on EBS encryption by default in its region, so the node groups’ root disks are encrypted', () => {
    expect(one('aws:ebs/encryptionByDefault:EncryptionByDefault').inputs).toEqual({ enabled: true });
  });

  it('installs the pinned Helm releases on nodes that exist, with CRD users after their release', () => {
    const releases = of('kubernetes:helm.sh/v3:Release');
    const pins = [
      CHARTS.awsLoadBalancerController,
      CHARTS.metricsServer,
      CHARTS.clusterAutoscaler,
      CHARTS.externalSecrets,
      ...(args.dns ? [CHARTS.externalDns] : []),
    ];
    expect(releases.map((r) => r.inputs.chart).sort()).toEqual(pins.map((p) => p.chart).sort());
    const groups = of('aws:eks/nodeGroup:NodeGroup');
    const coredns = one('aws:eks/addon:Addon', (a) => a.inputs.addonName === 'coredns');
    for (const pin of pins) {
      const release = one('kubernetes:helm.sh/v3:Release', (r) => r.inputs.chart === pin.chart);
      expect(release.inputs.version).toBe(pin.version);
      expect(release.inputs.repositoryOpts).toEqual({ repo: pin.repo });
      expect(release.inputs.values.nodeSelector).toEqual({ 'platform.io/pool': 'system' });
      for (const group of groups) expect(dependsOn(release, group)).toBe(true);
      expect(dependsOn(release, coredns)).toBe(true);
    }
    const lbc = one(
      'kubernetes:helm.sh/v3:Release',
      (r) => r.inputs.chart === CHARTS.awsLoadBalancerController.chart,
    );
    expect(lbc.inputs.namespace).toBe('kube-system');
    expect(lbc.inputs.values).toMatchObject({
      clusterName,
      region: args.region,
      vpcId: idOf(one('aws:ec2/vpc:Vpc')),
    });
    const ca = one('kubernetes:helm.sh/v3:Release', (r) => r.inputs.chart === CHARTS.clusterAutoscaler.chart);
    expect(ca.inputs.values).toMatchObject({
      autoDiscovery: { clusterName },
      awsRegion: args.region,
      image: { tag: `v${args.kubernetesVersion}.0` },
    });
    const eso = one('kubernetes:helm.sh/v3:Release', (r) => r.inputs.chart === CHARTS.externalSecrets.chart);
    expect(eso.inputs).toMatchObject({ namespace: 'external-secrets', createNamespace: true });

    const store = one('kubernetes:external-secrets.io/v1:ClusterSecretStore');
    expect(store.inputs.metadata.name).toBe('aws-secrets-manager');
    expect(store.inputs.spec.provider.aws).toEqual({
      service: 'SecretsManager',
      region: args.region,
      auth: {
        jwt: {
          serviceAccountRef: { name: eso.inputs.values.serviceAccount.name, namespace: eso.inputs.namespace },
        },
      },
    });
    expect(dependsOn(store, eso)).toBe(true);

    // Kubernetes resources go to this cluster, through a server-side-apply provider built from its kubeconfig.
    const k8s = one('pulumi:providers:kubernetes');
    expect(String(k8s.inputs.enableServerSideApply)).toBe('true');
    expect(k8s.inputs.kubeconfig).toBe(
      mockOutputs('eks:index:Cluster', one('eks:index:Cluster').name, {}).kubeconfigJson,
    );
    for (const r of mine().filter((x) => x.custom && x.type.startsWith('kubernetes:'))) {
      expect(r.provider).toContain(`pulumi:providers:kubernetes::${k8s.name}::`);
    }
  });

  it('gives every controller its own IRSA role, trusted by exactly its service account', async () => {
    const oidcProviderArn = await resolve(cluster().oidcProviderArn);
    const host = await resolve(cluster().oidcIssuer);
    expect(host).not.toMatch(/^https:/);

    const federated = of('aws:iam/role:Role').filter((r) => r.inputs.assumeRolePolicy.includes('Federated'));
    const roles = cluster().irsaRoles;
    expect(federated).toHaveLength(Object.keys(roles).length);

    type Controller = keyof typeof roles;
    const subjects = new Map<Controller, string>();
    for (const [controller, role] of Object.entries(roles) as [
      Controller,
      NonNullable<(typeof roles)[Controller]>,
    ][]) {
      const trust = JSON.parse(await resolve(role.assumeRolePolicy));
      expect(trust.Statement).toHaveLength(1);
      const [statement] = trust.Statement;
      expect(statement).toMatchObject({
        Effect: 'Allow',
        Action: 'sts:AssumeRoleWithWebIdentity',
        Principal: { Federated: oidcProviderArn },
      });
      // Only StringEquals, with exactly the subject and the audience: no wildcard can widen it.
      expect(Object.keys(statement.Condition)).toEqual(['StringEquals']);
      const condition = statement.Condition.StringEquals as Record<string, string>;
      expect(Object.keys(condition).sort()).toEqual([`${host}:aud`, `${host}:sub`]);
      expect(condition[`${host}:aud`]).toBe('sts.amazonaws.com');
      const sub = condition[`${host}:sub`] as string;
      expect(sub).toMatch(/^system:serviceaccount:[a-z0-9-]+:[a-z0-9-]+$/);
      subjects.set(controller, sub);
    }
    expect(new Set(subjects.values()).size).toBe(subjects.size);

    // Each trusted subject is the service account that actually carries the role.
    const release = (pin: { chart: string }) =>
      one('kubernetes:helm.sh/v3:Release', (r) => r.inputs.chart === pin.chart);
    const annotated = (controller: Controller, namespace: string, sa: { name: string; annotations: any }) => {
      expect(subjects.get(controller)).toBe(`system:serviceaccount:${namespace}:${sa.name}`);
      return sa.annotations['eks.amazonaws.com/role-arn'];
    };
    const lbc = release(CHARTS.awsLoadBalancerController);
    const ca = release(CHARTS.clusterAutoscaler);
    const eso = release(CHARTS.externalSecrets);
    expect(annotated('loadBalancerController', lbc.inputs.namespace, lbc.inputs.values.serviceAccount)).toBe(
      await resolve(roles.loadBalancerController.arn),
    );
    expect(annotated('clusterAutoscaler', ca.inputs.namespace, ca.inputs.values.rbac.serviceAccount)).toBe(
      await resolve(roles.clusterAutoscaler.arn),
    );
    expect(annotated('externalSecrets', eso.inputs.namespace, eso.inputs.values.serviceAccount)).toBe(
      await resolve(roles.externalSecrets.arn),
    );
    if (args.dns) {
      const dns = release(CHARTS.externalDns);
      expect(annotated('externalDns', dns.inputs.namespace, dns.inputs.values.serviceAccount)).toBe(
        await resolve(roles.externalDns?.arn),
      );
    } else expect(roles.externalDns).toBeUndefined();
    // The EBS CSI add-on's controller runs as this service account (fixed by the add-on).
    expect(subjects.get('ebsCsiDriver')).toBe('system:serviceaccount:kube-system:ebs-csi-controller-sa');
  });

  it("lets External Secrets read only the environment's Secrets Manager prefix", async () => {
    const roleName = await resolve(cluster().irsaRoles.externalSecrets.name);
    const policyArns = of('aws:iam/rolePolicyAttachment:RolePolicyAttachment')
      .filter((a) => a.inputs.role === roleName)
      .map((a) => a.inputs.policyArn);
    expect(policyArns).toHaveLength(1);
    const policy = one('aws:iam/policy:Policy', (p) => arnOf(p) === policyArns[0]);
    const doc = JSON.parse(policy.inputs.policy);
    expect(doc.Statement).toHaveLength(1);
    const [statement] = doc.Statement;
    expect(statement.Effect).toBe('Allow');
    expect([...statement.Action].sort()).toEqual([
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
    ]);
    expect(statement.Resource).toBe(
      `arn:aws:secretsmanager:${args.region}:${MOCK_ACCOUNT}:secret:${args.secretsManagerPrefix}*`,
    );
    for (const other of Object.values(FIXTURES).filter((f) => f !== args)) {
      expect(policy.inputs.policy).not.toContain(other.secretsManagerPrefix);
    }
  });

  if (args.dns) {
    const dns = args.dns;
    it("publishes the routes' hostnames with ExternalDNS into the one configured zone, under its domain", async () => {
      const release = one(
        'kubernetes:helm.sh/v3:Release',
        (r) => r.inputs.chart === CHARTS.externalDns.chart,
      );
      expect(release.inputs).toMatchObject({
        name: 'external-dns',
        version: CHARTS.externalDns.version,
        repositoryOpts: { repo: CHARTS.externalDns.repo },
        namespace: 'external-dns',
        createNamespace: true,
      });
      expect(release.inputs.values).toMatchObject({
        provider: { name: 'aws' },
        sources: ['gateway-httproute'],
        gatewayNamespace: dns.gatewayNamespace,
        domainFilters: [dns.domain],
        policy: 'upsert-only',
        registry: 'txt',
        txtOwnerId: clusterName,
        extraArgs: { 'zone-id-filter': dns.hostedZoneId },
        env: [{ name: 'AWS_DEFAULT_REGION', value: args.region }],
        resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '250m', memory: '256Mi' } },
      });
      for (const group of of('aws:eks/nodeGroup:NodeGroup')) expect(dependsOn(release, group)).toBe(true);

      // The role: trusted by exactly ExternalDNS's service account, allowed exactly this zone.
      const role = cluster().irsaRoles.externalDns as NonNullable<EksCluster['irsaRoles']['externalDns']>;
      const host = await resolve(cluster().oidcIssuer);
      const trust = JSON.parse(await resolve(role.assumeRolePolicy));
      expect(trust.Statement).toHaveLength(1);
      expect(trust.Statement[0].Condition).toEqual({
        StringEquals: {
          [`${host}:sub`]: 'system:serviceaccount:external-dns:external-dns',
          [`${host}:aud`]: 'sts.amazonaws.com',
        },
      });
      const roleName = await resolve(role.name);
      expect(roleName).toBe(`${clusterName}-external-dns`);
      const policyArns = of('aws:iam/rolePolicyAttachment:RolePolicyAttachment')
        .filter((a) => a.inputs.role === roleName)
        .map((a) => a.inputs.policyArn);
      expect(policyArns).toHaveLength(1);
      const doc = JSON.parse(one('aws:iam/policy:Policy', (p) => arnOf(p) === policyArns[0]).inputs.policy);
      const zone = `arn:aws:route53:::hostedzone/${dns.hostedZoneId}`;
      const byAction = (action: string) =>
        doc.Statement.filter((s: any) => [s.Action].flat().includes(action));
      const [change, ...otherChanges] = byAction('route53:ChangeResourceRecordSets');
      expect(otherChanges).toEqual([]);
      expect(change.Resource).toBe(zone);
      expect(change.Condition).toEqual({
        'ForAllValues:StringLike': {
          'route53:ChangeResourceRecordSetsNormalizedRecordNames': [dns.domain, `*.${dns.domain}`],
        },
      });
      for (const action of ['route53:ListResourceRecordSets', 'route53:ListTagsForResources'])
        expect(byAction(action).map((s: any) => s.Resource)).toEqual([zone]);
      // Only listing the zones takes no resource; nothing else reaches beyond the zone.
      for (const statement of doc.Statement) {
        expect(statement.Effect).toBe('Allow');
        if (statement.Resource === '*') expect(statement.Action).toBe('route53:ListHostedZones');
        else expect(statement.Resource).toBe(zone);
      }
      expect(
        doc.Statement.flatMap((s: any) => [s.Action].flat())
          .map(String)
          .sort(),
      ).toEqual([
        'route53:ChangeResourceRecordSets',
        'route53:ListHostedZones',
        'route53:ListResourceRecordSets',
        'route53:ListTagsForResources',
      ]);
    });
  } else {
    it('installs no ExternalDNS and creates no Route 53 role without a dns zone', () => {
      const charts = of('kubernetes:helm.sh/v3:Release').map((r) => r.inputs.chart);
      expect(charts).not.toContain(CHARTS.externalDns.chart);
      expect(of('aws:iam/policy:Policy').filter((p) => p.inputs.policy.includes('route53:'))).toEqual([]);
      expect(cluster().irsaRoles.externalDns).toBeUndefined();
    });
  }

  it('scopes the controllers that change AWS resources to this cluster', () => {
    const policy = (controller: string) =>
      JSON.parse(
        one('aws:iam/policy:Policy', (p) => p.inputs.name === `${clusterName}-${controller}`).inputs.policy,
      );
    const ca = policy('cluster-autoscaler');
    const scale = ca.Statement.find((s: any) => [s.Action].flat().includes('autoscaling:SetDesiredCapacity'));
    expect(scale.Condition).toEqual({
      StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: 'owned' },
    });
    const lbc = policy('load-balancer-controller');
    const deletes = lbc.Statement.filter((s: any) =>
      [s.Action]
        .flat()
        .some((a: string) =>
          /^(elasticloadbalancing|ec2):Delete(LoadBalancer|TargetGroup|SecurityGroup)$/.test(a),
        ),
    );
    expect(deletes.length).toBeGreaterThan(0);
    for (const s of deletes) {
      expect(s.Condition.StringEquals['aws:ResourceTag/elbv2.k8s.aws/cluster']).toBe(clusterName);
    }
  });

  it('creates immutable, scanned, encrypted ECR repositories with a lifecycle policy', async () => {
    const repos = of('aws:ecr/repository:Repository');
    expect(repos.map((r) => r.inputs.name).sort()).toEqual(args.services.map((s) => `platform/${s}`).sort());
    const retention = args.imageRetention ?? { untaggedDays: 14, taggedImages: 100 };
    for (const repo of repos) {
      expect(repo.inputs).toMatchObject({
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfigurations: [{ encryptionType: 'KMS' }],
      });
      const lifecycle = one(
        'aws:ecr/lifecyclePolicy:LifecyclePolicy',
        (p) => p.inputs.repository === repo.inputs.name,
      );
      const rules = JSON.parse(lifecycle.inputs.policy).rules as any[];
      const untagged = rules.find((r) => r.selection.tagStatus === 'untagged');
      expect(untagged.selection).toMatchObject({
        countType: 'sinceImagePushed',
        countNumber: retention.untaggedDays,
      });
      const tagged = rules.find((r) => r.selection.tagStatus === 'tagged');
      expect(tagged.selection).toMatchObject({
        countType: 'imageCountMoreThan',
        countNumber: retention.taggedImages,
      });
      for (const rule of rules) expect(rule.action).toEqual({ type: 'expire' });
    }
    const urls = await resolve(cluster().repositoryUrls);
    expect(Object.keys(urls).sort()).toEqual([...args.services].sort());
    for (const service of args.services) expect(urls[service]).toMatch(new RegExp(`/platform/${service}$`));
  });

  it('tags every AWS resource that takes tags', () => {
    const taggable = mine().filter((r) => r.custom && r.type.startsWith('aws:') && !UNTAGGABLE.has(r.type));
    expect(taggable.length).toBeGreaterThan(20);
    for (const r of taggable)
      expect({ resource: r.name, tags: r.inputs.tags }).toMatchObject({ tags: args.tags });
    expect(one('eks:index:Cluster').inputs.tags).toMatchObject(args.tags);
  });

  it('exposes ClusterAccess: provider, gp3, Secrets Manager store, 3 zones, ECR, NLB exposure, readiness', async () => {
    const { access } = cluster();
    expect(access.provider).toBe(cluster().provider);
    expect(access.storageClass).toBe(one('kubernetes:storage.k8s.io/v1:StorageClass').inputs.metadata.name);
    const backend = access.secretBackend;
    // Field by field: a failing deep comparison would try to print the provider's whole object graph.
    expect(backend.kind).toBe('aws-secrets-manager');
    if (backend.kind !== 'aws-secrets-manager') return;
    expect(backend.clusterSecretStore).toBe(
      one('kubernetes:external-secrets.io/v1:ClusterSecretStore').inputs.metadata.name,
    );
    expect(backend.pathPrefix).toBe(args.secretsManagerPrefix);
    expect(backend.awsProvider).toBe(cluster().awsProvider);
    expect(access.dataPlacement).toEqual({
      nodeSelector: { 'platform.io/pool': 'data' },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'data', effect: 'NoSchedule' }],
    });
    expect(access.zones).toEqual({ topologyKey: 'topology.kubernetes.io/zone', count: 3 });
    expect(await resolve(access.imageRegistry)).toBe(
      `${MOCK_ACCOUNT}.dkr.ecr.${args.region}.amazonaws.com/platform`,
    );
    expect(access.gatewayExposure.serviceType).toBe('LoadBalancer');
    expect(access.gatewayExposure.serviceAnnotations).toMatchObject({
      'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
      'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
      'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
    });
    expect(access.installMetricsServer).toBe(false);

    const ready = new Set(await Promise.all(access.ready.map((r) => resolve(r.urn).then(nameOfUrn))));
    const mustBeReady = [
      ...of('aws:eks/nodeGroup:NodeGroup'),
      ...of('aws:eks/addon:Addon'),
      ...of('kubernetes:helm.sh/v3:Release'),
      ...of('kubernetes:storage.k8s.io/v1:StorageClass'),
      ...of('kubernetes:external-secrets.io/v1:ClusterSecretStore'),
    ];
    expect(mustBeReady).toHaveLength(3 + 2 + (args.dns ? 5 : 4) + 1 + 1);
    for (const r of mustBeReady) expect(ready).toContain(r.name);

    expect(await resolve(cluster().vpcId)).toBe(idOf(one('aws:ec2/vpc:Vpc')));
    expect(await resolve(cluster().oidcProviderArn)).toMatch(/^arn:aws:iam::\d{12}:oidc-provider\//);
    expect(pulumi.Output.isInstance(cluster().clusterName)).toBe(true);
  });
});

describe('EksCluster args', () => {
  const build = (name: string, patch: Partial<EksClusterArgs>) => () =>
    new EksCluster(name, { ...UAT, ...patch });

  it('refuses broken invariants before registering anything, listing every problem', () => {
    expect(
      build('bad-eks', {
        availabilityZones: ['eu-west-1a'],
        publicSubnetCidrs: ['10.20.0.0/22'],
        privateSubnetCidrs: ['10.20.64.0/18'],
      }),
    ).toThrow('eks.availabilityZones must list at least 3 zones (got 1)');
    const message = (() => {
      try {
        build('bad-eks', {
          secretsManagerPrefix: 'platform/uat',
          nodeGroups: nodeGroups({
            instanceTypes: ['r6i.xlarge', 'r7g.xlarge'],
            minSize: 4,
            desiredSize: 3,
            maxSize: 6,
            diskSizeGiB: 80,
          }),
        })();
      } catch (err) {
        return (err as Error).message;
      }
      return 'no error';
    })();
    expect(message).toContain('bad-eks: invalid EKS cluster args:');
    expect(message).toContain('eks.secretsManagerPrefix must be a Secrets Manager path ending in "/"');
    expect(message).toContain('eks.nodeGroups.data.instanceTypes must all share one CPU architecture');
    expect(message).toContain('eks.nodeGroups.data must satisfy 0 <= minSize <= desiredSize <= maxSize');
    expect(recorded.filter((r) => r.name.startsWith('bad-eks'))).toEqual([]);
  });

  it('refuses a dns zone that is not a hosted zone id, or a domain that is not a DNS name', () => {
    expect(
      build('bad-dns', {
        dns: { hostedZoneId: 'zone-1', domain: '*.uat.example.com', gatewayNamespace: 'platform' },
      }),
    ).toThrow(
      [
        'bad-dns: invalid EKS cluster args:',
        '  - eks.dns.hostedZoneId must be a Route 53 hosted zone id such as "Z0123456789ABC" (got "zone-1")',
        '  - eks.dns.domain must be a DNS name such as "uat.example.com", without "*." (got "*.uat.example.com")',
      ].join('\n'),
    );
    expect(recorded.filter((r) => r.name.startsWith('bad-dns'))).toEqual([]);
  });
});
