import { loadKubernetesValidator } from '../../tools/k8s-schema';
import { checkPolicies, type K8sObject } from '../../tools/policy';
import { NamespaceBaselineChart } from '../namespace-baseline';
import { synthesize, type KubernetesObject } from '../lib';
import { PolicySettingsChart, type PolicySettingsProps } from './policy-settings-chart';
import type { PolicyLevels } from './policy-settings-contract';

/** The rendered objects; a ConfigMap's `data` is what is read, hence the wider type. */
const render = (
  over: Partial<PolicySettingsProps> = {},
): (KubernetesObject & { data?: Record<string, string> })[] =>
  synthesize(
    (app) =>
      new PolicySettingsChart(app, 'policy', {
        namespace: 'platform',
        environment: 'prod',
        levels: { 'workload-replicas': 'mandatory', 'container-probes': 'mandatory' },
        ...over,
      }),
  );

describe('PolicySettingsChart', () => {
  it('renders one ConfigMap platform-policy in the platform namespace with the standard labels', () => {
    const objects = render();
    expect(objects).toHaveLength(1);
    const [cm] = objects;
    expect(cm).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap' });
    expect(cm?.metadata).toEqual({
      name: 'platform-policy',
      namespace: 'platform',
      labels: {
        'app.kubernetes.io/name': 'platform-policy',
        'app.kubernetes.io/part-of': 'platform',
        'app.kubernetes.io/managed-by': 'platform',
        'app.kubernetes.io/component': 'policy',
      },
    });
  });

  it('holds the environment and the levels as JSON with sorted keys', () => {
    const data = render()[0]?.data ?? {};
    expect(Object.keys(data).sort()).toEqual(['environment', 'levels.json']);
    expect(data.environment).toBe('prod');
    const levels = JSON.parse(data['levels.json'] ?? '') as Record<string, string>;
    expect(Object.entries(levels)).toEqual([
      ['container-probes', 'mandatory'],
      ['workload-replicas', 'mandatory'],
    ]);
    // The same levels in another order render the same text.
    const reordered = render({
      levels: { 'container-probes': 'mandatory', 'workload-replicas': 'mandatory' },
    });
    expect(reordered).toEqual(render());
    expect(render({ levels: {} })[0]?.data?.['levels.json']).toBe('{}');
  });

  it('passes the strict schema and every platform policy beside its namespace', () => {
    const objects = [
      ...synthesize((app) => new NamespaceBaselineChart(app, 'platform', { name: 'platform' })),
      ...render(),
    ] as K8sObject[];
    const validator = loadKubernetesValidator();
    for (const o of objects) expect([o.kind, validator.validate(o)]).toEqual([o.kind, []]);
    expect(checkPolicies(objects, { environment: 'prod' })).toEqual({ errors: [], warnings: [] });
  });

  it('refuses a level that is not mandatory, advisory or disabled, and an empty environment', () => {
    expect(() => render({ levels: { 'container-probes': 'sometimes' } as unknown as PolicyLevels })).toThrow(
      'policy settings levels.container-probes: must be one of mandatory, advisory, disabled (got "sometimes")',
    );
    expect(() => render({ environment: ' ' })).toThrow('policy settings environment must not be empty');
  });
});
