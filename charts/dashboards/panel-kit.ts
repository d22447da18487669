import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as gauge from '@grafana/grafana-foundation-sdk/gauge';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';

/** The Prometheus data source kube-prometheus-stack provisions; every panel and variable names it by uid. */
export const PROMETHEUS_UID = 'prometheus';
export const PROMETHEUS: common.DataSourceRef = { type: 'prometheus', uid: PROMETHEUS_UID };

/** Probes and the scrape are served by services/common/src/app.ts; they are not user traffic. */
export const EXCLUDED_ROUTES: readonly string[] = ['/health', '/ready', '/metrics'];
export const NOT_PROBES = `route!~"${EXCLUDED_ROUTES.join('|')}"`;

export interface QueryOptions {
  /** One value per series (stat, gauge, table) instead of a range. */
  readonly instant?: boolean;
  /** Table format: one row per series with its labels as columns. */
  readonly table?: boolean;
}

/** A PromQL target on the Prometheus data source. */
export function query(
  expr: string,
  legend = '__auto',
  options: QueryOptions = {},
): prometheus.DataqueryBuilder {
  const target = new prometheus.DataqueryBuilder().datasource(PROMETHEUS).expr(expr).legendFormat(legend);
  if (options.instant === true) target.instant();
  else target.range();
  if (options.table === true) target.format(prometheus.PromQueryFormat.Table);
  return target;
}

export interface PanelOptions {
  readonly description?: string;
  /** Width on the 24-column grid. @default 12 */
  readonly span?: number;
  /** Height in grid rows. @default 8 */
  readonly height?: number;
  readonly min?: number;
  readonly max?: number;
  /** Stack series (shares of a whole, e.g. pods per phase). @default false */
  readonly stack?: boolean;
  /** Threshold steps above a green base, e.g. [[0.01, 'orange'], [0.05, 'red']]. */
  readonly thresholds?: readonly (readonly [number, string])[];
  /** Colour below the first threshold. @default 'green' */
  readonly base?: string;
  readonly decimals?: number;
  /** Value to text mappings, e.g. replica set states. */
  readonly mappings?: readonly dashboard.ValueMapping[];
}

function thresholds(
  steps: readonly (readonly [number, string])[],
  base: string,
): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder()
    .mode(dashboard.ThresholdsMode.Absolute)
    .steps([{ value: null, color: base }, ...steps.map(([value, color]) => ({ value, color }))]);
}

interface CommonPanel<T> {
  title(title: string): T;
  description(description: string): T;
  datasource(datasource: common.DataSourceRef): T;
  unit(unit: string): T;
  span(w: number): T;
  height(h: number): T;
  min(min: number): T;
  decimals(decimals: number): T;
  max(max: number): T;
  thresholds(thresholds: cog.Builder<dashboard.ThresholdsConfig>): T;
  mappings(mappings: dashboard.ValueMapping[]): T;
  withTarget(target: cog.Builder<cog.Dataquery>): T;
}

function configure<T extends CommonPanel<T>>(
  panel: T,
  title: string,
  unit: string,
  targets: readonly prometheus.DataqueryBuilder[],
  options: PanelOptions,
): T {
  panel
    .title(title)
    .datasource(PROMETHEUS)
    .unit(unit)
    .span(options.span ?? 12)
    .height(options.height ?? 8);
  if (options.description !== undefined) panel.description(options.description);
  if (options.decimals !== undefined) panel.decimals(options.decimals);
  if (options.min !== undefined) panel.min(options.min);
  if (options.max !== undefined) panel.max(options.max);
  if (options.thresholds !== undefined)
    panel.thresholds(thresholds(options.thresholds, options.base ?? 'green'));
  if (options.mappings !== undefined) panel.mappings([...options.mappings]);
  for (const target of targets) panel.withTarget(target);
  return panel;
}

export function timeSeries(
  title: string,
  unit: string,
  targets: readonly prometheus.DataqueryBuilder[],
  options: PanelOptions = {},
): timeseries.PanelBuilder {
  const panel = configure(new timeseries.PanelBuilder(), title, unit, targets, options)
    .lineWidth(1)
    .fillOpacity(options.stack === true ? 30 : 10)
    .legend(
      new common.VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.Table)
        .placement(common.LegendPlacement.Bottom)
        .calcs(['lastNotNull', 'max']),
    );
  if (options.stack === true)
    panel.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
  if (options.thresholds !== undefined) {
    // Draw the thresholds as dashed lines, so "how close to the limit" reads at a glance.
    panel.thresholdsStyle(
      new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed),
    );
  }
  return panel;
}

export function statPanel(
  title: string,
  unit: string,
  targets: readonly prometheus.DataqueryBuilder[],
  options: PanelOptions = {},
): stat.PanelBuilder {
  return configure(new stat.PanelBuilder(), title, unit, targets, { span: 6, height: 4, ...options })
    .graphMode(common.BigValueGraphMode.Area)
    .colorMode(common.BigValueColorMode.Value)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));
}

export function gaugePanel(
  title: string,
  unit: string,
  targets: readonly prometheus.DataqueryBuilder[],
  options: PanelOptions = {},
): gauge.PanelBuilder {
  return configure(new gauge.PanelBuilder(), title, unit, targets, { span: 6, height: 6, ...options })
    .showThresholdMarkers(true)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));
}

export function tablePanel(
  title: string,
  unit: string,
  targets: readonly prometheus.DataqueryBuilder[],
  options: PanelOptions = {},
): table.PanelBuilder {
  // Instant queries in table format, merged on their labels into one row per series.
  return configure(new table.PanelBuilder(), title, unit, targets, { span: 24, ...options })
    .withTransformation({ id: 'merge', options: {} })
    .withTransformation({
      id: 'organize',
      options: { excludeByName: { Time: true } },
    });
}

export interface VariableOptions {
  readonly label: string;
  /** Preselected value (a namespace, or `$__all`). */
  readonly current?: string;
  readonly multi?: boolean;
  readonly includeAll?: boolean;
  /** Only values matching this regex are offered, e.g. the platform's services. */
  readonly regex?: string;
}

/**
 * A variable from `label_values(<selector>, <label>)`; the selector is PromQL and goes through the same checks
 * as the panels' expressions (dashboardQueries lists it).
 */
export function labelValuesVariable(
  name: string,
  selector: string,
  label: string,
  options: VariableOptions,
): dashboard.QueryVariableBuilder {
  const definition = `label_values(${selector}, ${label})`;
  const variable = new dashboard.QueryVariableBuilder(name)
    .label(options.label)
    .datasource(PROMETHEUS)
    .query({ qryType: 1, query: definition, refId: 'PrometheusVariableQueryEditor-VariableQuery' })
    .definition(definition)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .multi(options.multi ?? false)
    .includeAll(options.includeAll ?? false);
  if (options.includeAll === true) variable.allValue('.*');
  // Grafana reads /.../ as a JavaScript regex; without the slashes it anchors the text once more.
  if (options.regex !== undefined) variable.regex(`/${options.regex}/`);
  if (options.current !== undefined) {
    const all = options.current === '$__all';
    variable.current({ selected: true, text: all ? 'All' : options.current, value: options.current });
  }
  return variable;
}

/** A PromQL-safe regex matching exactly one of `values`. */
export function anyOf(values: readonly string[]): string {
  return `^(${values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`;
}
