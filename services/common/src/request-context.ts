import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';

export const REQUEST_ID_HEADER = 'x-request-id';

// Accept upstream ids (gateway, other services) only when they cannot inject into logs or headers.
const SANE_REQUEST_ID = /^[A-Za-z0-9._:+/=-]{1,128}$/;

// Probes and scrapes arrive every few seconds per pod; at info level they would drown real traffic.
const QUIET_PATHS = new Set(['/health', '/ready', '/metrics']);

interface RequestContext {
  readonly requestId: string;
  readonly base: Logger;
  /** The child logger bound to the request id, made on first use: most requests only write the access line. */
  log?: Logger;
}

// A slot on the response object: cheaper than a WeakMap lookup per request.
const CONTEXT = Symbol('requestContext');
type WithContext = Response & { [CONTEXT]?: RequestContext };

function pickRequestId(req: Request): string {
  const incoming = req.headers[REQUEST_ID_HEADER];
  return typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * Gives the request its id (reused from `x-request-id` when sane), echoes it and binds the lazy logger.
 * Returns `req.path` as it arrived: mounted routers rewrite it while the request is routed.
 */
export function beginRequestContext(logger: Logger, req: Request, res: Response): string {
  const requestId = pickRequestId(req);
  (res as WithContext)[CONTEXT] = { requestId, base: logger };
  res.setHeader(REQUEST_ID_HEADER, requestId);
  return req.path;
}

/** Writes the request's one access log line (debug for quiet probe paths); `path` from beginRequestContext. */
export function writeAccessLog(
  req: Request,
  res: Response,
  path: string,
  route: string,
  status: number,
  durationMs: number,
): void {
  const context = (res as WithContext)[CONTEXT];
  if (context === undefined) return;
  const quiet = QUIET_PATHS.has(path) && status < 400;
  const level = quiet ? 'debug' : 'info';
  const log = context.log ?? context.base;
  if (!log.isLevelEnabled(level)) return;
  const fields = {
    // The same line whether or not a handler asked for the request's logger.
    ...(context.log === undefined && { requestId: context.requestId }),
    method: req.method,
    path, // never the query string: it may carry tokens or personal data
    route,
    status,
    durationMs: Math.round(durationMs * 1000) / 1000,
  };
  log[level](fields, res.writableFinished ? 'request completed' : 'request aborted');
}

/** The logger bound to this request's id. Throws when requestContext is not installed (a wiring bug). */
export function getRequestLogger(res: Response, fallback?: Logger): Logger {
  const context = (res as WithContext)[CONTEXT];
  if (context !== undefined) return (context.log ??= context.base.child({ requestId: context.requestId }));
  if (!fallback) throw new Error('requestContext middleware is not installed');
  return fallback;
}

export function getRequestId(res: Response): string | undefined {
  return (res as WithContext)[CONTEXT]?.requestId;
}
