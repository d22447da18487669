import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

export interface EksNetworkArgs {
  /** Physical name of the cluster that uses the subnets (for the subnet discovery tags). */
  readonly clusterName: string;
  readonly vpcCidr: string;
  readonly availabilityZones: readonly string[];
  readonly publicSubnetCidrs: readonly string[];
  readonly privateSubnetCidrs: readonly string[];
  readonly natGateways: 'one' | 'perZone';
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * The cluster's VPC: per zone one public subnet (load balancers, NAT) and one private subnet (nodes and
 * pods), an internet gateway, and NAT gateways, one for the VPC or one per zone. Each private subnet has
 * its own route table, so switching between one and per-zone NAT only changes routes.
 */
export class EksNetwork extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  readonly publicSubnetIds: pulumi.Output<string>[];
  readonly privateSubnetIds: pulumi.Output<string>[];
  /** One per zone: region peering (RegionPeering) adds its routes to the other VPC here. */
  readonly privateRouteTableIds: pulumi.Output<string>[];
  /** Routes to the internet; nodes need them to pull images and reach AWS APIs. */
  readonly ready: pulumi.Resource[];

  constructor(name: string, args: EksNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:eks:Network', name, {}, opts);
    const tagged = (suffix: string, extra: Record<string, string> = {}) => ({
      ...args.tags,
      ...extra,
      Name: `${name}-${suffix}`,
    });
    const zones = args.availabilityZones;
    const cidrAt = (cidrs: readonly string[], i: number) => {
      const cidr = cidrs[i];
      if (cidr === undefined) throw new Error(`${name}: no subnet CIDR for zone ${zones[i]}`);
      return cidr;
    };
    // The AWS Load Balancer Controller finds subnets by these tags: public for internet-facing, private for internal.
    const clusterTag = { [`kubernetes.io/cluster/${args.clusterName}`]: 'shared' };

    const vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: args.vpcCidr,
        // EKS private endpoint and IRSA need VPC DNS.
        enableDnsSupport: true,
        enableDnsHostnames: true,
        tags: tagged('vpc'),
      },
      { parent: this },
    );
    const igw = new aws.ec2.InternetGateway(
      `${name}-igw`,
      { vpcId: vpc.id, tags: tagged('igw') },
      { parent: this },
    );
    const publicRoutes = new aws.ec2.RouteTable(
      `${name}-public`,
      { vpcId: vpc.id, tags: tagged('public') },
      { parent: this },
    );
    const internetRoute = new aws.ec2.Route(
      `${name}-public-internet`,
      { routeTableId: publicRoutes.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.id },
      { parent: this },
    );

    const publicSubnets = zones.map((zone, i) => {
      const subnet = new aws.ec2.Subnet(
        `${name}-public-${zone}`,
        {
          vpcId: vpc.id,
          availabilityZone: zone,
          cidrBlock: cidrAt(args.publicSubnetCidrs, i),
          // Only load balancers and NAT gateways live here, and they bring their own addresses.
          mapPublicIpOnLaunch: false,
          tags: tagged(`public-${zone}`, { ...clusterTag, 'kubernetes.io/role/elb': '1' }),
        },
        { parent: this },
      );
      new aws.ec2.RouteTableAssociation(
        `${name}-public-${zone}`,
        { subnetId: subnet.id, routeTableId: publicRoutes.id },
        { parent: this },
      );
      return subnet;
    });

    const natZones = args.natGateways === 'perZone' ? zones : zones.slice(0, 1);
    const nats = natZones.map((zone, i) => {
      const eip = new aws.ec2.Eip(
        `${name}-nat-${zone}`,
        { domain: 'vpc', tags: tagged(`nat-${zone}`) },
        { parent: this },
      );
      const subnet = publicSubnets[i];
      if (!subnet) throw new Error(`${name}: no public subnet in ${zone}`);
      return new aws.ec2.NatGateway(
        `${name}-nat-${zone}`,
        {
          allocationId: eip.id,
          subnetId: subnet.id,
          connectivityType: 'public',
          tags: tagged(`nat-${zone}`),
        },
        // The NAT gateway needs the internet gateway attached before it can route.
        { parent: this, dependsOn: [igw] },
      );
    });

    const privateRoutes: aws.ec2.Route[] = [];
    const privateTables: aws.ec2.RouteTable[] = [];
    const privateSubnets = zones.map((zone, i) => {
      const subnet = new aws.ec2.Subnet(
        `${name}-private-${zone}`,
        {
          vpcId: vpc.id,
          availabilityZone: zone,
          cidrBlock: cidrAt(args.privateSubnetCidrs, i),
          mapPublicIpOnLaunch: false,
          tags: tagged(`private-${zone}`, { ...clusterTag, 'kubernetes.io/role/internal-elb': '1' }),
        },
        { parent: this },
      );
      const table = new aws.ec2.RouteTable(
        `${name}-private-${zone}`,
        { vpcId: vpc.id, tags: tagged(`private-${zone}`) },
        { parent: this },
      );
      privateTables.push(table);
      new aws.ec2.RouteTableAssociation(
        `${name}-private-${zone}`,
        { subnetId: subnet.id, routeTableId: table.id },
        { parent: this },
      );
      // Per-zone NAT keeps a zone's egress inside the zone (no cross-zone charges, no shared failure).
      const nat = args.natGateways === 'perZone' ? nats[i] : nats[0];
      if (!nat) throw new Error(`${name}: no NAT gateway for ${zone}`);
      privateRoutes.push(
        new aws.ec2.Route(
          `${name}-private-${zone}-egress`,
          { routeTableId: table.id, destinationCidrBlock: '0.0.0.0/0', natGatewayId: nat.id },
          { parent: this },
        ),
      );
      return subnet;
    });

    this.vpcId = vpc.id;
    this.publicSubnetIds = publicSubnets.map((s) => s.id);
    this.privateSubnetIds = privateSubnets.map((s) => s.id);
    this.privateRouteTableIds = privateTables.map((t) => t.id);
    this.ready = [internetRoute, ...privateRoutes];
    this.registerOutputs({
      vpcId: this.vpcId,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
      privateRouteTableIds: this.privateRouteTableIds,
    });
  }
}
