import type { TopologySpread } from '../charts';
import { Microservice } from '../infra/apps';
import { ClusterBaseline } from '../infra/baseline';
import type { ClusterInfo } from '../infra/cluster';
import { appsQuota } from './apps-quota';
import { createCluster } from './cluster';
import type { LoadedEnvironment } from './config';
import { createDataLayer } from './data-layer';
import { callersOf, dependenciesOf } from './network-peers';
import { SERVICE_CATALOG } from './service-catalog';

export interface Environment {
  readonly cluster: ClusterInfo;
  readonly services: Record<string, { namespace: string; image: string }>;
}

/** Spread replicas over zones where the cluster has several, and always over nodes. */
function spreadFor(cluster: ClusterInfo): TopologySpread[] {
  const spread: TopologySpread[] = [
    { topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' },
  ];
  if (cluster.zones.count > 1) {
    spread.unshift({ topologyKey: cluster.zones.topologyKey, whenUnsatisfiable: 'DoNotSchedule' });
  }
  return spread;
}

/**
 * Composes one environment from its spec: the cluster (the only place the tier matters), the shared
 * baseline, then the services. Everything after createCluster works on the ClusterInfo contract.
 */
export function buildEnvironment(loaded: LoadedEnvironment): Environment {
  const { spec } = loaded;
  const env = spec.name;
  const created = createCluster(loaded);
  const access = created.access;
  const ns = spec.namespaces;

  const baseline = new ClusterBaseline(`${env}-baseline`, {
    access,
    namespaces: ns,
    appsQuota: appsQuota(spec.services),
    hostnames: spec.gateway.hostnames,
    issuer:
      spec.certificates.issuer === 'acme'
        ? {
            kind: 'acme',
            ...spec.certificates.acme,
            region: spec.cluster.tier === 'eks' ? spec.cluster.region : 'us-east-1',
          }
        : { kind: 'internal-ca' },
    ...(created.certManagerServiceAccountAnnotations && {
      certManagerServiceAccountAnnotations: created.certManagerServiceAccountAnnotations,
    }),
  });
  const cluster: ClusterInfo = {
    ...access,
    gateway: baseline.gateway,
    ready: [...access.ready, ...baseline.ready],
  };

  const data = createDataLayer(loaded, cluster, created.backupStorage);

  const services: Environment['services'] = {};
  for (const service of spec.services) {
    const hpa = service.autoscaling;
    const stores = data.services[service.name];
    new Microservice(`${env}-${service.name}`, {
      provider: cluster.provider,
      serviceName: service.name,
      description: SERVICE_CATALOG[service.name].description,
      namespace: ns.apps,
      monitoringNamespace: ns.monitoring,
      image: service.image,
      replicas: service.replicas,
      ...(hpa.enabled && {
        autoscaling: {
          minReplicas: hpa.minReplicas,
          maxReplicas: hpa.maxReplicas,
          cpuUtilization: hpa.targetCPUUtilizationPercentage,
          memoryUtilization: hpa.targetMemoryUtilizationPercentage,
        },
      }),
      resources: service.resources,
      allowFrom: callersOf(service.name, ns),
      allowTo: dependenciesOf(service.name, ns),
      spread: spreadFor(cluster),
      env: { ENVIRONMENT: env, ...stores?.env },
      ...(stores && { envFromSecrets: stores.secretNames }),
      dependsOn: [...cluster.ready, ...(stores?.ready ?? [])],
    });
    services[service.name] = { namespace: ns.apps, image: service.image };
  }
  return { cluster, services };
}
