import { TraceFlags, context, trace } from '@opentelemetry/api';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RegistryContentType } from 'prom-client';
import type { ServiceConfig } from './config';

// Re-exported so services add business metrics (and make a registry for clients built before the app)
// without depending on prom-client themselves.
export { Counter, Gauge, Histogram, Registry } from 'prom-client';

type HttpLabel = 'method' | 'route' | 'status';

/** RED metrics of one app. Each app owns its Registry so tests can build many apps in one process. */
export interface Metrics {
  readonly registry: Registry;
  readonly httpRequestsTotal: Counter<HttpLabel>;
  readonly httpRequestDuration: Histogram<HttpLabel>;
}

// prom-client types a registry by the one format it was made with; these switch it (see renderMetrics).
const anyFormat = (registry: Registry): Registry<RegistryContentType> =>
  registry as unknown as Registry<RegistryContentType>;

/** RED metrics on `registry` (a new one by default), with the service's labels on every series. */
export function createMetrics(
  config: Pick<ServiceConfig, 'serviceName' | 'serviceVersion' | 'track'>,
  registry: Registry = new Registry(),
): Metrics {
  // Default labels land on every series, including the service's own counters and process metrics,
  // which is what the canary analysis needs to compare tracks of one version against another.
  registry.setDefaultLabels({
    service: config.serviceName,
    version: config.serviceVersion,
    track: config.track,
  });
  collectDefaultMetrics({ register: registry });

  const labelNames: HttpLabel[] = ['method', 'route', 'status'];
  const httpRequestsTotal = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests handled, by route template and status code',
    labelNames,
    registers: [registry],
  });
  // prom-client accepts exemplars only on a registry that is in OpenMetrics mode when the metric is made;
  // the registry goes back to its own format at once (renderMetrics picks the format per scrape).
  const contentType = registry.contentType;
  anyFormat(registry).setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  const httpRequestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency from first byte in to response end',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
    // Each bucket keeps its latest sampled request's trace id: from a latency spike to its trace.
    enableExemplars: true,
  });
  anyFormat(registry).setContentType(contentType);
  return { registry, httpRequestsTotal, httpRequestDuration };
}

/** The exemplar for this request: the trace id of the active server span when it is sampled, else none. */
export function requestExemplar(): Partial<Record<string, string>> {
  const span = trace.getSpanContext(context.active());
  return span !== undefined && (span.traceFlags & TraceFlags.SAMPLED) !== 0
    ? { trace_id: span.traceId }
    : NO_EXEMPLAR;
}
const NO_EXEMPLAR: Partial<Record<string, string>> = Object.freeze({});

/** Records one answered request; the route label is a template, never a raw URL. */
export function recordRequest(
  metrics: Metrics,
  labels: { readonly method: string; readonly route: string; readonly status: string },
  seconds: number,
  exemplarLabels: Partial<Record<string, string>>,
): void {
  metrics.httpRequestDuration.observe({ labels, value: seconds, exemplarLabels });
  metrics.httpRequestsTotal.inc(labels);
}

const OPENMETRICS = /application\/openmetrics-text/i;
const rendering = new WeakMap<Registry, Promise<unknown>>();

/**
 * The registry's metrics in the format the scraper asks for: OpenMetrics (with exemplars) when `accept`
 * names application/openmetrics-text, as Prometheus does, else the classic text format. One registry has
 * one format at a time and its OpenMetrics rendering renames counters (drops `_total` from their names),
 * so renders of a registry take turns and each puts format and names back.
 */
export function renderMetrics(
  registry: Registry,
  accept: string | undefined,
): Promise<{ contentType: string; body: string }> {
  const contentType =
    accept !== undefined && OPENMETRICS.test(accept)
      ? Registry.OPENMETRICS_CONTENT_TYPE
      : Registry.PROMETHEUS_CONTENT_TYPE;
  const render = async () => {
    const own = registry.contentType;
    const metrics = registry.getMetricsAsArray() as unknown as { name: string }[];
    const names = metrics.map((m) => m.name);
    anyFormat(registry).setContentType(contentType);
    try {
      return { contentType, body: await registry.metrics() };
    } finally {
      metrics.forEach((m, i) => (m.name = names[i]!));
      anyFormat(registry).setContentType(own);
    }
  };
  const previous = rendering.get(registry) ?? Promise.resolve();
  const next = previous.then(render, render);
  rendering.set(
    registry,
    next.catch(() => undefined),
  );
  return next;
}
