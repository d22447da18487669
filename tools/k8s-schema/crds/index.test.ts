import { loadKubernetesValidator } from '../index';
import { PLATFORM_CRD_SCHEMAS, registerPlatformCrds } from './index';

describe('registerPlatformCrds', () => {
  it('registers every platform kind once, beside the built-in kinds, within a second or two', () => {
    const validator = loadKubernetesValidator();
    const started = performance.now();
    registerPlatformCrds(validator);
    const elapsed = performance.now() - started;
    // ~1 s on a 2-core CI machine when ajv compiles them, a few ms from .cache; the budget only catches a blow-up.
    expect(elapsed).toBeLessThan(8000);
    for (const { apiVersion, kind } of PLATFORM_CRD_SCHEMAS) {
      const violations = validator.validate({
        apiVersion,
        kind,
        metadata: { name: 'x' },
        spec: { notAField: 1 },
      });
      expect(violations).toContainEqual({ path: 'spec.notAField', message: 'unknown field "notAField"' });
    }
  });

  it('lists each apiVersion and kind once', () => {
    const keys = PLATFORM_CRD_SCHEMAS.map(({ apiVersion, kind }) => `${apiVersion} ${kind}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(25);
  });

  it('refuses to register the same kinds twice on one validator', () => {
    const validator = loadKubernetesValidator();
    const only = [{ apiVersion: 'kafka.strimzi.io/v1beta2', kind: 'KafkaTopic' }];
    registerPlatformCrds(validator, { only });
    expect(() => registerPlatformCrds(validator, { only })).toThrow(/already exists/);
  });

  it('registers only the platform kinds among `only`, e.g. the objects a plan renders', () => {
    const validator = loadKubernetesValidator();
    const rendered = [
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } },
      { apiVersion: 'kafka.strimzi.io/v1beta2', kind: 'KafkaTopic', metadata: { name: 'orders' }, spec: {} },
    ];
    registerPlatformCrds(validator, { only: rendered });
    expect(validator.validate(rendered[1])).toEqual([]);
    expect(
      validator.validate({
        apiVersion: 'kafka.strimzi.io/v1beta2',
        kind: 'KafkaUser',
        metadata: { name: 'u' },
      }),
    ).toEqual([
      {
        path: '',
        message: 'no schema for apiVersion "kafka.strimzi.io/v1beta2" kind "KafkaUser": unknown kind',
      },
    ]);
  });

  it('checks metadata of custom resources as ObjectMeta and refuses a status', () => {
    const validator = loadKubernetesValidator();
    registerPlatformCrds(validator, {
      only: [{ apiVersion: 'kafka.strimzi.io/v1beta2', kind: 'KafkaTopic' }],
    });
    const topic = {
      apiVersion: 'kafka.strimzi.io/v1beta2',
      kind: 'KafkaTopic',
      metadata: { name: 'Orders', label: { 'strimzi.io/cluster': 'events' } },
      spec: { partitions: 3 },
      status: {},
    };
    expect(validator.validate(topic)).toEqual([
      { path: 'status', message: 'unknown field "status"' },
      { path: 'metadata.label', message: 'unknown field "label" (did you mean "labels"?)' },
      { path: 'metadata.name', message: expect.stringMatching(/^must be a lowercase RFC 1123 subdomain/) },
    ]);
  });
});
