import type { DashboardQuery } from './dashboard-set';
import { metricNames, substituteGrafanaVariables } from './promql-metric-names';

/** Series names a Prometheus text exposition offers: each family, with _bucket/_sum/_count for histograms. */
export function exposedSeriesNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const match of exposition.matchAll(/^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (\w+)$/gm)) {
    const [, name = '', type] = match;
    names.add(name);
    if (type === 'histogram')
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
    if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(`${name}${suffix}`);
  }
  return names;
}

export interface UnknownMetric {
  readonly dashboard: string;
  readonly panel: string;
  readonly metric: string;
}

/** Each metric an expression reads that `isKnown` does not know, with the dashboard and panel reading it. */
export function unknownMetrics(
  queries: readonly DashboardQuery[],
  isKnown: (metric: string) => boolean,
): UnknownMetric[] {
  return queries.flatMap(({ dashboard, panel, expr }) =>
    metricNames(substituteGrafanaVariables(expr))
      .filter((metric) => !isKnown(metric))
      .map((metric) => ({ dashboard, panel, metric })),
  );
}
