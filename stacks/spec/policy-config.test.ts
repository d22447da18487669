import { ConfigError, parseEnvironment } from '.';
import { POLICY_RULES } from '../../tools/policy/rule-catalog';
import { loweringProblem } from './policy-levels';

const DIGEST = 'c'.repeat(64);
const ECR = '111122223333.dkr.ecr.eu-west-1.amazonaws.com';
const onprem = (extra: Record<string, unknown> = {}) => ({
  tier: 'onprem',
  cluster: {
    context: 'onprem-dev',
    storageClass: 'standard',
    loadBalancer: { mode: 'metallb', addressPool: 'public' },
    registry: 'registry.local/platform',
  },
  services: { product: { image: 'registry.local/platform/product:1.0.0' } },
  backup: { storage: { bucket: 'backups', endpointUrl: 'https://minio.local:9000', credentialsSecret: 's' } },
  ...extra,
});
const eks = (extra: Record<string, unknown> = {}) => ({
  tier: 'eks',
  cluster: { region: 'eu-west-1', vpcCidr: '10.20.0.0/16' },
  services: { product: { image: `${ECR}/platform/product@sha256:${DIGEST}` } },
  backup: { storage: { bucket: 'platform-prod-backups' } },
  ...extra,
});
const levels = (l: Record<string, unknown>) => ({ policy: { levels: l } });

function problems(raw: Record<string, unknown>, stack = 'dev'): string[] {
  try {
    parseEnvironment(stack, raw);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error('expected the config to be refused');
}

const ALLOWED_RULES = Object.keys(POLICY_RULES).join(', ');

describe('platform:policy.levels', () => {
  it('defaults per environment: container-probes mandatory in uat and prod, nothing in dev and qat', () => {
    expect(parseEnvironment('dev', onprem()).policy.levels).toEqual({});
    expect(parseEnvironment('qat', onprem()).policy.levels).toEqual({});
    expect(parseEnvironment('uat', eks()).policy.levels).toEqual({ 'container-probes': 'mandatory' });
    expect(parseEnvironment('prod', eks()).policy.levels).toEqual({ 'container-probes': 'mandatory' });
    // A stack the defaults do not name gets the catalogue's levels (no override).
    expect(parseEnvironment('perf', eks()).policy.levels).toEqual({});
  });

  it('merges the stack file’s levels over the defaults key by key, sorted by rule', () => {
    const spec = parseEnvironment('prod', eks(levels({ 'workload-replicas': 'mandatory' })));
    expect(spec.policy.levels).toEqual({ 'container-probes': 'mandatory', 'workload-replicas': 'mandatory' });
    expect(Object.keys(spec.policy.levels)).toEqual(['container-probes', 'workload-replicas']);
    const dev = parseEnvironment(
      'dev',
      onprem(levels({ 'workload-replicas': 'disabled', 'container-probes': 'mandatory' })),
    );
    expect(Object.entries(dev.policy.levels)).toEqual([
      ['container-probes', 'mandatory'],
      ['workload-replicas', 'disabled'],
    ]);
  });

  it('lets dev and qat lower a mandatory rule', () => {
    expect(parseEnvironment('dev', onprem(levels({ 'pod-host-access': 'advisory' }))).policy.levels).toEqual({
      'pod-host-access': 'advisory',
    });
    expect(parseEnvironment('qat', onprem(levels({ 'image-pinned': 'disabled' }))).policy.levels).toEqual({
      'image-pinned': 'disabled',
    });
  });

  it('lets uat and prod raise an advisory rule, and disable one that is advisory there', () => {
    expect(
      parseEnvironment('uat', eks(levels({ 'workload-replicas': 'mandatory' }))).policy.levels,
    ).toMatchObject({ 'workload-replicas': 'mandatory' });
    expect(
      parseEnvironment('prod', eks(levels({ 'workload-replicas': 'disabled' }))).policy.levels,
    ).toMatchObject({ 'workload-replicas': 'disabled' });
  });

  it('refuses lowering a mandatory rule in prod and uat, naming the field and the exemption to use', () => {
    expect(problems(eks(levels({ 'pod-host-access': 'advisory' })), 'prod')).toEqual([
      'platform:policy.levels.pod-host-access: mandatory rules cannot be lowered in prod; exempt one object ' +
        'with the annotation policy.platform.io/exempt-pod-host-access: "<reason>" instead (got "advisory")',
    ]);
    expect(problems(eks(levels({ 's3-private': 'disabled' })), 'uat')).toEqual([
      'platform:policy.levels.s3-private: mandatory rules cannot be lowered in uat; exempt one object ' +
        'with the annotation policy.platform.io/exempt-s3-private: "<reason>" instead (got "disabled")',
    ]);
  });

  it('refuses lowering a rule the environment makes mandatory (container-probes in prod), not only the catalogue', () => {
    expect(problems(eks(levels({ 'container-probes': 'advisory' })), 'prod')).toEqual([
      'platform:policy.levels.container-probes: mandatory rules cannot be lowered in prod; exempt one object ' +
        'with the annotation policy.platform.io/exempt-container-probes: "<reason>" instead (got "advisory")',
    ]);
    // Restating the level is no lowering.
    expect(parseEnvironment('prod', eks(levels({ 'container-probes': 'mandatory' }))).policy.levels).toEqual({
      'container-probes': 'mandatory',
    });
  });

  it('refuses an unknown rule, listing the catalogue’s rules', () => {
    expect(problems(onprem(levels({ 'container-probe': 'mandatory' })))).toEqual([
      `platform:policy.levels.container-probe: unknown rule; allowed: ${ALLOWED_RULES}`,
    ]);
    expect(ALLOWED_RULES).toContain('container-probes');
    expect(ALLOWED_RULES).toContain('s3-private');
  });

  it('refuses a level that is not mandatory, advisory or disabled, with the value', () => {
    expect(problems(onprem(levels({ 'container-probes': 'sometimes' })))).toEqual([
      'platform:policy.levels.container-probes: must be one of mandatory, advisory, disabled (got "sometimes")',
    ]);
    expect(problems(onprem(levels({ 'container-probes': true })))).toEqual([
      'platform:policy.levels.container-probes: must be one of mandatory, advisory, disabled (got true)',
    ]);
  });

  it('reports every bad entry at once, and unknown keys and shapes of platform:policy', () => {
    expect(
      problems(eks(levels({ bogus: 'mandatory', 'zone-spread': 'off', 'hpa-bounds': 'advisory' })), 'prod'),
    ).toEqual([
      `platform:policy.levels.bogus: unknown rule; allowed: ${ALLOWED_RULES}`,
      'platform:policy.levels.hpa-bounds: mandatory rules cannot be lowered in prod; exempt one object ' +
        'with the annotation policy.platform.io/exempt-hpa-bounds: "<reason>" instead (got "advisory")',
      'platform:policy.levels.zone-spread: must be one of mandatory, advisory, disabled (got "off")',
    ]);
    expect(problems(onprem({ policy: { level: {} } }))).toEqual([
      'platform:policy.level: unknown key; allowed keys: levels',
    ]);
    expect(problems(onprem({ policy: { levels: ['container-probes'] } }))).toEqual([
      'platform:policy.levels: must be a record (got ["container-probes"])',
    ]);
  });

  it('loweringProblem is the one rule the stack config and the enforcement share', () => {
    expect(loweringProblem('prod', 'pod-host-access', 'disabled')).toContain('cannot be lowered in prod');
    expect(loweringProblem('prod', 'pod-host-access', 'mandatory')).toBeUndefined();
    expect(loweringProblem('prod', 'workload-replicas', 'disabled')).toBeUndefined();
    expect(loweringProblem('dev', 'pod-host-access', 'disabled')).toBeUndefined();
    expect(loweringProblem(undefined, 'pod-host-access', 'disabled')).toBeUndefined();
  });
});
