import type * as pulumi from '@pulumi/pulumi';
import type { TopologySpread } from '../charts';
import { Microservice } from '../infra/apps';
import { Namespaces } from '../infra/baseline';
import { ExistingCluster } from '../infra/cluster';
import type { LoadedEnvironment } from './config';
import { callersOf, dependenciesOf } from './network-peers';
import { SERVICE_CATALOG } from './service-catalog';
import type { EnvironmentSpec } from './spec';

export interface Environment {
  readonly namespaces: pulumi.Output<string[]>;
  readonly services: Record<string, { namespace: string; image: string }>;
}

/** Spread replicas over nodes always, and over zones where the cluster has them (EKS: three AZs). */
function spreadFor(spec: EnvironmentSpec): TopologySpread[] {
  const spread: TopologySpread[] = [
    { topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' },
  ];
  if (spec.tier === 'eks')
    spread.unshift({ topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule' });
  return spread;
}

/** Composes one environment from its spec: cluster access, namespaces, then the services. */
export function buildEnvironment({ spec, secrets }: LoadedEnvironment): Environment {
  const env = spec.name;
  const cluster = new ExistingCluster(`${env}-cluster`, {
    ...(secrets.kubeconfig !== undefined && { kubeconfig: secrets.kubeconfig }),
    ...(spec.cluster.context !== undefined && { context: spec.cluster.context }),
  });
  const provider = cluster.provider;

  const ns = spec.namespaces;
  const namespaces = new Namespaces(`${env}-namespaces`, {
    provider,
    namespaces: [
      // Operators and the gateway need more than `restricted` allows; workloads get the strictest level.
      { name: ns.platform, podSecurity: 'privileged' },
      { name: ns.data, podSecurity: 'baseline' },
      { name: ns.apps, podSecurity: 'restricted' },
      { name: ns.monitoring, podSecurity: 'privileged' },
    ],
  });

  const services: Environment['services'] = {};
  for (const service of spec.services) {
    const hpa = service.autoscaling;
    new Microservice(`${env}-${service.name}`, {
      provider,
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
      spread: spreadFor(spec),
      env: { ENVIRONMENT: env },
      dependsOn: [namespaces.ready],
    });
    services[service.name] = { namespace: ns.apps, image: service.image };
  }

  return { namespaces: namespaces.names, services };
}
