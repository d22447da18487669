import { isAlertingRule } from './rule-types';
import type { AlertingRule, RecordingRule } from './rule-types';
import { SLO_WINDOWS } from './sli-queries';
import { BURN_RATE_WINDOWS, sloRuleGroups } from './slo-rule-groups';
import type { ServiceSlo } from './slo-types';

const slo: ServiceSlo = {
  service: 'order',
  namespace: 'apps',
  objectives: { availability: 0.999, latency: { objective: 0.99, thresholdSeconds: 0.5 } },
};

describe('sloRuleGroups', () => {
  const rules = sloRuleGroups(slo).flatMap((g) => g.rules);
  const recordings = rules.filter((r): r is RecordingRule => !isAlertingRule(r));
  const alerts = rules.filter(isAlertingRule);

  it('uses the SRE workbook factors for a 30-day period', () => {
    expect(BURN_RATE_WINDOWS.map((w) => [w.severity, w.long, w.short, w.factor])).toEqual([
      ['critical', '1h', '5m', 14.4],
      ['critical', '6h', '30m', 6],
      ['warning', '1d', '2h', 3],
      ['warning', '3d', '6h', 1],
    ]);
  });

  it('records both ratios for every window and the objectives, labelled namespace and service', () => {
    const names = recordings.map((r) => r.record);
    for (const w of SLO_WINDOWS) {
      expect(names).toContain(`slo:sli_error:ratio_rate${w}`);
      expect(names).toContain(`slo:sli_latency:ratio_rate${w}`);
    }
    expect(names).toEqual(expect.arrayContaining(['slo:objective:availability', 'slo:objective:latency']));
    for (const r of recordings) expect(r.labels).toEqual({ namespace: 'apps', service: 'order' });
  });

  it('pages on 14.4x over 1h and 5m or 6x over 6h and 30m', () => {
    const high = alerts.find((a) => a.alert === 'SLOAvailabilityBurnRateHigh') as AlertingRule;
    expect(high.labels.severity).toBe('critical');
    expect(high.expr).toContain(
      'slo:sli_error:ratio_rate1h{namespace="apps", service="order"} > (14.4 * (1 - 0.999))',
    );
    expect(high.expr).toContain(
      'slo:sli_error:ratio_rate5m{namespace="apps", service="order"} > (14.4 * (1 - 0.999))',
    );
    expect(high.expr).toContain(
      'slo:sli_error:ratio_rate6h{namespace="apps", service="order"} > (6 * (1 - 0.999))',
    );
  });

  it('tickets the latency budget on the slow ratio at 3x and 1x', () => {
    const elevated = alerts.find((a) => a.alert === 'SLOLatencyBurnRateElevated') as AlertingRule;
    expect(elevated.labels).toMatchObject({ severity: 'warning', namespace: 'apps', service: 'order' });
    expect(elevated.expr).toContain(
      'slo:sli_latency:ratio_rate1d{namespace="apps", service="order"} > (3 * (1 - 0.99))',
    );
    expect(elevated.expr).toContain(
      'slo:sli_latency:ratio_rate3d{namespace="apps", service="order"} > (1 * (1 - 0.99))',
    );
  });

  it('refuses an invalid SLO before rendering', () => {
    expect(() => sloRuleGroups({ ...slo, objectives: { ...slo.objectives, availability: 1.5 } })).toThrow(
      'slo.order.availability must be a number in (0, 1) (got 1.5)',
    );
  });
});
