// Test fixture: what the charts render for one service, the passing case every failing policy case starts from.
import { MicroserviceChart, NamespaceBaselineChart, synthesize } from '../../charts';
import type { K8sObject } from './policies';

/** The apps and monitoring namespaces and the product service, as the charts render them. */
export function renderedService(image = 'registry.local/product:1.0.0'): K8sObject[] {
  return [
    ...synthesize((app) => new NamespaceBaselineChart(app, 'apps', { name: 'apps' })),
    ...synthesize((app) => new NamespaceBaselineChart(app, 'monitoring', { name: 'monitoring' })),
    ...synthesize(
      (app) =>
        new MicroserviceChart(app, 'product', {
          name: 'product',
          namespace: 'apps',
          image,
          version: '1.0.0',
          replicas: 2,
          autoscaling: { minReplicas: 2, maxReplicas: 5 },
          resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
          monitoringNamespace: 'monitoring',
        }),
    ),
  ] as K8sObject[];
}

/** A copy of `objects` with the first object of `kind` changed (tests reach into any field, hence `any`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function mutate(objects: K8sObject[], kind: string, change: (o: any) => void): K8sObject[] {
  const copy = structuredClone(objects);
  const target = copy.find((o) => o.kind === kind);
  if (!target) throw new Error(`no ${kind}`);
  change(target);
  return copy;
}
