import { ALERT_NAMES } from './alert-catalogue';
import { ALERT_CASES } from './alert-cases';
import type { RuleCase } from './alert-cases';
import { testRules } from './promtool-harness';
import { prometheusRuleSets } from './prometheus-rules';
import { PROPS } from './rules-fixture';

/**
 * The chart's rule groups for the case's environment. SLO sets of services the cases feed no series for are
 * left out: they could not fire, and their 3-day windows make promtool several times slower.
 */
function groupsFor(disabled: RuleCase['disabled'], cases: readonly RuleCase[] = []) {
  const fed = (service: string) =>
    cases.some((c) => c.series.some((x) => x.series.includes(`service="${service}"`)));
  return prometheusRuleSets({ ...PROPS, disabledAlerts: disabled ?? [] })
    .filter((set) => !set.id.startsWith('slo-') || fed(set.id.slice('slo-'.length)))
    .flatMap((set) => set.groups);
}

describe('promtool test rules', () => {
  it('has, for every alert, a case that fires it and one where it must stay silent', () => {
    for (const name of ALERT_NAMES) {
      const cases = ALERT_CASES.filter((c) => c.alert === name);
      expect({ name, fires: cases.some((c) => c.expected.length > 0) }).toEqual({ name, fires: true });
      expect({ name, silent: cases.some((c) => c.expected.length === 0) }).toEqual({ name, silent: true });
    }
  });

  it.each(ALERT_NAMES)('%s fires exactly as expected (labels and annotations)', (name) => {
    const cases = ALERT_CASES.filter((c) => c.alert === name);
    const byDisabled = new Map<string, RuleCase[]>();
    for (const c of cases) {
      const key = (c.disabled ?? []).join(',');
      byDisabled.set(key, [...(byDisabled.get(key) ?? []), c]);
    }
    for (const group of byDisabled.values()) {
      const result = testRules(groupsFor(group[0]?.disabled, group), group);
      expect({ code: result.code, output: result.stdout + result.stderr }).toMatchObject({ code: 0 });
    }
  });

  it('fails when an expectation is wrong, so the tests above can fail', () => {
    const [firing] = ALERT_CASES.filter((c) => c.alert === 'ServiceDown' && c.expected.length > 0);
    if (firing === undefined) throw new Error('no firing ServiceDown case');
    const wrong = { ...firing, expected: [] };
    const result = testRules(groupsFor(undefined), [wrong]);
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain('ServiceDown');
  });
});
