import { architectureOf, eksClusterArgsProblems, type EksClusterArgs } from './eks-cluster-args';
import { amiTypeFor } from './node-groups';

const group = { instanceTypes: ['m6i.large'], minSize: 1, desiredSize: 2, maxSize: 3, diskSizeGiB: 50 };
const VALID: EksClusterArgs = {
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
  nodeGroups: { system: group, workloads: group, data: group },
  services: ['user', 'product'],
  secretsManagerPrefix: 'platform/uat/',
  tags: { environment: 'uat' },
};
const problems = (patch: Partial<EksClusterArgs>) => eksClusterArgsProblems({ ...VALID, ...patch });

describe('eksClusterArgsProblems', () => {
  it('accepts a well-formed environment', () => {
    expect(problems({})).toEqual([]);
  });

  it('names the key path, the bad value and what is allowed', () => {
    expect(problems({ availabilityZones: ['eu-west-1a', 'eu-west-1a', 'us-east-1c'] })).toEqual([
      'eks.availabilityZones lists "eu-west-1a" more than once',
      'eks.availabilityZones must be zones of eu-west-1 such as "eu-west-1a" (got "us-east-1c")',
    ]);
    expect(problems({ kubernetesVersion: '1.33.2' })).toEqual([
      'eks.kubernetesVersion must be a Kubernetes minor version such as "1.33" (got "1.33.2")',
    ]);
    expect(problems({ admins: ['arn:aws:sts::111122223333:assumed-role/admin/me'] })).toEqual([
      'eks.admins[0] must be an IAM role or user ARN (got "arn:aws:sts::111122223333:assumed-role/admin/me")',
    ]);
  });

  it('requires one subnet per zone, inside the VPC, without overlaps, and a service CIDR outside the VPC', () => {
    expect(problems({ publicSubnetCidrs: ['10.20.0.0/22'] })).toEqual([
      'eks.publicSubnetCidrs must list one CIDR per zone (3 zones, got 1)',
    ]);
    expect(problems({ privateSubnetCidrs: ['10.20.64.0/18', '10.21.0.0/18', '10.20.0.0/20'] })).toEqual([
      'eks.privateSubnetCidrs[1] (10.21.0.0/18) must lie inside vpcCidr 10.20.0.0/16',
      'eks.publicSubnetCidrs[0] (10.20.0.0/22) overlaps privateSubnetCidrs[2] (10.20.0.0/20)',
      'eks.publicSubnetCidrs[1] (10.20.4.0/22) overlaps privateSubnetCidrs[2] (10.20.0.0/20)',
      'eks.publicSubnetCidrs[2] (10.20.8.0/22) overlaps privateSubnetCidrs[2] (10.20.0.0/20)',
    ]);
    expect(problems({ serviceCidr: '10.20.0.0/16' })).toEqual([
      'eks.serviceCidr (10.20.0.0/16) must not overlap vpcCidr 10.20.0.0/16',
    ]);
    expect(problems({ publicAccessCidrs: ['203.0.113.7/24'] })).toEqual([
      'eks.publicAccessCidrs[0] must be an IPv4 CIDR (got "203.0.113.7/24")',
    ]);
  });

  it('checks node group sizes, disks and a single CPU architecture per group', () => {
    const bad = {
      instanceTypes: ['m7g.large', 'm7i.large'],
      minSize: 0,
      desiredSize: 3,
      maxSize: 2,
      diskSizeGiB: 10,
    };
    expect(problems({ nodeGroups: { system: bad, workloads: group, data: group } })).toEqual([
      'eks.nodeGroups.system.instanceTypes must all share one CPU architecture (got m7g.large, m7i.large)',
      'eks.nodeGroups.system must satisfy 0 <= minSize <= desiredSize <= maxSize, maxSize >= 1 (got 0/3/2)',
      'eks.nodeGroups.system.diskSizeGiB must be at least 20 (got 10)',
      "eks.nodeGroups.system.minSize must be at least 1: the cluster's controllers run there (got 0)",
    ]);
  });

  it('refuses a Secrets Manager prefix that would also match sibling paths', () => {
    for (const prefix of ['platform/uat', 'platform/*/', '/platform/uat/', '']) {
      expect(problems({ secretsManagerPrefix: prefix })).toHaveLength(1);
    }
  });

  it('refuses duplicate or malformed repository names and bad retention values', () => {
    expect(problems({ services: ['user', 'User', 'user'] })).toEqual([
      'eks.services[1] must be a lowercase repository name (got "User")',
      'eks.services lists "user" more than once',
    ]);
    expect(problems({ imageRetention: { untaggedDays: 0, taggedImages: 1.5 } })).toHaveLength(2);
    expect(problems({ controlPlaneLogRetentionDays: 45 })).toHaveLength(1);
  });
});

describe('AMI type and architecture', () => {
  it('recognises Graviton instance types', () => {
    for (const t of ['m7g.large', 'c7gn.xlarge', 'r8gd.2xlarge', 'im4gn.large', 't4g.small', 'a1.medium']) {
      expect([t, architectureOf(t)]).toEqual([t, 'arm64']);
    }
    for (const t of [
      'm6i.large',
      'g5.xlarge',
      'c6in.large',
      'm7i-flex.large',
      'r6a.xlarge',
      'p4d.24xlarge',
    ]) {
      expect([t, architectureOf(t)]).toEqual([t, 'x86_64']);
    }
    expect(architectureOf('large')).toBeUndefined();
  });

  it('picks the managed node group AMI type for the OS family and architecture', () => {
    expect(amiTypeFor('AL2023', ['m6i.large'])).toBe('AL2023_x86_64_STANDARD');
    expect(amiTypeFor('AL2023', ['m7g.large', 'c7g.large'])).toBe('AL2023_ARM_64_STANDARD');
    expect(amiTypeFor('Bottlerocket', ['m6i.large'])).toBe('BOTTLEROCKET_x86_64');
    expect(amiTypeFor('Bottlerocket', ['r7g.xlarge'])).toBe('BOTTLEROCKET_ARM_64');
  });
});
