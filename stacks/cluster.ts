import { OnPremCluster, type ClusterAccess } from '../infra/cluster';
import type { LoadedEnvironment } from './config';

/**
 * The one place that branches on the tier: it picks the cluster component, and everything downstream
 * takes the ClusterAccess it returns.
 */
export function createCluster({ spec, secrets }: LoadedEnvironment): ClusterAccess {
  const c = spec.cluster;
  const name = `${spec.name}-cluster`;
  if (c.tier === 'onprem') {
    return new OnPremCluster(name, {
      ...(secrets.kubeconfig !== undefined && { kubeconfig: secrets.kubeconfig }),
      ...(c.context !== undefined && { context: c.context }),
      storageClass: c.storageClass,
      loadBalancer: c.loadBalancer,
      registry: c.registry,
      zones: c.zones,
      metricsServer: c.metricsServer,
    }).access;
  }
  throw new Error(`${name}: the EKS cluster component is not wired yet`);
}
