import { randomUUID } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { getRouteTemplate } from './route-template';

export const REQUEST_ID_HEADER = 'x-request-id';

// Accept upstream ids (gateway, other services) only when they cannot inject into logs or headers.
const SANE_REQUEST_ID = /^[A-Za-z0-9._:+/=-]{1,128}$/;

// Probes and scrapes arrive every few seconds per pod; at info level they would drown real traffic.
const QUIET_PATHS = new Set(['/health', '/ready', '/metrics']);

interface RequestContext {
  readonly requestId: string;
  readonly log: Logger;
}

const contexts = new WeakMap<Response, RequestContext>();

function pickRequestId(req: Request): string {
  const incoming = req.get(REQUEST_ID_HEADER);
  return incoming !== undefined && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * Gives every request an id (reused from `x-request-id` when sane), echoes it on the response, binds a
 * child logger carrying it, and writes one access log line when the response ends.
 */
export function requestContext(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const path = req.path; // read now: mounted routers rewrite it while the request is routed
    const requestId = pickRequestId(req);
    const log = logger.child({ requestId });
    contexts.set(res, { requestId, log });
    res.setHeader(REQUEST_ID_HEADER, requestId);

    res.once('close', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      const fields = {
        method: req.method,
        path, // never the query string: it may carry tokens or personal data
        route: getRouteTemplate(req),
        status: res.writableFinished ? res.statusCode : 499,
        durationMs: Math.round(durationMs * 1000) / 1000,
      };
      const quiet = QUIET_PATHS.has(path) && res.statusCode < 400;
      log[quiet ? 'debug' : 'info'](fields, res.writableFinished ? 'request completed' : 'request aborted');
    });
    next();
  };
}

/** The logger bound to this request's id. Throws when requestContext is not installed (a wiring bug). */
export function getRequestLogger(res: Response, fallback?: Logger): Logger {
  const log = contexts.get(res)?.log ?? fallback;
  if (!log) throw new Error('requestContext middleware is not installed');
  return log;
}

export function getRequestId(res: Response): string | undefined {
  return contexts.get(res)?.requestId;
}
