import { contains, overlaps, parseCidr, type Cidr } from '../../lib';
/** The three managed node groups every EKS environment gets. */
export const NODE_GROUP_NAMES = ['system', 'workloads', 'data'] as const;
export type NodeGroupName = (typeof NODE_GROUP_NAMES)[number];

export interface EksNodeGroupSpec {
  /** EC2 instance types, all of one CPU architecture (x86_64 or Graviton). */
  readonly instanceTypes: readonly string[];
  readonly minSize: number;
  /** Initial size; the Cluster Autoscaler owns it afterwards. */
  readonly desiredSize: number;
  readonly maxSize: number;
  readonly diskSizeGiB: number;
}

export interface ImageRetention {
  /** Untagged images (left behind by re-pushes and multi-arch builds) expire after this many days. */
  readonly untaggedDays: number;
  /** Only the newest this-many tagged images are kept. */
  readonly taggedImages: number;
}

/** Resolved values for one EKS environment: the config layer applies defaults; this component checks invariants. */
export interface EksClusterArgs {
  /** Environment name, e.g. "uat"; names the cluster `platform-<environment>`. */
  readonly environment: string;
  readonly region: string;
  /** At least three zones of `region`; one public and one private subnet in each. */
  readonly availabilityZones: readonly string[];
  readonly vpcCidr: string;
  /** One per zone, in zone order. */
  readonly publicSubnetCidrs: readonly string[];
  /** One per zone, in zone order. Nodes and pods live here. */
  readonly privateSubnetCidrs: readonly string[];
  /** One NAT gateway for the VPC (cheaper), or one per zone (survives the loss of a zone). */
  readonly natGateways: 'one' | 'perZone';
  /** Kubernetes service CIDR; must not overlap the VPC. @default EKS picks 10.100.0.0/16 or 172.20.0.0/16 */
  readonly serviceCidr?: string;
  /** Kubernetes minor version, e.g. "1.33". */
  readonly kubernetesVersion: string;
  /** IAM role or user ARNs that get cluster-admin through EKS access entries. */
  readonly admins: readonly string[];
  /** CIDRs that may reach the public API endpoint; empty disables it (the private endpoint is always on). */
  readonly publicAccessCidrs: readonly string[];
  readonly amiType: 'AL2023' | 'Bottlerocket';
  readonly nodeGroups: Readonly<Record<NodeGroupName, EksNodeGroupSpec>>;
  /** Services that get an ECR repository `platform/<service>`. */
  readonly services: readonly string[];
  /** @default 14 days for untagged images, the newest 100 tagged images */
  readonly imageRetention?: ImageRetention;
  /** Secrets Manager path External Secrets may read, e.g. "platform/uat/". */
  readonly secretsManagerPrefix: string;
  /** Applied to every AWS resource that takes tags. */
  readonly tags: Readonly<Record<string, string>>;
  /** @default 90 */
  readonly controlPlaneLogRetentionDays?: number;
  /** ExternalDNS publishes the gateway's hostnames into this Route 53 zone; without it, none is installed. */
  readonly dns?: ExternalDnsZone;
}

export interface ExternalDnsZone {
  /** Route 53 hosted zone id, e.g. "Z0123456789ABC". */
  readonly hostedZoneId: string;
  /** Records are managed under this DNS name only (the zone's domain or a subdomain of it). */
  readonly domain: string;
  /** Namespace of the Gateway whose routes are published. */
  readonly gatewayNamespace: string;
}

export const DEFAULT_IMAGE_RETENTION: ImageRetention = { untaggedDays: 14, taggedImages: 100 };
export const DEFAULT_LOG_RETENTION_DAYS = 90;
/** Retention values CloudWatch Logs accepts. */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** Short: it ends up in IAM role names (64 characters at most) such as platform-<env>-load-balancer-controller. */
const ENVIRONMENT = /^[a-z][a-z0-9-]{0,19}$/;
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const KUBERNETES_MINOR = /^1\.\d{2}$/;
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/;
/** ECR repository path segment (lowercase, separators inside only). */
const SERVICE_NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
/** Secrets Manager names: letters, digits and /_+=.@-; the prefix must end at a path boundary. */
const SECRET_PREFIX = /^[\w+=.@-]+(\/[\w+=.@-]+)*\/$/;
const INSTANCE_TYPE = /^([a-z]+)(\d+)([a-z0-9-]*)\.([a-z0-9]+)$/;
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{5,32}$/;
const DNS_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/;
const DNS_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** CPU architecture of an EC2 instance type: a "g" after the generation marks Graviton (m7g, c7gn, r8gd). */
export function architectureOf(instanceType: string): 'x86_64' | 'arm64' | undefined {
  const m = INSTANCE_TYPE.exec(instanceType);
  if (!m) return undefined;
  const [, family = '', , suffix = ''] = m;
  return family === 'a' || suffix.includes('g') ? 'arm64' : 'x86_64';
}

function duplicates(values: readonly string[]): string[] {
  return [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];
}

/** Every broken invariant of the args, each naming the key path, the bad value and what is allowed. */
export function eksClusterArgsProblems(args: EksClusterArgs): string[] {
  const problems: string[] = [];
  const p = (path: string, message: string) => problems.push(`eks.${path} ${message}`);

  if (!ENVIRONMENT.test(args.environment))
    p('environment', `must be a lowercase name of at most 20 characters (got "${args.environment}")`);
  if (!REGION.test(args.region))
    p('region', `must be an AWS region such as "eu-west-1" (got "${args.region}")`);

  const zones = args.availabilityZones;
  if (zones.length < 3) p('availabilityZones', `must list at least 3 zones (got ${zones.length})`);
  for (const dup of duplicates(zones)) p('availabilityZones', `lists "${dup}" more than once`);
  for (const zone of zones) {
    if (!(zone.startsWith(args.region) && /^[a-z]$/.test(zone.slice(args.region.length))))
      p('availabilityZones', `must be zones of ${args.region} such as "${args.region}a" (got "${zone}")`);
  }

  const vpc = parseCidr(args.vpcCidr);
  if (!vpc) p('vpcCidr', `must be an IPv4 CIDR such as "10.20.0.0/16" (got "${args.vpcCidr}")`);
  const subnets: { path: string; cidr: string; range: Cidr }[] = [];
  for (const key of ['publicSubnetCidrs', 'privateSubnetCidrs'] as const) {
    const cidrs = args[key];
    if (cidrs.length !== zones.length)
      p(key, `must list one CIDR per zone (${zones.length} zones, got ${cidrs.length})`);
    cidrs.forEach((cidr, i) => {
      const range = parseCidr(cidr);
      if (!range) p(`${key}[${i}]`, `must be an IPv4 CIDR (got "${cidr}")`);
      else if (vpc && !contains(vpc, range))
        p(`${key}[${i}]`, `(${cidr}) must lie inside vpcCidr ${args.vpcCidr}`);
      else subnets.push({ path: `${key}[${i}]`, cidr, range });
    });
  }
  subnets.forEach((a, i) =>
    subnets.slice(i + 1).forEach((b) => {
      if (overlaps(a.range, b.range)) p(a.path, `(${a.cidr}) overlaps ${b.path} (${b.cidr})`);
    }),
  );
  if (args.serviceCidr !== undefined) {
    const service = parseCidr(args.serviceCidr);
    if (!service) p('serviceCidr', `must be an IPv4 CIDR (got "${args.serviceCidr}")`);
    else if (vpc && overlaps(vpc, service))
      p('serviceCidr', `(${args.serviceCidr}) must not overlap vpcCidr ${args.vpcCidr}`);
  }

  if (!KUBERNETES_MINOR.test(args.kubernetesVersion))
    p(
      'kubernetesVersion',
      `must be a Kubernetes minor version such as "1.33" (got "${args.kubernetesVersion}")`,
    );

  args.admins.forEach((arn, i) => {
    if (!PRINCIPAL_ARN.test(arn)) p(`admins[${i}]`, `must be an IAM role or user ARN (got "${arn}")`);
  });
  for (const dup of duplicates(args.admins)) p('admins', `lists "${dup}" more than once`);
  args.publicAccessCidrs.forEach((cidr, i) => {
    if (!parseCidr(cidr)) p(`publicAccessCidrs[${i}]`, `must be an IPv4 CIDR (got "${cidr}")`);
  });

  for (const group of NODE_GROUP_NAMES) {
    const g = args.nodeGroups[group];
    const path = `nodeGroups.${group}`;
    if (g.instanceTypes.length === 0) p(`${path}.instanceTypes`, 'must list at least one instance type');
    const arches = new Set<string>();
    for (const type of g.instanceTypes) {
      const arch = architectureOf(type);
      if (arch === undefined)
        p(`${path}.instanceTypes`, `must be EC2 instance types such as "m7i.large" (got "${type}")`);
      else arches.add(arch);
    }
    if (arches.size > 1)
      p(`${path}.instanceTypes`, `must all share one CPU architecture (got ${g.instanceTypes.join(', ')})`);
    const sizes = [g.minSize, g.desiredSize, g.maxSize, g.diskSizeGiB];
    if (!sizes.every(Number.isInteger)) p(path, 'sizes must be whole numbers');
    if (!(g.minSize >= 0 && g.minSize <= g.desiredSize && g.desiredSize <= g.maxSize && g.maxSize >= 1))
      p(
        path,
        `must satisfy 0 <= minSize <= desiredSize <= maxSize, maxSize >= 1 (got ${g.minSize}/${g.desiredSize}/${g.maxSize})`,
      );
    if (g.diskSizeGiB < 20) p(`${path}.diskSizeGiB`, `must be at least 20 (got ${g.diskSizeGiB})`);
  }
  // The cluster's own controllers (CoreDNS, autoscaler, load balancer controller) run on the system group.
  if (args.nodeGroups.system.minSize < 1)
    p(
      'nodeGroups.system.minSize',
      `must be at least 1: the cluster's controllers run there (got ${args.nodeGroups.system.minSize})`,
    );

  args.services.forEach((service, i) => {
    if (!SERVICE_NAME.test(service))
      p(`services[${i}]`, `must be a lowercase repository name (got "${service}")`);
  });
  for (const dup of duplicates(args.services)) p('services', `lists "${dup}" more than once`);

  const retention = args.imageRetention;
  if (retention && !(Number.isInteger(retention.untaggedDays) && retention.untaggedDays >= 1))
    p('imageRetention.untaggedDays', `must be a whole number >= 1 (got ${retention.untaggedDays})`);
  if (retention && !(Number.isInteger(retention.taggedImages) && retention.taggedImages >= 1))
    p('imageRetention.taggedImages', `must be a whole number >= 1 (got ${retention.taggedImages})`);
  const logDays = args.controlPlaneLogRetentionDays;
  if (logDays !== undefined && !LOG_RETENTION_DAYS.includes(logDays))
    p('controlPlaneLogRetentionDays', `must be one of ${LOG_RETENTION_DAYS.join(', ')} (got ${logDays})`);

  // A prefix that does not end at "/" would also match siblings: "platform/uat" covers "platform/uat-old/".
  if (!SECRET_PREFIX.test(args.secretsManagerPrefix))
    p(
      'secretsManagerPrefix',
      `must be a Secrets Manager path ending in "/" without wildcards, such as "platform/uat/" (got "${args.secretsManagerPrefix}")`,
    );

  if (args.dns !== undefined) {
    const { hostedZoneId, domain, gatewayNamespace } = args.dns;
    if (!HOSTED_ZONE_ID.test(hostedZoneId))
      p(
        'dns.hostedZoneId',
        `must be a Route 53 hosted zone id such as "Z0123456789ABC" (got "${hostedZoneId}")`,
      );
    if (!DNS_NAME.test(domain))
      p('dns.domain', `must be a DNS name such as "uat.example.com", without "*." (got "${domain}")`);
    if (!DNS_LABEL.test(gatewayNamespace))
      p('dns.gatewayNamespace', `must be a namespace name (got "${gatewayNamespace}")`);
  }

  for (const [key, value] of Object.entries(args.tags)) {
    if (key === '' || key.startsWith('aws:'))
      p('tags', `keys must be non-empty and not start with "aws:" (got "${key}")`);
    if (value.length > 256) p(`tags.${key}`, 'must be at most 256 characters');
  }
  return problems;
}

/** Throws one error that lists every problem, so a bad environment is fixed in one round. */
export function assertValidEksClusterArgs(name: string, args: EksClusterArgs): void {
  const problems = eksClusterArgsProblems(args);
  if (problems.length > 0) {
    throw new Error(`${name}: invalid EKS cluster args:\n${problems.map((m) => `  - ${m}`).join('\n')}`);
  }
}
