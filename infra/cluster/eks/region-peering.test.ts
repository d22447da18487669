/**
 * RegionPeering under the Pulumi mocks, between two real EksNetworks laid out like prod and its standby
 * (Pulumi.prod.yaml's blocks): requester in the primary region, accepter in the standby's, the other VPC's
 * block routed through the peering in every private route table on both sides and in no public one, and
 * no security group opened.
 */
import * as aws from '@pulumi/aws';
import { providerName, recordingMocks, type RecordedResource } from '../../../test/support/recording-mocks';
import { checkCloudResources } from '../../../tools/policy/cloud-policies';
import { EksNetwork } from './network';
import { RegionPeering, type RegionPeeringArgs } from './region-peering';

const { recorded, ready: mocksReady, settle } = recordingMocks();
type Recorded = RecordedResource;

const ZONES = {
  primary: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
  standby: ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'],
};
const network = (name: string, cidr: string, zones: string[], provider: aws.Provider) =>
  new EksNetwork(
    name,
    {
      clusterName: `platform-${name}`,
      vpcCidr: cidr,
      availabilityZones: zones,
      publicSubnetCidrs: zones.map((_, i) => cidr.replace(/\.0\.0\/16$/, `.${i}.0/24`)),
      privateSubnetCidrs: zones.map((_, i) => cidr.replace(/\.0\.0\/16$/, `.${16 * (i + 1)}.0/20`)),
      natGateways: 'one',
      tags: {},
    },
    { providers: [provider] },
  );

let base: Omit<RegionPeeringArgs, 'standbyProvider'> & { standbyProvider: aws.Provider };

beforeAll(async () => {
  await mocksReady;
  const primaryProvider = new aws.Provider('prod-aws', { region: 'eu-west-1' });
  const standbyProvider = new aws.Provider('prod-standby-aws', { region: 'eu-central-1' });
  const primary = network('prod', '10.40.0.0/16', ZONES.primary, primaryProvider);
  const standby = network('prod-dr', '10.41.0.0/16', ZONES.standby, standbyProvider);
  base = {
    environment: 'prod',
    primary: {
      region: 'eu-west-1',
      vpcId: primary.vpcId,
      vpcCidr: '10.40.0.0/16',
      privateRouteTableIds: primary.privateRouteTableIds,
    },
    standby: {
      region: 'eu-central-1',
      vpcId: standby.vpcId,
      vpcCidr: '10.41.0.0/16',
      privateRouteTableIds: standby.privateRouteTableIds,
    },
    standbyProvider,
    tags: { environment: 'prod' },
  };
  new RegionPeering('prod-peering', base, { providers: [primaryProvider] });
  await settle();
}, 30_000);

const mine = () => recorded.filter((r) => r.name.startsWith('prod-peering'));
const one = (type: string): Recorded => {
  const found = mine().filter((r) => r.type === type);
  expect(found).toHaveLength(1);
  return found[0] as Recorded;
};

describe('RegionPeering (prod eu-west-1 -> standby eu-central-1)', () => {
  it('renders exactly the peering, its accepter, the DNS option and six routes', () => {
    expect(
      mine()
        .map((r) => `${r.type} ${r.name}`)
        .sort(),
    ).toEqual(
      [
        'platform:eks:RegionPeering prod-peering',
        'aws:ec2/vpcPeeringConnection:VpcPeeringConnection prod-peering-requester',
        'aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter prod-peering-accepter',
        'aws:ec2/peeringConnectionOptions:PeeringConnectionOptions prod-peering-requester-options',
        ...[0, 1, 2].map((i) => `aws:ec2/route:Route prod-peering-primary-private-${i}`),
        ...[0, 1, 2].map((i) => `aws:ec2/route:Route prod-peering-standby-private-${i}`),
      ].sort(),
    );
  });

  it('requests from the primary VPC in the primary region, for the standby VPC in the standby region', () => {
    const c = one('aws:ec2/vpcPeeringConnection:VpcPeeringConnection');
    expect(c.inputs).toMatchObject({
      vpcId: 'prod-vpc-id',
      peerVpcId: 'prod-dr-vpc-id',
      peerRegion: 'eu-central-1',
      autoAccept: false,
    });
    expect(providerName(c)).toBe('prod-aws');
  });

  it('accepts in the standby region with autoAccept', () => {
    const a = one('aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter');
    expect(a.inputs).toMatchObject({ vpcPeeringConnectionId: 'prod-peering-requester-id', autoAccept: true });
    expect(providerName(a)).toBe('prod-standby-aws');
  });

  it('lets the standby resolve the primary’s names to private addresses, set by the requester', () => {
    const o = one('aws:ec2/peeringConnectionOptions:PeeringConnectionOptions');
    expect(o.inputs.requester).toEqual({ allowRemoteVpcDnsResolution: true });
    expect(o.inputs).not.toHaveProperty('accepter');
    expect(providerName(o)).toBe('prod-aws');
  });

  it('routes the other block through the peering in every private route table, both ways', () => {
    const routes = mine().filter((r) => r.type === 'aws:ec2/route:Route');
    const tables = (prefix: string) =>
      recorded
        .filter(
          (r) => r.type === 'aws:ec2/routeTable:RouteTable' && new RegExp(`^${prefix}-private-`).test(r.name),
        )
        .map((r) => `${r.name}-id`)
        .sort();
    const side = (s: string) => routes.filter((r) => r.name.includes(`-${s}-private-`));
    expect(
      side('primary')
        .map((r) => r.inputs.routeTableId)
        .sort(),
    ).toEqual(tables('prod'));
    expect(
      side('standby')
        .map((r) => r.inputs.routeTableId)
        .sort(),
    ).toEqual(tables('prod-dr'));
    expect(tables('prod')).toHaveLength(3);
    for (const r of side('primary')) {
      expect(r.inputs).toMatchObject({
        destinationCidrBlock: '10.41.0.0/16',
        vpcPeeringConnectionId: 'prod-peering-accepter-id',
      });
      expect(providerName(r)).toBe('prod-aws');
    }
    for (const r of side('standby')) {
      expect(r.inputs).toMatchObject({
        destinationCidrBlock: '10.40.0.0/16',
        vpcPeeringConnectionId: 'prod-peering-accepter-id',
      });
      expect(providerName(r)).toBe('prod-standby-aws');
    }
    // No public route table reaches the other region.
    const publicTables = recorded.filter(
      (r) => r.type === 'aws:ec2/routeTable:RouteTable' && r.name.endsWith('-public'),
    );
    expect(publicTables).toHaveLength(2);
    for (const t of publicTables)
      expect(routes.map((r) => r.inputs.routeTableId)).not.toContain(`${t.name}-id`);
  });

  it('opens no port: no security group or rule is created', () => {
    expect(mine().filter((r) => /securityGroup|networkAcl/i.test(r.type))).toEqual([]);
  });

  it('passes the plan’s AWS policy checks', () => {
    const resources = mine()
      .filter((r) => r.custom)
      .map((r) => ({ type: r.type, name: r.name, props: r.inputs }));
    expect(resources).toHaveLength(9);
    expect(checkCloudResources(resources, { environment: 'prod' })).toEqual([]);
  });
});

describe('RegionPeering refuses', () => {
  it('overlapping blocks, naming both', () => {
    expect(
      () =>
        new RegionPeering('bad-overlap', {
          ...base,
          standby: { ...base.standby, vpcCidr: '10.40.128.0/17' },
        }),
    ).toThrow(
      'bad-overlap: standby.vpcCidr 10.40.128.0/17 overlaps primary.vpcCidr 10.40.0.0/16; peered VPCs need distinct blocks',
    );
  });
  it('the same region on both sides', () => {
    expect(
      () => new RegionPeering('bad-region', { ...base, standby: { ...base.standby, region: 'eu-west-1' } }),
    ).toThrow('bad-region: standby.region must differ from primary.region (both are "eu-west-1")');
  });
  it('a side without private route tables', () => {
    expect(
      () =>
        new RegionPeering('bad-tables', { ...base, standby: { ...base.standby, privateRouteTableIds: [] } }),
    ).toThrow('bad-tables: standby.privateRouteTableIds is empty');
  });
});
