import { loadKubernetesValidator } from '../index';
import type { KubernetesValidator } from '../index';
import { ARGO_ROLLOUTS_SCHEMAS } from './argo-rollouts';
import {
  blueGreenRollout,
  canaryRollout,
  sloAnalysisTemplate,
  smokeAnalysisTemplate,
  type ExampleObject,
} from './argo-rollouts-examples';
import { isPublishedModelKind, validateWithPublishedModels } from './argo-rollouts-published-check';
import { registerPlatformCrds } from './index';

type Obj = Record<string, any>;

let validator: KubernetesValidator;

beforeAll(() => {
  validator = loadKubernetesValidator();
  registerPlatformCrds(validator, { only: ARGO_ROLLOUTS_SCHEMAS });
});

function broken(obj: ExampleObject, change: (copy: Obj) => void): Obj {
  const copy = structuredClone(obj) as Obj;
  change(copy);
  return copy;
}

const valid: [string, ExampleObject][] = [
  ['canary Rollout with the Gateway API plugin', canaryRollout()],
  ['blue-green Rollout', blueGreenRollout()],
  ['Prometheus AnalysisTemplate', sloAnalysisTemplate()],
  ['web AnalysisTemplate', smokeAnalysisTemplate()],
];

/** Mistakes both validators must catch: wrong types, missing required fields, bad enums (in the pod template). */
const wrong: [string, Obj][] = [
  [
    'setWeight as a string',
    broken(canaryRollout(), (o) => (o['spec']['strategy']['canary']['steps'][0]['setWeight'] = '10')),
  ],
  ['replicas as a string', broken(canaryRollout(), (o) => (o['spec']['replicas'] = 'two'))],
  [
    'blueGreen without activeService',
    broken(blueGreenRollout(), (o) => delete o['spec']['strategy']['blueGreen']['activeService']),
  ],
  [
    'autoPromotionEnabled as a string',
    broken(blueGreenRollout(), (o) => (o['spec']['strategy']['blueGreen']['autoPromotionEnabled'] = 'false')),
  ],
  [
    'an imagePullPolicy outside the enum',
    broken(
      canaryRollout(),
      (o) => (o['spec']['template']['spec']['containers'][0]['imagePullPolicy'] = 'Sometimes'),
    ),
  ],
  [
    'a container without a name',
    broken(blueGreenRollout(), (o) => delete o['spec']['template']['spec']['containers'][0]['name']),
  ],
  ['a Rollout without spec', broken(canaryRollout(), (o) => delete o['spec'])],
  [
    'a metric without provider',
    broken(sloAnalysisTemplate(), (o) => delete o['spec']['metrics'][0]['provider']),
  ],
  ['a metric without name', broken(sloAnalysisTemplate(), (o) => delete o['spec']['metrics'][1]['name'])],
  [
    'a web metric without url',
    broken(smokeAnalysisTemplate(), (o) => delete o['spec']['metrics'][0]['provider']['web']['url']),
  ],
  ['count as a boolean', broken(smokeAnalysisTemplate(), (o) => (o['spec']['metrics'][0]['count'] = true))],
  [
    'a Prometheus timeout as a string',
    broken(
      sloAnalysisTemplate(),
      (o) => (o['spec']['metrics'][0]['provider']['prometheus']['timeout'] = '30s'),
    ),
  ],
];

/** Unknown fields: ours refuse them, the published models do not look (the gap this repo's schemas close). */
const unknownFields: [string, Obj][] = [
  ['spec.bogus', broken(canaryRollout(), (o) => (o['spec']['bogus'] = 1))],
  [
    'a misspelt stableService',
    broken(canaryRollout(), (o) => {
      const canary = o['spec']['strategy']['canary'];
      canary['stabelService'] = canary['stableService'];
      delete canary['stableService'];
      delete canary['trafficRouting'];
      delete canary['dynamicStableScale'];
    }),
  ],
  [
    'a misspelt successCondition',
    broken(smokeAnalysisTemplate(), (o) => {
      const m = o['spec']['metrics'][0];
      m['sucessCondition'] = m['successCondition'];
      delete m['successCondition'];
    }),
  ],
];

describe('validateWithPublishedModels (the published @kubernetes-models/argo-rollouts 2.0.0)', () => {
  let published: { valid: unknown[][]; wrong: unknown[][]; unknown: unknown[][] };

  beforeAll(async () => {
    // One child process for all of them: the models take ~0.3 s to load.
    const all = await validateWithPublishedModels([
      ...valid.map(([, o]) => o),
      ...wrong.map(([, o]) => o),
      ...unknownFields.map(([, o]) => o),
    ]);
    published = {
      valid: all.slice(0, valid.length),
      wrong: all.slice(valid.length, valid.length + wrong.length),
      unknown: all.slice(valid.length + wrong.length),
    };
  });

  it.each(valid.map(([what, o], i) => [what, o, i] as const))('%s passes both validators', (_what, o, i) => {
    expect(validator.validate(o)).toEqual([]);
    expect(published.valid[i]).toEqual([]);
  });

  it.each(wrong.map(([what, o], i) => [what, o, i] as const))('%s fails both validators', (_what, o, i) => {
    expect(validator.validate(o)).not.toEqual([]);
    expect(published.wrong[i]).not.toEqual([]);
  });

  it.each(unknownFields.map(([what, o], i) => [what, o, i] as const))(
    '%s fails ours and passes theirs (they do not check unknown fields)',
    (_what, o, i) => {
      expect(validator.validate(o)).toEqual([
        expect.objectContaining({ message: expect.stringMatching(/^unknown field/) }),
      ]);
      expect(published.unknown[i]).toEqual([]);
    },
  );

  it('reports paths and messages as the models do', async () => {
    const [errors] = await validateWithPublishedModels([wrong[2]?.[1] ?? {}]);
    expect(errors).toEqual([
      {
        path: 'spec.strategy.blueGreen',
        message: 'must have required property activeService',
      },
    ]);
  });

  it('refuses objects the models do not cover, so a caller filters with isPublishedModelKind', async () => {
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment' };
    expect(isPublishedModelKind(deployment)).toBe(false);
    expect(isPublishedModelKind(canaryRollout())).toBe(true);
    await expect(validateWithPublishedModels([deployment])).rejects.toThrow(
      /checks argoproj.io\/v1alpha1 Rollout, AnalysisTemplate.*\(got apiVersion apps\/v1 kind Deployment\)/,
    );
    await expect(validateWithPublishedModels([])).resolves.toEqual([]);
  });
});
