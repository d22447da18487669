import { dashboardQueries } from './dashboard-set';
import { checkPromql } from './promql-check';
import { TEST_PROPS } from './test-props.fixture';

const queries = dashboardQueries(TEST_PROPS);

describe('dashboard PromQL', () => {
  it('lists the expressions of every dashboard, variables included', () => {
    const perDashboard = new Map<string, number>();
    for (const q of queries) perDashboard.set(q.dashboard, (perDashboard.get(q.dashboard) ?? 0) + 1);
    expect(perDashboard.size).toBe(7);
    for (const count of perDashboard.values()) expect(count).toBeGreaterThanOrEqual(8);
    expect(queries.filter((q) => q.panel === '$namespace')).toHaveLength(7);
  });

  it('parses every expression with promtool check rules', () => {
    const result = checkPromql(queries);
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
  });

  it('fails on a broken expression and names its dashboard and panel', () => {
    const result = checkPromql([
      ...queries.slice(0, 3),
      {
        dashboard: 'broken-dashboard',
        panel: 'Unbalanced',
        expr: 'sum by (service) (rate(http_requests_total[$__rate_interval])',
      },
    ]);
    expect(result.ok).toBe(false);
    expect(result.output).toContain('broken-dashboard / Unbalanced');
  });

  it('fails on a misplaced Grafana variable the substitution cannot make valid', () => {
    const result = checkPromql([{ dashboard: 'd', panel: 'p', expr: 'rate(up[$namespace])' }]);
    expect(result.ok).toBe(false);
  });
});
