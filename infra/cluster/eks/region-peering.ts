import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { overlaps, parseCidr } from '../../lib';

/** One side of the peering: a cluster's VPC and the route tables of its private subnets. */
export interface PeeredVpc {
  readonly region: string;
  readonly vpcId: pulumi.Input<string>;
  readonly vpcCidr: string;
  /** Every private route table (one per zone): nodes and pods live behind them. */
  readonly privateRouteTableIds: readonly pulumi.Input<string>[];
}

export interface RegionPeeringArgs {
  readonly environment: string;
  /** The requester: its resources use the parent's AWS provider (the primary region's). */
  readonly primary: PeeredVpc;
  /** The accepter: its resources use `standbyProvider`. */
  readonly standby: PeeredVpc;
  /** An AWS provider pinned to the standby region (DrReplication's `standbyProvider`, or the standby cluster's). */
  readonly standbyProvider: aws.Provider;
  readonly tags: Readonly<Record<string, string>>;
}

/** Why the VPCs are peered, and the one flow the peering is for (README, "Disaster recovery"). */
export const PEERING_PURPOSE = 'MirrorMaker2 (standby) reads the primary Kafka over TLS';

function checkPeering(name: string, args: RegionPeeringArgs): void {
  if (args.primary.region === args.standby.region) {
    throw new Error(
      `${name}: standby.region must differ from primary.region (both are "${args.primary.region}"); the peering is cross-region`,
    );
  }
  const a = parseCidr(args.primary.vpcCidr);
  const b = parseCidr(args.standby.vpcCidr);
  if (!a || !b) {
    throw new Error(
      `${name}: vpcCidr must be IPv4 CIDR blocks (got primary "${args.primary.vpcCidr}", standby "${args.standby.vpcCidr}")`,
    );
  }
  if (overlaps(a, b)) {
    throw new Error(
      `${name}: standby.vpcCidr ${args.standby.vpcCidr} overlaps primary.vpcCidr ${args.primary.vpcCidr}; peered VPCs need distinct blocks`,
    );
  }
  for (const side of ['primary', 'standby'] as const) {
    if (args[side].privateRouteTableIds.length === 0) {
      throw new Error(
        `${name}: ${side}.privateRouteTableIds is empty; the nodes' route tables need the peer's route`,
      );
    }
  }
}

/**
 * The primary and standby VPCs peered across regions: the primary requests, the standby accepts (an
 * accepter in its own region, since cross-region peering cannot be auto-accepted by the requester), each
 * side's private route tables route the other VPC's block through the peering, and the primary lets the
 * standby resolve its public DNS names (the internal NLB's, AWS instance names) to private addresses.
 *
 * The peering opens routes, not ports: no security group here admits the peer. What may cross is decided
 * where the listener is: the primary Kafka's MirrorMaker listener is an internal NLB (IP targets) whose
 * Service sets `loadBalancerSourceRanges` to the standby CIDR only, and the AWS Load Balancer Controller
 * turns that into the one inbound rule (the listener port from the standby block) on the targets' security
 * group. Public subnets get no route: nothing public is reachable from the other region.
 */
export class RegionPeering extends pulumi.ComponentResource {
  readonly connection: aws.ec2.VpcPeeringConnection;
  readonly accepter: aws.ec2.VpcPeeringConnectionAccepter;
  readonly id: pulumi.Output<string>;
  /** The routes of both sides: what traffic over the peering waits for. */
  readonly routes: aws.ec2.Route[];

  constructor(name: string, args: RegionPeeringArgs, opts?: pulumi.ComponentResourceOptions) {
    checkPeering(name, args);
    super('platform:eks:RegionPeering', name, {}, opts);
    const tags = (side: string) => ({
      ...args.tags,
      Name: `platform-${args.environment}-${side}-peering`,
      purpose: PEERING_PURPOSE,
    });
    const inPrimary = { parent: this };
    const inStandby = { parent: this, provider: args.standbyProvider };

    this.connection = new aws.ec2.VpcPeeringConnection(
      `${name}-requester`,
      {
        vpcId: args.primary.vpcId,
        peerVpcId: args.standby.vpcId,
        peerRegion: args.standby.region,
        // Cross-region: only the accepter's side can accept (below).
        autoAccept: false,
        tags: tags('primary'),
      },
      inPrimary,
    );
    this.accepter = new aws.ec2.VpcPeeringConnectionAccepter(
      `${name}-accepter`,
      { vpcPeeringConnectionId: this.connection.id, autoAccept: true, tags: tags('standby') },
      inStandby,
    );
    // Options can only be set on an active connection, each side by its own region.
    new aws.ec2.PeeringConnectionOptions(
      `${name}-requester-options`,
      {
        vpcPeeringConnectionId: this.accepter.id,
        requester: { allowRemoteVpcDnsResolution: true },
      },
      { ...inPrimary, dependsOn: [this.accepter] },
    );

    const routesOf = (
      side: 'primary' | 'standby',
      destination: string,
      options: pulumi.CustomResourceOptions,
    ) =>
      args[side].privateRouteTableIds.map(
        (routeTableId, i) =>
          new aws.ec2.Route(
            `${name}-${side}-private-${i}`,
            {
              routeTableId,
              destinationCidrBlock: destination,
              vpcPeeringConnectionId: this.accepter.id,
            },
            { ...options, dependsOn: [this.accepter] },
          ),
      );
    this.routes = [
      ...routesOf('primary', args.standby.vpcCidr, inPrimary),
      ...routesOf('standby', args.primary.vpcCidr, inStandby),
    ];
    this.id = this.connection.id;
    this.registerOutputs({ id: this.id });
  }
}
