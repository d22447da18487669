/**
 * A synthetic Pulumi program for the plan-cost benchmark: `bench:services` services (config of the fixture
 * stack), each deployed like a product service, through the same component (infra/apps Microservice: the
 * microservice chart, a ConfigGroup with one Pulumi resource per Kubernetes object) into namespaces from the
 * same baseline chart. The product's program has a fixed service catalog; this one lets the benchmark grow
 * the number of Kubernetes objects and see how the plan's cost grows with it.
 */
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { Microservice } from '../../infra/apps';
import { Namespaces } from '../../infra/baseline/namespaces';

const config = new pulumi.Config('bench');
const count = config.requireNumber('services');

const provider = new k8s.Provider('bench', { context: 'planned', enableServerSideApply: true });
const namespaces = new Namespaces('bench', {
  provider,
  namespaces: [
    { name: 'apps', podSecurity: 'restricted' },
    { name: 'monitoring', podSecurity: 'baseline' },
  ],
});

const serviceName = (i: number) => `svc-${String(i).padStart(4, '0')}`;

for (let i = 1; i <= count; i++) {
  const name = serviceName(i);
  new Microservice(name, {
    provider,
    serviceName: name,
    description: `Synthetic service ${i} of ${count}`,
    namespace: 'apps',
    monitoringNamespace: 'monitoring',
    image: `registry.local/${name}:1.0.${i}`,
    replicas: 2,
    autoscaling: { minReplicas: 2, maxReplicas: 6, cpuUtilization: 70, memoryUtilization: 80 },
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    // Called by the previous service, calls the next one: every service has an ingress and an egress rule.
    allowFrom:
      i > 1 ? [{ namespace: 'apps', podLabels: { 'app.kubernetes.io/name': serviceName(i - 1) } }] : [],
    allowTo:
      i < count ? [{ namespace: 'apps', podLabels: { 'app.kubernetes.io/name': serviceName(i + 1) } }] : [],
    spread: [{ topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' }],
    env: { ENVIRONMENT: 'bench', SERVICE_INDEX: String(i) },
    delivery: { strategy: 'rolling' },
    dependsOn: [namespaces.ready],
  });
}

export const services = count;
