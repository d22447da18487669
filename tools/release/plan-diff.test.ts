// The release's plan diff is tools/plan-diff's (one implementation); these cases pin what release.ts relies on.
import { diffPlans, formatPlanDiff, resourceIdentity } from './plan-diff';
import type { PlanResource } from './run-plan';

const deployment = (image: string, replicas = 2): PlanResource => ({
  type: 'kubernetes:apps/v1:Deployment',
  name: 'dev-order-manifests-apps/order',
  inputs: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'order', namespace: 'apps' },
    spec: {
      replicas,
      template: {
        spec: {
          containers: [
            {
              name: 'order',
              image,
              env: [
                { name: 'A', value: '1' },
                { name: 'SERVICE_VERSION', value: image.split(':')[1] },
              ],
            },
            { name: 'sidecar', image: 'r.io/x:1' },
          ],
        },
      },
    },
  },
});
const secret = (password: string): PlanResource => ({
  type: 'kubernetes:core/v1:Secret',
  name: 's',
  inputs: {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db', namespace: 'data' },
    stringData: { password },
  },
});
const release = (version: string): PlanResource => ({
  type: 'kubernetes:helm.sh/v3:Release',
  name: 'dev-argo-rollouts',
  inputs: { chart: 'argo-rollouts', version, values: { args: ['a', 'b'] } },
});

describe('diffPlans', () => {
  it('names objects by API group, kind, namespace and name; other resources by type and name', () => {
    expect(resourceIdentity(deployment('r.io/order:1'))).toBe('apps Deployment apps/order');
    expect(resourceIdentity(release('1'))).toBe('kubernetes:helm.sh/v3:Release dev-argo-rollouts');
    expect(resourceIdentity({ type: 'kubernetes:yaml:ConfigGroup', name: 'g', inputs: {} })).toBeUndefined();
  });

  it('reports changed leaves with paths, matching named list items by name', () => {
    const diff = diffPlans(
      [deployment('r.io/order:1'), release('1')],
      [deployment('r.io/order:2', 3), release('1')],
    );
    expect(diff).toEqual({
      added: [],
      removed: [],
      unchanged: 1,
      changed: [
        {
          id: 'apps Deployment apps/order',
          fields: [
            { path: 'spec.replicas', change: 'changed', before: 2, after: 3 },
            {
              path: 'spec.template.spec.containers[name=order].env[name=SERVICE_VERSION].value',
              change: 'changed',
              before: '1',
              after: '2',
            },
            {
              path: 'spec.template.spec.containers[name=order].image',
              change: 'changed',
              before: 'r.io/order:1',
              after: 'r.io/order:2',
            },
          ],
        },
      ],
    });
  });

  it('reports added and removed objects and fields, and list items by index when unnamed', () => {
    const old = release('1');
    const now: PlanResource = {
      ...old,
      inputs: { chart: 'argo-rollouts', values: { args: ['a', 'c', 'd'] }, x: 1 },
    };
    const diff = diffPlans([old, secret('a')], [now, deployment('r.io/order:1')]);
    expect(diff.added).toEqual(['apps Deployment apps/order']);
    expect(diff.removed).toEqual(['core Secret data/db']);
    expect(diff.changed[0]?.fields).toEqual([
      { path: 'values.args[1]', change: 'changed', before: 'b', after: 'c' },
      { path: 'values.args[2]', change: 'added', after: 'd' },
      { path: 'version', change: 'removed', before: '1' },
      { path: 'x', change: 'added', after: 1 },
    ]);
  });

  it('never shows Secret data, only that it changed', () => {
    const diff = diffPlans([secret('old-password')], [secret('new-password')]);
    expect(diff.changed).toEqual([
      {
        id: 'core Secret data/db',
        fields: [{ path: 'stringData.password', change: 'changed', hidden: true }],
      },
    ]);
    const text = formatPlanDiff(diff).join('\n');
    expect(text).not.toMatch(/password"|old-password|new-password/);
    expect(text).toContain('stringData.password: changed (value hidden)');
  });

  it('formats a readable summary', () => {
    expect(formatPlanDiff(diffPlans([deployment('r.io/order:1')], [deployment('r.io/order:2')]))).toEqual([
      '1 changed, 0 added, 0 removed (0 unchanged)',
      '  ~ apps Deployment apps/order',
      '      spec.template.spec.containers[name=order].env[name=SERVICE_VERSION].value: "1" -> "2"',
      '      spec.template.spec.containers[name=order].image: "r.io/order:1" -> "r.io/order:2"',
    ]);
    expect(formatPlanDiff(diffPlans([release('1')], [release('1')]))).toEqual([
      'no change to the plan (1 objects and resources compared)',
    ]);
  });
});
