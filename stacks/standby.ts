import type * as pulumi from '@pulumi/pulumi';
import type { EksCluster } from '../infra/cluster';
import type { CreatedCluster } from './cluster';
import type { LoadedEnvironment } from './config';
import { buildEnvironment, type Environment } from './environment';
import type { EnvironmentSpec } from './spec';
import { createStandbyCluster } from './standby-cluster';
import { standbySpec } from './standby-spec';

/** The standby's cluster and derived spec: the first step, before the cross-region links and workloads. */
export interface StandbySite {
  readonly region: string;
  readonly spec: EnvironmentSpec;
  readonly created: CreatedCluster;
  /** The standby's EKS component: its VPC, route tables and providers, for peering and the failover records. */
  readonly eks: EksCluster;
}

export interface Standby {
  readonly region: string;
  /** Physical name of the standby's EKS cluster (`platform-<env>-standby`). */
  readonly clusterName: pulumi.Output<string>;
  readonly eks: EksCluster;
  readonly environment: Environment;
}

/**
 * The warm DR standby's cluster for an environment with `platform:dr.enabled`, in the same program as the
 * primary (the top level is fixed to one stack per environment, and one program lets the plan check both
 * together). With a DNS zone on the primary, the standby gets its own ExternalDNS for the same zone, which
 * publishes the SECONDARY failover records. Undefined without DR.
 */
export function createStandby(loaded: LoadedEnvironment, primary: CreatedCluster): StandbySite | undefined {
  const derived = standbySpec(loaded.spec);
  if (derived === undefined) return undefined;
  if (primary.drReplication === undefined) {
    throw new Error(
      `${loaded.spec.name}: platform:dr.enabled is true but the primary declared no DrReplication, which the standby restores from`,
    );
  }
  const spec = loaded.spec.dns ? { ...derived, dns: loaded.spec.dns } : derived;
  const created = createStandbyCluster(spec, primary.drReplication);
  if (created.eks === undefined) throw new Error(`${spec.name}: the standby cluster is not an EKS cluster`);
  return { region: loaded.spec.dr?.standbyRegion ?? '', spec, created, eks: created.eks };
}

/**
 * The standby's workloads: the same composition (buildEnvironment) over its cluster and derived spec, seen
 * as the primary's environment, with the SECONDARY failover annotations on its routes.
 */
export function buildStandby(
  loaded: LoadedEnvironment,
  site: StandbySite,
  routeAnnotations?: Readonly<Record<string, pulumi.Input<string>>>,
): Standby {
  const environment = buildEnvironment(
    { ...loaded, spec: site.spec },
    {
      created: site.created,
      identity: loaded.spec.name,
      ...(routeAnnotations && { routeAnnotations }),
    },
  );
  return { region: site.region, clusterName: site.eks.clusterName, eks: site.eks, environment };
}
