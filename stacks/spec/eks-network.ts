import { contains, overlaps, parseCidr, subnet } from '../../infra/lib';
import { show, type ConfigProblem } from './config-error';

/** Zones, subnets and the service CIDR: three distinct zones, subnets inside the VPC, nothing overlapping. */
export function checkNetwork(
  path: string,
  region: string,
  zones: readonly string[],
  c: { vpcCidr?: string; publicSubnetCidrs?: string[]; privateSubnetCidrs?: string[]; serviceCidr?: string },
  defaultServiceCidr: string,
  problems: ConfigProblem[],
): { publicSubnetCidrs: string[]; privateSubnetCidrs: string[]; serviceCidr: string } | undefined {
  const before = problems.length;
  const distinct = new Set(zones);
  if (distinct.size < 3) {
    problems.push({
      path: `${path}.availabilityZones`,
      message: `must list at least 3 distinct zones for a multi-AZ cluster (got ${distinct.size}: ${show(zones)})`,
    });
  }
  for (const zone of zones) {
    if (!zone.startsWith(region)) {
      problems.push({
        path: `${path}.availabilityZones`,
        message: `zone "${zone}" is not in region "${region}"`,
      });
    }
  }
  const vpc = parseCidr(c.vpcCidr ?? '');
  if (!vpc || vpc.prefix < 16 || vpc.prefix > 20) {
    problems.push({
      path: `${path}.vpcCidr`,
      message: `must be a valid IPv4 block from /16 to /20 with no host bits set (got ${show(c.vpcCidr)})`,
    });
    return undefined;
  }
  // Default layout: the VPC split in 16; private subnets take blocks 0-2, public ones 8-10.
  const publicSubnetCidrs = c.publicSubnetCidrs ?? zones.map((_, i) => subnet(vpc, vpc.prefix + 4, 8 + i));
  const privateSubnetCidrs = c.privateSubnetCidrs ?? zones.map((_, i) => subnet(vpc, vpc.prefix + 4, i));
  const serviceCidr = c.serviceCidr ?? defaultServiceCidr;
  const blocks: [string, string][] = [
    ...publicSubnetCidrs.map((s, i): [string, string] => [`${path}.publicSubnetCidrs[${i}]`, s]),
    ...privateSubnetCidrs.map((s, i): [string, string] => [`${path}.privateSubnetCidrs[${i}]`, s]),
  ];
  for (const [key, list] of [
    ['publicSubnetCidrs', publicSubnetCidrs],
    ['privateSubnetCidrs', privateSubnetCidrs],
  ] as const) {
    if (list.length !== zones.length) {
      problems.push({
        path: `${path}.${key}`,
        message: `needs one subnet per availability zone (${zones.length}), got ${list.length}`,
      });
    }
  }
  const parsed = blocks.map(([key, text]) => [key, text, parseCidr(text)] as const);
  for (const [key, text, block] of parsed) {
    if (!block)
      problems.push({
        path: key,
        message: `must be a valid IPv4 CIDR with no host bits set (got ${show(text)})`,
      });
    else if (!contains(vpc, block))
      problems.push({ path: key, message: `${text} is outside the VPC ${vpc.text}` });
  }
  for (let i = 0; i < parsed.length; i++) {
    for (let j = i + 1; j < parsed.length; j++) {
      const [ka, ta, a] = parsed[i] ?? [];
      const [kb, tb, b] = parsed[j] ?? [];
      if (a && b && overlaps(a, b))
        problems.push({ path: kb ?? path, message: `${tb} overlaps ${ka} (${ta})` });
    }
  }
  const service = parseCidr(serviceCidr);
  if (!service) {
    problems.push({
      path: `${path}.serviceCidr`,
      message: `must be a valid IPv4 CIDR (got ${show(serviceCidr)})`,
    });
  } else if (overlaps(service, vpc)) {
    problems.push({
      path: `${path}.serviceCidr`,
      message: `${serviceCidr} overlaps the VPC ${vpc.text}: Service IPs would shadow node and pod addresses`,
    });
  }
  if (problems.length > before) return undefined;
  return { publicSubnetCidrs, privateSubnetCidrs, serviceCidr };
}
