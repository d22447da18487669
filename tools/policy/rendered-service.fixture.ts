// Test fixture: what the charts render for one service, the passing case every failing policy case starts from.
import {
  MicroserviceChart,
  NamespaceBaselineChart,
  PolicySettingsChart,
  synthesize,
  type PolicyLevels,
} from '../../charts';
import { ConfigError, type ConfigProblem } from '../../stacks/spec/config-error';
import { resolvePolicyLevels } from '../../stacks/spec/policy-levels';
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

/**
 * The platform namespace and the `platform-policy` ConfigMap the program renders for `environment` with the
 * stack file's `platform:policy.levels` (none by default): the same resolver and chart the program uses.
 */
export function renderedPolicySettings(
  environment: string,
  levels: Readonly<Record<string, unknown>> = {},
): K8sObject[] {
  const problems: ConfigProblem[] = [];
  const resolved: PolicyLevels = resolvePolicyLevels(environment, { levels }, problems);
  if (problems.length > 0) throw new ConfigError(environment, problems);
  return [
    ...synthesize((app) => new NamespaceBaselineChart(app, 'platform', { name: 'platform' })),
    ...synthesize(
      (app) =>
        new PolicySettingsChart(app, 'policy', { namespace: 'platform', environment, levels: resolved }),
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
