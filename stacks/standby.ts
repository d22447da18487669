import type * as pulumi from '@pulumi/pulumi';
import type { EksCluster } from '../infra/cluster';
import type { CreatedCluster } from './cluster';
import type { LoadedEnvironment } from './config';
import { buildEnvironment, type Environment } from './environment';
import type { DnsSpec } from './spec';
import { createStandbyCluster } from './standby-cluster';
import { standbySpec } from './standby-spec';

export interface Standby {
  readonly region: string;
  /** Physical name of the standby's EKS cluster (`platform-<env>-standby`). */
  readonly clusterName: pulumi.Output<string>;
  /** The standby's EKS component: its VPC, route tables and providers, for peering and the failover records. */
  readonly eks: EksCluster;
  readonly environment: Environment;
}

export interface StandbyOptions {
  /**
   * The seam for DNS failover: a zone here gives the standby its own ExternalDNS, like the primary's. Unset
   * (today) the standby publishes nothing; the failover records are declared beside both clusters.
   */
  readonly dns?: DnsSpec;
}

/**
 * The warm DR standby of an environment with `platform:dr.enabled`, in the same program as the primary (the
 * top level is fixed to one stack per environment, and one program lets the plan check both together): the
 * same composition (buildEnvironment) over the standby's cluster and derived spec. Undefined without DR.
 */
export function buildStandby(
  loaded: LoadedEnvironment,
  primary: CreatedCluster,
  options: StandbyOptions = {},
): Standby | undefined {
  const derived = standbySpec(loaded.spec);
  if (derived === undefined) return undefined;
  if (primary.drReplication === undefined) {
    throw new Error(
      `${loaded.spec.name}: platform:dr.enabled is true but the primary declared no DrReplication, which the standby restores from`,
    );
  }
  const spec = options.dns ? { ...derived, dns: options.dns } : derived;
  const created = createStandbyCluster(spec, primary.drReplication);
  const environment = buildEnvironment({ ...loaded, spec }, { created, identity: loaded.spec.name });
  if (created.eks === undefined) throw new Error(`${spec.name}: the standby cluster is not an EKS cluster`);
  return {
    region: loaded.spec.dr?.standbyRegion ?? '',
    clusterName: created.eks.clusterName,
    eks: created.eks,
    environment,
  };
}
