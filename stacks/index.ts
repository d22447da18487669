// Pulumi entry point (Pulumi.yaml `main: stacks/`): validate the stack's config, then compose.
import { createCluster } from './cluster';
import { loadEnvironment } from './config';
import { linkRegions } from './dr-links';
import { buildEnvironment } from './environment';
import { mirrorKafka, mirrorMakerAlerts } from './kafka-mirror';
import { buildStandby, createStandby } from './standby';
import { primaryServingSpec } from './standby-spec';

const loaded = loadEnvironment();
const primary = createCluster(loaded);
// DR (prod): the warm standby's cluster in the standby region, from the same components, then what links the
// two regions (peering, DNS failover), then each side's workloads, then Kafka MirrorMaker 2 between their
// Kafka clusters (README, "Disaster recovery").
const standbySite = createStandby(loaded, primary);
const links = standbySite && primary.eks && linkRegions(loaded.spec, primary.eks, standbySite.eks);
// While the standby serves (a failover), the primary's services are passive (stacks/standby-spec.ts).
const environment = buildEnvironment(
  { ...loaded, spec: primaryServingSpec(loaded.spec) },
  {
    created: primary,
    identity: loaded.spec.name,
    ...(links?.routeAnnotations && { routeAnnotations: links.routeAnnotations.primary }),
  },
);
const mirroredInto = mirrorMakerAlerts(loaded.spec);
const built =
  standbySite &&
  buildStandby(
    // The standby's rules alert on the MirrorMaker 2 writing into its Kafka (EnvironmentInput).
    { ...loaded, ...(mirroredInto && { mirroredInto }) },
    standbySite,
    links?.routeAnnotations?.standby,
  );
if (built && links && primary.eks) {
  mirrorKafka(loaded, {
    primary: { environment, eks: primary.eks },
    standby: { environment: built.environment },
    links,
  });
}

/** Valid but risky settings (see README, "Config warnings"); the offline plan prints them. */
export const configWarnings = loaded.spec.warnings;

export const gateway = environment.cluster.gateway;
export const services = environment.services;
/** The DR standby's region, EKS cluster and gateway; absent without `platform:dr.enabled`. */
export const standby = built && {
  region: built.region,
  clusterName: built.clusterName,
  gateway: built.environment.cluster.gateway,
};
