import express from 'express';
import type { Express, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { ServiceConfig } from './config';
import { errorHandler, notFoundHandler } from './error-handler';
import { jsonBody } from './json-body';
import type { Metrics } from './metrics';
import { createMetrics, renderMetrics } from './metrics';
import type { ReadinessCheck } from './readiness';
import { runReadinessChecks } from './readiness';
import { requestObserver } from './request-observer';
import { captureRouteTemplates } from './route-template';

/** What a service's routes get: the app's registry for business metrics and the app logger. */
export interface RouteContext {
  readonly registry: Registry;
  readonly logger: Logger;
}

export interface AppOptions {
  readonly config: ServiceConfig;
  readonly logger: Logger;
  /** The service's API, mounted after the platform endpoints and the JSON body parser. */
  /** One router, or several mounted side by side (each nesting level is a router pass on every request). */
  readonly routes?: (context: RouteContext) => RequestHandler | readonly RequestHandler[];
  /** Named dependency checks behind /ready, e.g. `{ mongo: () => client.ping() }`. */
  readonly readinessChecks?: Readonly<Record<string, ReadinessCheck>>;
  readonly readinessTimeoutMs?: number;
  /** Largest accepted JSON body (bytes or a size string such as `100kb`). */
  readonly bodyLimit?: string | number;
  /**
   * The registry behind /metrics; a new one by default. Pass one when clients made before the app (e.g.
   * HttpServiceClient) already record into it. Each app needs its own: the RED metrics are added to it.
   */
  readonly registry?: Registry;
}

export interface ServiceApp {
  readonly app: Express;
  readonly config: ServiceConfig;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Once called, /ready answers 503 and responses ask clients to close their connection. */
  beginShutdown(): void;
  isShuttingDown(): boolean;
}

/** Builds the Express app with the platform's middleware, probes, metrics and error handling. */
export function createApp(options: AppOptions): ServiceApp {
  const { config, logger } = options;
  const checks = options.readinessChecks ?? {};
  const readinessTimeoutMs = options.readinessTimeoutMs ?? 2000;
  const metrics = createMetrics(config, options.registry);
  let shuttingDown = false;

  const app = express();
  app.disable('x-powered-by');
  captureRouteTemplates(app);
  app.use(requestObserver({ logger, metrics, isShuttingDown: () => shuttingDown }));

  const ready = async (res: Response) => {
    if (shuttingDown) {
      res.status(503).json({ status: 'shutting_down' });
      return;
    }
    const report = await runReadinessChecks(checks, readinessTimeoutMs);
    const failed = Object.keys(report.checks).filter((name) => report.checks[name] !== 'ok');
    if (failed.length > 0) {
      // Error details stay in the log: they may contain hostnames or connection strings.
      const errors = Object.fromEntries(
        Object.entries(report.errors).map(([name, err]) => [
          name,
          err instanceof Error ? err.message : String(err),
        ]),
      );
      logger.warn({ checks: report.checks, errors }, 'readiness check failed');
    }
    res.status(report.ready ? 200 : 503).json({
      status: report.ready ? 'ready' : 'not_ready',
      checks: report.checks,
      ...(failed.length > 0 && { failed }),
    });
  };
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/ready', (_req, res) => ready(res));
  // OpenMetrics (exemplars: trace ids on the latency buckets) for scrapers that ask for it, like
  // Prometheus; the classic text format otherwise.
  app.get('/metrics', async (req, res) => {
    const { contentType, body } = await renderMetrics(metrics.registry, req.get('accept'));
    res.type(contentType).send(body);
  });

  app.use(jsonBody(options.bodyLimit ?? '100kb'));
  if (options.routes) app.use([options.routes({ registry: metrics.registry, logger })].flat());
  app.use(notFoundHandler);
  app.use(errorHandler(logger));

  return {
    app,
    config,
    logger,
    metrics,
    beginShutdown: () => {
      shuttingDown = true;
    },
    isShuttingDown: () => shuttingDown,
  };
}
