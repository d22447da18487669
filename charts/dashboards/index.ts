export { buildDashboards, dashboardQueries, panelsOf, queriesOf, type DashboardQuery } from './dashboard-set';
export { DashboardsChart, GRAFANA_DASHBOARD_LABEL } from './dashboards-chart';
export {
  resolveDashboardsProps,
  type DashboardsProps,
  type ResolvedDashboardsProps,
} from './dashboards-props';
export { EXTERNAL_METRICS, externalMetricNames, type Exporter } from './external-metrics';
export { KAFKA_BEANS, KAFKA_JMX_METRICS, jmxMetricName } from './jmx-metric-name';
export { PROMETHEUS_UID } from './panel-kit';
export { metricNames } from './promql-metric-names';
export { BUSINESS_KPIS_UID } from './business-kpis';
export { CLUSTER_CAPACITY_UID } from './cluster-capacity';
export { KAFKA_UID } from './kafka-dashboard';
export { MONGODB_UID } from './mongodb-dashboard';
export { REDIS_UID } from './redis-dashboard';
export { SERVICE_DETAIL_UID } from './service-detail';
export { SERVICES_OVERVIEW_UID } from './services-overview';
