// Pulumi entry point (Pulumi.yaml `main: stacks/`): validate the stack's config, then compose.
import { createCluster } from './cluster';
import { loadEnvironment } from './config';
import { buildEnvironment } from './environment';
import { buildStandby } from './standby';

const loaded = loadEnvironment();
const primary = createCluster(loaded);
const environment = buildEnvironment(loaded, { created: primary, identity: loaded.spec.name });
// DR (prod): the warm standby in the standby region, from the same components (README, "Disaster recovery").
const built = buildStandby(loaded, primary);

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
