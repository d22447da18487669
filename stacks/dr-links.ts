import * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';
import { awsPartition, DnsFailover, RegionPeering, type DrRole, type EksCluster } from '../infra/cluster';
import { awsTags } from './cluster';
import type { EnvironmentSpec } from './spec';

/** What ties the primary and the standby together: the VPC peering, and the DNS failover where a zone is set. */
export interface DrLinks {
  readonly peering: RegionPeering;
  readonly failover?: DnsFailover;
  /** The ExternalDNS failover annotations for each region's HTTPRoutes (absent without `platform:dns`). */
  readonly routeAnnotations?: Readonly<Record<DrRole, Record<string, pulumi.Input<string>>>>;
}

/**
 * The cross-region parts of DR (README, "Disaster recovery"), declared once both clusters exist and before
 * their workloads, whose routes carry the failover annotations:
 * - RegionPeering: routes between the two VPCs, for MirrorMaker2 in the standby reading prod's Kafka;
 * - DnsFailover: the failover gate switched by `platform:dr.failover.serve`, each gateway's health check
 *   alarming to the DR topic, the standby VPC associated with a private zone.
 */
export function linkRegions(spec: EnvironmentSpec, primary: EksCluster, standby: EksCluster): DrLinks {
  const dr = spec.dr;
  if (dr?.enabled !== true) throw new Error(`${spec.name}: linkRegions needs platform:dr.enabled`);
  const name = `${spec.name}-dr`;
  const tags = awsTags(spec);
  const peering = new RegionPeering(
    `${name}-peering`,
    {
      environment: spec.name,
      primary: {
        region: dr.primaryRegion,
        vpcId: primary.vpcId,
        vpcCidr: primary.vpcCidr,
        privateRouteTableIds: primary.privateRouteTableIds,
      },
      standby: {
        region: dr.standbyRegion,
        vpcId: standby.vpcId,
        vpcCidr: standby.vpcCidr,
        privateRouteTableIds: standby.privateRouteTableIds,
      },
      standbyProvider: standby.awsProvider,
      tags,
    },
    { parent: primary, providers: [primary.awsProvider] },
  );
  if (spec.dns === undefined) return { peering };
  const hosts = dr.failover.gatewayHosts;
  if (hosts === undefined) {
    // The spec refuses an enabled DR section without them; this guards other callers.
    throw new Error(`${spec.name}: platform:dr.failover.gatewayHosts is required for the DNS failover`);
  }
  const accountId = aws.getCallerIdentityOutput({}, { provider: primary.awsProvider }).accountId;
  const failover = new DnsFailover(
    `${name}-failover`,
    {
      environment: spec.name,
      partition: awsPartition(dr.primaryRegion).partition,
      accountId,
      zone: { hostedZoneId: spec.dns.hostedZoneId, domain: spec.dns.domain, private: spec.dns.private },
      serve: dr.failover.serve,
      ttlSeconds: dr.failover.dnsTtlSeconds,
      gateways: {
        primary: { region: dr.primaryRegion, fqdn: hosts.primary },
        standby: { region: dr.standbyRegion, fqdn: hosts.standby },
      },
      standbyVpc: { region: dr.standbyRegion, vpcId: standby.vpcId },
      subscriptions: dr.alarms.subscriptions,
      tags,
    },
    { parent: primary },
  );
  return { peering, failover, routeAnnotations: failover.routeAnnotations };
}
