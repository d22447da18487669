import { enforce, levelFor, levelsIn, policyLevelsOf } from './enforcement';
import { checkPolicies, type K8sObject } from './policies';
import { mutate, renderedPolicySettings, renderedService } from './rendered-service.fixture';

/** The product service with a container lacking its readiness probe: one container-probes warning. */
const withoutProbe = (): K8sObject[] =>
  mutate(renderedService(), 'Deployment', (d) => {
    delete d.spec.template.spec.containers[0].readinessProbe;
  });

const rulesOf = (findings: readonly { rule: string }[]) => findings.map((f) => f.rule);

/** What the plan does: the checks, then the levels and exemptions. */
const plan = (objects: K8sObject[], environment: string) =>
  enforce(checkPolicies(objects, { environment }), objects, environment);

/** A `platform-policy` ConfigMap with `levels.json` set to `text` as written. */
function configMapWith(text: string, environment = 'dev'): K8sObject[] {
  return renderedPolicySettings(environment).map((o) =>
    o.kind === 'ConfigMap' && o.metadata.name === 'platform-policy'
      ? ({ ...o, data: { environment, 'levels.json': text } } as K8sObject)
      : o,
  );
}

describe('enforce with the platform-policy ConfigMap among the objects', () => {
  it('the finding is advisory with the dev defaults (the ConfigMap the program renders for dev)', () => {
    const report = plan([...withoutProbe(), ...renderedPolicySettings('dev')], 'dev');
    expect(rulesOf(report.errors)).toEqual([]);
    expect(rulesOf(report.warnings)).toEqual(['container-probes']);
  });

  it('a ConfigMap raising the rule to mandatory turns the finding into an error', () => {
    const objects = [
      ...withoutProbe(),
      ...renderedPolicySettings('dev', { 'container-probes': 'mandatory' }),
    ];
    const report = plan(objects, 'dev');
    expect(rulesOf(report.errors)).toEqual(['container-probes']);
    expect(report.errors[0]?.object).toBe('apps/Deployment/product');
    expect(rulesOf(report.warnings)).toEqual([]);
  });

  it('a ConfigMap disabling the rule drops the finding, and a mandatory rule in dev can be made advisory', () => {
    const disabled = [
      ...withoutProbe(),
      ...renderedPolicySettings('dev', { 'container-probes': 'disabled' }),
    ];
    expect(plan(disabled, 'dev')).toEqual({ errors: [], warnings: [], exempted: [] });

    const latest = mutate(renderedService(), 'Deployment', (d) => {
      d.spec.template.spec.containers[0].image = 'registry.local/product:latest';
    });
    expect(rulesOf(plan([...latest, ...renderedPolicySettings('dev')], 'dev').errors)).toEqual([
      'image-pinned',
    ]);
    const advisory = plan(
      [...latest, ...renderedPolicySettings('dev', { 'image-pinned': 'advisory' })],
      'dev',
    );
    expect(rulesOf(advisory.errors)).toEqual([]);
    expect(rulesOf(advisory.warnings)).toEqual(['image-pinned']);
  });

  it('an exemption still wins over a raised level', () => {
    const objects = [
      ...mutate(withoutProbe(), 'Deployment', (d) => {
        d.metadata.annotations = {
          'policy.platform.io/exempt-container-probes': 'starts in 2 s, no probe yet',
        };
      }),
      ...renderedPolicySettings('dev', { 'container-probes': 'mandatory' }),
    ];
    const report = plan(objects, 'dev');
    expect(report.errors).toEqual([]);
    expect(report.exempted).toEqual([
      expect.objectContaining({ rule: 'container-probes', reason: 'starts in 2 s, no probe yet' }),
    ]);
  });

  it('without a ConfigMap the catalogue’s levels apply, under the environment’s defaults', () => {
    expect(policyLevelsOf(withoutProbe())).toBeUndefined();
    expect(rulesOf(plan(withoutProbe(), 'dev').warnings)).toEqual(['container-probes']);
    expect(levelFor('container-probes', 'dev')).toBe('advisory');
    expect(levelFor('pod-host-access', 'dev')).toBe('mandatory');
    expect(levelFor('no-such-rule', 'dev')).toBeUndefined();
    // prod's defaults hold even for a program that renders no ConfigMap: leaving it out lowers nothing.
    expect(levelFor('container-probes', 'prod')).toBe('mandatory');
    expect(rulesOf(plan(withoutProbe(), 'prod').errors)).toContain('container-probes');
  });

  it('levelFor and levelsIn read the ConfigMap', () => {
    const objects = renderedPolicySettings('dev', { 'workload-replicas': 'disabled' });
    expect(levelFor('workload-replicas', 'dev', objects)).toBe('disabled');
    expect(levelsIn(objects, 'dev')).toEqual({ 'workload-replicas': 'disabled' });
    expect(levelsIn(renderedPolicySettings('prod'), 'prod')).toEqual({ 'container-probes': 'mandatory' });
  });

  it('throws naming the object and the field when levels.json is not valid JSON', () => {
    expect(() => plan([...withoutProbe(), ...configMapWith('{"container-probes": ')], 'dev')).toThrow(
      /^platform\/ConfigMap\/platform-policy data\.levels\.json: is not valid JSON \(/,
    );
    expect(() => policyLevelsOf(configMapWith('["container-probes"]'))).toThrow(
      'platform/ConfigMap/platform-policy data.levels.json: must be a JSON object of rule -> level (got ["container-probes"])',
    );
  });

  it('throws naming the rule when levels.json names an unknown rule or level', () => {
    expect(() => policyLevelsOf(configMapWith('{"container-probe": "mandatory"}'))).toThrow(
      'platform/ConfigMap/platform-policy data.levels.json.container-probe: unknown rule; allowed: unique-objects, ',
    );
    expect(() => policyLevelsOf(configMapWith('{"container-probes": "sometimes"}'))).toThrow(
      'platform/ConfigMap/platform-policy data.levels.json.container-probes: must be one of mandatory, advisory, disabled (got "sometimes")',
    );
  });

  it('refuses a ConfigMap that lowers a mandatory rule in prod, or was rendered for another stack', () => {
    const lowered = configMapWith('{"pod-host-access": "disabled"}', 'prod');
    expect(() => plan([...renderedService(), ...lowered], 'prod')).toThrow(
      'platform/ConfigMap/platform-policy data.levels.json.pod-host-access: mandatory rules cannot be lowered in prod; ' +
        'exempt one object with the annotation policy.platform.io/exempt-pod-host-access: "<reason>" instead (got "disabled")',
    );
    // The same ConfigMap is fine in dev, where lowering is allowed.
    expect(levelsIn(configMapWith('{"pod-host-access": "disabled"}', 'dev'), 'dev')).toEqual({
      'pod-host-access': 'disabled',
    });
    expect(() => levelsIn(renderedPolicySettings('dev'), 'prod')).toThrow(
      'platform/ConfigMap/platform-policy data.environment: the levels were rendered for "dev", not for this stack "prod"',
    );
  });

  it('refuses two platform-policy ConfigMaps', () => {
    const twice = [
      ...renderedPolicySettings('dev'),
      ...renderedPolicySettings('dev').map((o) => ({ ...o, metadata: { ...o.metadata, namespace: 'apps' } })),
    ];
    expect(() => policyLevelsOf(twice)).toThrow(
      'policy levels: 2 ConfigMaps named platform-policy (platform/ConfigMap/platform-policy, apps/ConfigMap/platform-policy)',
    );
  });
});
