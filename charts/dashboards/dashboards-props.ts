import type { ServiceSlo } from '../slo';

export interface DashboardsProps {
  /** Namespace of the dashboard ConfigMaps: the one the Grafana sidecar of kube-prometheus-stack watches. */
  readonly namespace: string;
  /** dev, qat, uat or prod: part of every dashboard's title and tags, so screenshots say where they came from. */
  readonly environment: string;
  /**
   * The services the application dashboards offer in their `service` variable (the `service` label of their
   * metrics), e.g. ['user', 'product', 'order', 'notification', 'analytics'].
   */
  readonly services: readonly string[];
  /**
   * Namespace the services run in: the default of the application dashboards' `namespace` variable.
   * @default 'apps'
   */
  readonly appsNamespace?: string;
  /**
   * Namespace of MongoDB, Redis and Kafka: the default of the data dashboards' `namespace` variable.
   * @default 'data'
   */
  readonly dataNamespace?: string;
  /**
   * The services' objectives (charts/slo). The service detail dashboard draws each one's latency threshold and
   * reads its slow-request ratio per track with slowRatioQuery; without them the SLO panels still show the
   * recorded SLIs, burn rates and budgets (their objectives come from the slo:objective:* series).
   * @default []
   */
  readonly slos?: readonly ServiceSlo[];
}

/** Props with every default applied, once. */
export interface ResolvedDashboardsProps {
  readonly namespace: string;
  readonly environment: string;
  readonly services: readonly string[];
  readonly appsNamespace: string;
  readonly dataNamespace: string;
  readonly slos: readonly ServiceSlo[];
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function requireDnsLabel(field: string, value: unknown): void {
  if (typeof value !== 'string' || !DNS_LABEL.test(value)) {
    throw new Error(
      `dashboards.${field} must be a DNS-1123 label (lowercase letters, digits, -) (got ${JSON.stringify(value)})`,
    );
  }
}

/** Applies the defaults and refuses values that would render broken selectors. */
export function resolveDashboardsProps(props: DashboardsProps): ResolvedDashboardsProps {
  const resolved: ResolvedDashboardsProps = {
    namespace: props.namespace,
    environment: props.environment,
    services: props.services,
    appsNamespace: props.appsNamespace ?? 'apps',
    dataNamespace: props.dataNamespace ?? 'data',
    slos: props.slos ?? [],
  };
  requireDnsLabel('namespace', resolved.namespace);
  requireDnsLabel('environment', resolved.environment);
  requireDnsLabel('appsNamespace', resolved.appsNamespace);
  requireDnsLabel('dataNamespace', resolved.dataNamespace);
  if (resolved.services.length === 0) {
    throw new Error('dashboards.services must name at least one service (got [])');
  }
  resolved.services.forEach((service, i) => requireDnsLabel(`services[${i}]`, service));
  if (new Set(resolved.services).size !== resolved.services.length) {
    throw new Error(
      `dashboards.services must not repeat a service (got ${JSON.stringify(resolved.services)})`,
    );
  }
  resolved.slos.forEach((slo, i) => {
    if (!resolved.services.includes(slo.service)) {
      throw new Error(
        `dashboards.slos[${i}].service must be one of dashboards.services (${resolved.services.join(', ')}) (got ${JSON.stringify(slo.service)})`,
      );
    }
  });
  return resolved;
}
