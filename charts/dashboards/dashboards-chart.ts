import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { standardLabels } from '../lib';
import { buildDashboards } from './dashboard-set';
import type { DashboardsProps } from './dashboards-props';

/** The label the kube-prometheus-stack Grafana sidecar looks for (its default `sidecar.dashboards.label`). */
export const GRAFANA_DASHBOARD_LABEL = 'grafana_dashboard';

/**
 * The platform's Grafana dashboards, one ConfigMap each (`<uid>.json`), for the Grafana sidecar of
 * kube-prometheus-stack to load. Pure: the dashboards are built with the Grafana Foundation SDK from props.
 */
export class DashboardsChart extends Chart {
  constructor(scope: Construct, id: string, props: DashboardsProps) {
    super(scope, id);
    for (const built of buildDashboards(props)) {
      const uid = built.uid ?? '';
      new ApiObject(this, `dashboard-${uid}`, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: `dashboard-${uid}`,
          namespace: props.namespace,
          labels: {
            ...standardLabels('grafana-dashboards', 'platform', { component: 'dashboards' }),
            [GRAFANA_DASHBOARD_LABEL]: '1',
          },
          // With the sidecar's folderAnnotation set to grafana_folder, the dashboards land in this folder.
          annotations: { grafana_folder: 'Platform' },
        },
        data: { [`${uid}.json`]: JSON.stringify(built, null, 2) },
      });
    }
  }
}
