import type { RequestHandler } from 'express';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ServiceConfig } from './config';
import { getRouteTemplate } from './route-template';

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
  const httpRequestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency from first byte in to response end',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return { registry, httpRequestsTotal, httpRequestDuration };
}

/** Observes each request once when its response ends; the route label is a template, never a raw URL. */
export function metricsMiddleware(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const stopTimer = metrics.httpRequestDuration.startTimer();
    res.once('close', () => {
      const labels = {
        method: req.method,
        route: getRouteTemplate(req),
        // 499 (client closed request) keeps aborted requests apart from ones we actually answered.
        status: String(res.writableFinished ? res.statusCode : 499),
      };
      stopTimer(labels);
      metrics.httpRequestsTotal.inc(labels);
    });
    next();
  };
}
