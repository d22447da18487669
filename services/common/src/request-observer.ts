import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Metrics } from './metrics';
import { recordRequest, requestExemplar } from './metrics';
import { beginRequestContext, writeAccessLog } from './request-context';
import { getRouteTemplate } from './route-template';
import { setSecurityHeaders } from './security-headers';

export interface RequestObserverOptions {
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** True once shutdown began: responses then ask keep-alive clients to close their connection. */
  readonly isShuttingDown: () => boolean;
}

/**
 * Everything the platform does around each request, as one middleware with one `close` listener: the
 * request id and its logger, the security headers, `Connection: close` during shutdown, and when the
 * response ends the RED metrics and the access log line. It replaces four middlewares and two listeners:
 * each Express layer and each listener costs on every request, which issue 17's profile measured.
 */
export function requestObserver(options: RequestObserverOptions): RequestHandler {
  const { logger, metrics, isShuttingDown } = options;
  return (req, res, next) => {
    const started = performance.now();
    const path = beginRequestContext(logger, req, res);
    setSecurityHeaders(res);
    // Keep-alive clients would otherwise keep sending to a pod that is going away.
    if (isShuttingDown()) res.setHeader('Connection', 'close');
    // Read now: the request's server span is the active one while the middleware runs.
    const exemplar = requestExemplar();
    res.once('close', () => {
      const durationMs = performance.now() - started;
      // 499 (client closed request) keeps aborted requests apart from ones we actually answered.
      const status = res.writableFinished ? res.statusCode : 499;
      const route = getRouteTemplate(req);
      recordRequest(
        metrics,
        { method: req.method, route, status: String(status) },
        durationMs / 1000,
        exemplar,
      );
      writeAccessLog(req, res, path, route, status, durationMs);
    });
    next();
  };
}
