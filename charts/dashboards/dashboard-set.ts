import type * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { businessKpisDashboard } from './business-kpis';
import { clusterCapacityDashboard } from './cluster-capacity';
import { resolveDashboardsProps, type DashboardsProps } from './dashboards-props';
import { kafkaDashboard } from './kafka-dashboard';
import { mongodbDashboard } from './mongodb-dashboard';
import { redisDashboard } from './redis-dashboard';
import { serviceDetailDashboard } from './service-detail';
import { servicesOverviewDashboard } from './services-overview';

/** Every dashboard of the platform, in the order Grafana's list shows them. */
export function buildDashboards(props: DashboardsProps): dashboard.Dashboard[] {
  const resolved = resolveDashboardsProps(props);
  const dashboards = [
    servicesOverviewDashboard(resolved),
    serviceDetailDashboard(resolved),
    businessKpisDashboard(resolved),
    mongodbDashboard(resolved),
    redisDashboard(resolved),
    kafkaDashboard(resolved),
    clusterCapacityDashboard(resolved),
  ];
  for (const built of dashboards) {
    layOut(built);
    // Stable panel ids (Grafana links to panels by id), numbered in layout order.
    let id = 1;
    for (const panel of panelsOf(built)) panel.id = id++;
  }
  return dashboards;
}

/**
 * Places the panels left to right, starting a new line when the next one would not fit the 24 columns (the
 * SDK's builder only wraps after a line is full or overflown) and a full-width line for each row.
 */
function layOut(built: dashboard.Dashboard): void {
  let x = 0;
  let y = 0;
  let lineHeight = 0;
  for (const panel of built.panels ?? []) {
    const w = panel.gridPos?.w ?? 12;
    const h = panel.gridPos?.h ?? 8;
    if (panel.type === 'row') {
      y += lineHeight;
      panel.gridPos = { x: 0, y, w: 24, h: 1 };
      y += 1;
      x = 0;
      lineHeight = 0;
      continue;
    }
    if (x + w > 24) {
      y += lineHeight;
      x = 0;
      lineHeight = 0;
    }
    panel.gridPos = { x, y, w, h };
    x += w;
    lineHeight = Math.max(lineHeight, h);
  }
}

type AnyPanel = dashboard.Panel | dashboard.RowPanel;

/** Panels and rows in layout order, the panels of collapsed rows after their row. */
export function panelsOf(built: dashboard.Dashboard): AnyPanel[] {
  return (built.panels ?? []).flatMap((panel): AnyPanel[] =>
    panel.type === 'row' ? [panel, ...((panel as dashboard.RowPanel).panels ?? [])] : [panel],
  );
}

export interface DashboardQuery {
  /** The dashboard's uid. */
  readonly dashboard: string;
  /** The panel's title, or `$<name>` for a variable's label_values selector. */
  readonly panel: string;
  /** PromQL with Grafana's variables ($namespace, $__rate_interval, ...) still in it. */
  readonly expr: string;
}

const LABEL_VALUES = /^label_values\((.*),\s*([a-zA-Z_][a-zA-Z0-9_]*)\)$/s;

/** Every PromQL expression of every dashboard: each panel target, and each variable's label_values selector. */
export function dashboardQueries(props: DashboardsProps): DashboardQuery[] {
  return buildDashboards(props).flatMap((built) => queriesOf(built));
}

export function queriesOf(built: dashboard.Dashboard): DashboardQuery[] {
  const uid = built.uid ?? built.title ?? '';
  const found: DashboardQuery[] = [];
  for (const variable of built.templating?.list ?? []) {
    if (variable.type !== 'query') continue;
    const definition = variable.definition ?? '';
    const match = LABEL_VALUES.exec(definition);
    if (match?.[1] === undefined) {
      throw new Error(
        `${uid}: variable ${variable.name} is not label_values(<selector>, <label>) (got ${definition})`,
      );
    }
    found.push({ dashboard: uid, panel: `$${variable.name}`, expr: match[1] });
  }
  for (const panel of panelsOf(built)) {
    if (panel.type === 'row') continue;
    for (const target of (panel as dashboard.Panel).targets ?? []) {
      const expr = (target as { expr?: unknown }).expr;
      if (typeof expr === 'string') found.push({ dashboard: uid, panel: panel.title ?? '', expr });
    }
  }
  return found;
}
