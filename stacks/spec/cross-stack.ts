import { overlaps, parseCidr } from '../../infra/lib';
import type { ConfigProblem } from './config-error';
import { CONFIG_NAMESPACE } from './config-namespace';

const P = `${CONFIG_NAMESPACE}:`;

/** One stack's `platform:` values as written (keys without the namespace, structured values decoded). */
export interface StackRawConfig {
  readonly stack: string;
  readonly raw: Readonly<Record<string, unknown>>;
}

type Dict = Record<string, unknown>;
const dict = (v: unknown): Dict =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Dict) : {};
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

const vpcOf = (raw: Readonly<Dict>) => (raw.tier === 'eks' ? text(dict(raw.cluster).vpcCidr) : undefined);
const bucketOf = (raw: Readonly<Dict>) => text(dict(dict(raw.backup).storage).bucket);

/**
 * Rules between environments, which no single stack file can check: EKS VPC blocks must not overlap (VPN
 * routes, peering and the DR standby need every environment addressable), and no two environments may
 * share a backup bucket (EKS creates it, and names are global; on prem, two replica sets' backups would mix).
 * Values the other stack gets wrong are its own problem and are skipped here.
 */
export function checkAcrossStacks(self: StackRawConfig, others: readonly StackRawConfig[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const vpcText = vpcOf(self.raw);
  const vpc = vpcText === undefined ? undefined : parseCidr(vpcText);
  const bucket = bucketOf(self.raw);
  for (const other of [...others].sort((a, b) => a.stack.localeCompare(b.stack))) {
    if (other.stack === self.stack) continue;
    const otherVpcText = vpcOf(other.raw);
    const otherVpc = otherVpcText === undefined ? undefined : parseCidr(otherVpcText);
    if (vpc && otherVpc && overlaps(vpc, otherVpc)) {
      problems.push({
        path: `${P}cluster.vpcCidr`,
        message: `${vpc.text} overlaps stack "${other.stack}"'s VPC ${otherVpc.text} (Pulumi.${other.stack}.yaml): every environment needs a block of its own`,
      });
    }
    if (bucket !== undefined && bucket === bucketOf(other.raw)) {
      problems.push({
        path: `${P}backup.storage.bucket`,
        message: `"${bucket}" is also stack "${other.stack}"'s backup bucket (Pulumi.${other.stack}.yaml): every environment needs its own`,
      });
    }
  }
  return problems;
}
