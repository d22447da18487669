/**
 * RegionPeering between the clusters the prod program really builds (stacks/cluster.ts and
 * stacks/standby-cluster.ts from Pulumi.prod.yaml), wired as the report's wiring says: the EksClusters'
 * vpcId, vpcCidr and private route tables reach the peering, each side in its own region.
 */
import { join } from 'node:path';
import { createCluster } from '../../../stacks/cluster';
import { parseEnvironment } from '../../../stacks/spec';
import { createStandbyCluster } from '../../../stacks/standby-cluster';
import { standbySpec } from '../../../stacks/standby-spec';
import { providerName, recordingMocks, type RecordedResource } from '../../../test/support/recording-mocks';
import { platformValues, readStackConfig } from '../../../tools/plan/stack-file';
import { RegionPeering } from './region-peering';

const { recorded, ready: mocksReady, settle } = recordingMocks();
type Recorded = RecordedResource;

const root = join(__dirname, '..', '..', '..');

beforeAll(async () => {
  await mocksReady;
  const spec = parseEnvironment('prod', platformValues(readStackConfig(root, 'prod')));
  const dr = spec.dr;
  const c = spec.cluster;
  const derived = standbySpec(spec);
  if (dr?.enabled !== true || c?.tier !== 'eks' || derived === undefined) {
    throw new Error('prod must have DR enabled on EKS for this test');
  }
  const primary = createCluster({ spec, secrets: {} });
  if (primary.eks === undefined || primary.drReplication === undefined)
    throw new Error('prod builds EKS with DR');
  const standby = createStandbyCluster(derived, primary.drReplication);
  if (standby.eks === undefined) throw new Error('the standby is EKS');
  const p = primary.eks;
  const s = standby.eks;
  new RegionPeering(
    'prod-peering',
    {
      environment: 'prod',
      primary: {
        region: dr.primaryRegion,
        vpcId: p.vpcId,
        vpcCidr: p.vpcCidr,
        privateRouteTableIds: p.privateRouteTableIds,
      },
      standby: {
        region: dr.standbyRegion,
        vpcId: s.vpcId,
        vpcCidr: s.vpcCidr,
        privateRouteTableIds: s.privateRouteTableIds,
      },
      standbyProvider: s.awsProvider,
      tags: {},
    },
    { parent: p, providers: [p.awsProvider] },
  );
  await settle();
}, 120_000);

describe('RegionPeering between the prod program’s two clusters', () => {
  const routes = () =>
    recorded.filter((r) => r.type === 'aws:ec2/route:Route' && r.name.startsWith('prod-peering-'));
  const privateTables = (cluster: string) =>
    recorded
      .filter(
        (r) => r.type === 'aws:ec2/routeTable:RouteTable' && r.name.startsWith(`${cluster}-network-private-`),
      )
      .map((r) => `${r.name}-id`)
      .sort();

  it('peers prod’s VPC (10.40.0.0/16, eu-west-1) with the standby’s (10.41.0.0/16, eu-central-1)', () => {
    const c = recorded.find((r) => r.type === 'aws:ec2/vpcPeeringConnection:VpcPeeringConnection');
    expect(c?.inputs).toMatchObject({
      vpcId: 'prod-cluster-network-vpc-id',
      peerVpcId: 'prod-standby-cluster-network-vpc-id',
      peerRegion: 'eu-central-1',
    });
    expect(providerName(c as Recorded)).toBe('prod-cluster-aws');
    const a = recorded.find(
      (r) => r.type === 'aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter',
    );
    expect(providerName(a as Recorded)).toBe('prod-standby-cluster-aws');
    const standbyProvider = recorded.find(
      (r) => r.type === 'pulumi:providers:aws' && r.name === 'prod-standby-cluster-aws',
    );
    expect(standbyProvider?.inputs.region).toBe('eu-central-1');
  });

  it('routes each block in every private route table of the other cluster', () => {
    const side = (s: string) => routes().filter((r) => r.name.includes(`-${s}-private-`));
    expect(privateTables('prod-cluster')).toHaveLength(3);
    expect(privateTables('prod-standby-cluster')).toHaveLength(3);
    expect(
      side('primary')
        .map((r) => r.inputs.routeTableId)
        .sort(),
    ).toEqual(privateTables('prod-cluster'));
    expect(
      side('standby')
        .map((r) => r.inputs.routeTableId)
        .sort(),
    ).toEqual(privateTables('prod-standby-cluster'));
    expect(new Set(side('primary').map((r) => r.inputs.destinationCidrBlock))).toEqual(
      new Set(['10.41.0.0/16']),
    );
    expect(new Set(side('standby').map((r) => r.inputs.destinationCidrBlock))).toEqual(
      new Set(['10.40.0.0/16']),
    );
    for (const r of side('primary')) expect(providerName(r)).toBe('prod-cluster-aws');
    for (const r of side('standby')) expect(providerName(r)).toBe('prod-standby-cluster-aws');
  });
});
