import { checkRules } from './promtool-harness';
import { prometheusRuleSets } from './prometheus-rules';
import { PROPS } from './rules-fixture';

describe('promtool check rules', () => {
  it('accepts every rule file the chart renders for five services with all alerts', () => {
    const sets = prometheusRuleSets(PROPS);
    expect(sets.length).toBe(PROPS.slos.length + 6);
    for (const set of sets) {
      const result = checkRules(set.groups);
      expect({ set: set.id, code: result.code, out: result.stdout + result.stderr }).toMatchObject({
        code: 0,
      });
      expect(result.stdout).toMatch(/SUCCESS: \d+ rules found/);
    }
  });

  it('rejects a broken expression, so the check above can fail', () => {
    const result = checkRules([{ name: 'broken', rules: [{ record: 'x:y', expr: 'sum by (a (up)' }] }]);
    expect(result.code).not.toBe(0);
  });
});
