/** Headlines beyond the known pairs: renames of data stores, delivery strategy, hidden secret kinds. */
import { diffEnvironment, diffPlans, formatText } from '.';
import type { PlanResource } from '../release/run-plan';
import { basePlan, edit } from './plan.fixture';

const base = basePlan();
const REDIS = 'dev-statefulset-apps/redis';

describe('more headlines', () => {
  it('a renamed data store is a delete and a create: flagged as data loss', () => {
    const head = edit(base, REDIS, ['metadata', 'name'], 'redis-v2');
    const e = diffEnvironment('dev', base, head);
    expect(e.headlines.filter((h) => h.topic === 'data-loss')).toEqual([
      {
        topic: 'data-loss',
        object: 'apps StatefulSet apps/redis',
        what: 'renamed',
        before: 'apps StatefulSet apps/redis',
        after: 'apps StatefulSet apps/redis-v2',
        alarm: 'DATA LOSS: a rename is a delete and a create; the new one starts empty',
      },
    ]);
  });

  it('Deployment -> Rollout canary is a delivery strategy change of the same workload', () => {
    const order = base.find((r) => r.name === 'dev-deployment-apps/order');
    if (order === undefined) throw new Error('fixture without order');
    const rollout: PlanResource = {
      type: 'kubernetes:argoproj.io/v1alpha1:Rollout',
      name: 'dev-rollout-apps/order',
      inputs: {
        ...order.inputs,
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        spec: {
          ...(order.inputs.spec as object),
          strategy: { canary: { steps: [{ setWeight: 10 }, { pause: { duration: '5m' } }, { pause: {} }] } },
        },
      },
    };
    const head = [...base.filter((r) => r !== order), rollout];
    const e = diffEnvironment('dev', base, head);
    expect(e.headlines.filter((h) => h.topic === 'delivery')).toEqual([
      {
        topic: 'delivery',
        object: 'argoproj.io Rollout apps/order',
        what: 'strategy',
        before: 'Deployment RollingUpdate',
        after: 'Rollout canary 10% → pause 5m → pause (manual)',
      },
    ]);
  });

  it('hides random passwords, secret versions and the [secret] placeholder wherever it is', () => {
    const before: PlanResource[] = [
      {
        type: 'random:index/randomPassword:RandomPassword',
        name: 'pw',
        inputs: { length: 32, keepers: { at: '1' } },
      },
      {
        type: 'aws:secretsmanager/secretVersion:SecretVersion',
        name: 'v',
        inputs: { secretId: 'a', secretString: 'x' },
      },
      {
        type: 'kubernetes:helm.sh/v3:Release',
        name: 'r',
        inputs: { chart: 'c', values: { token: '[secret]' } },
      },
    ];
    const after: PlanResource[] = [
      {
        type: 'random:index/randomPassword:RandomPassword',
        name: 'pw',
        inputs: { length: 40, keepers: { at: '2' } },
      },
      {
        type: 'aws:secretsmanager/secretVersion:SecretVersion',
        name: 'v',
        inputs: { secretId: 'b', secretString: 'y' },
      },
      {
        type: 'kubernetes:helm.sh/v3:Release',
        name: 'r',
        inputs: { chart: 'c', values: { token: 'plain-now' } },
      },
    ];
    const d = diffPlans(before, after);
    expect(d.changed.map((c) => [c.id, c.fields])).toEqual([
      [
        'aws:secretsmanager/secretVersion:SecretVersion v',
        [
          { path: 'secretId', change: 'changed', before: 'a', after: 'b' },
          { path: 'secretString', change: 'changed', hidden: true },
        ],
      ],
      ['kubernetes:helm.sh/v3:Release r', [{ path: 'values.token', change: 'changed', hidden: true }]],
      [
        'random:index/randomPassword:RandomPassword pw',
        [
          { path: 'keepers.at', change: 'changed', hidden: true },
          { path: 'length', change: 'changed', hidden: true },
        ],
      ],
    ]);
    const text = formatText([diffEnvironment('dev', before, after)]);
    expect(text).not.toMatch(/plain-now|"x"|"y"|40|32/);
    expect(text).toContain('values.token: changed (value hidden)');
  });

  it('an environment planned on one side only is reported as added or removed', () => {
    expect(diffEnvironment('prod', undefined, base)).toMatchObject({ status: 'added', headlines: [] });
    expect(diffEnvironment('prod', base, undefined).status).toBe('removed');
    expect(formatText([diffEnvironment('prod', undefined, base)]).split('\n')[1]).toBe(
      '  prod  new environment: 11 objects and resources',
    );
  });
});
