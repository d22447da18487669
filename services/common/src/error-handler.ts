import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { HttpError, NotFoundError, ValidationError } from './errors';
import { getRequestId, getRequestLogger } from './request-context';

/** The shape of errors from body-parser, http-errors and the router (bad URI encoding). */
interface ClientError {
  status: number;
  type?: string;
  expose?: boolean;
  limit?: number;
  message: string;
}

function asClientError(err: unknown): ClientError | undefined {
  if (!(err instanceof Error)) return undefined;
  const e = err as Error & Partial<Record<'status' | 'statusCode' | 'type' | 'expose' | 'limit', unknown>>;
  const status = typeof e.status === 'number' ? e.status : e.statusCode;
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  return {
    status,
    message: e.message,
    ...(typeof e.type === 'string' && { type: e.type }),
    ...(typeof e.expose === 'boolean' && { expose: e.expose }),
    ...(typeof e.limit === 'number' && { limit: e.limit }),
  };
}

function clientErrorBody(err: ClientError): { error: string; message: string } {
  switch (err.type) {
    case 'entity.parse.failed':
      return { error: 'malformed_json', message: `Request body is not valid JSON: ${err.message}` };
    case 'entity.too.large':
      return {
        error: 'payload_too_large',
        message: `Request body is larger than the limit of ${err.limit ?? '?'} bytes`,
      };
    default:
      return {
        error: (STATUS_CODES[err.status] ?? 'bad request').toLowerCase().replace(/[^a-z]+/g, '_'),
        // http-errors marks which messages are written for clients; others could leak internals.
        message: err.expose === false ? (STATUS_CODES[err.status] ?? 'Bad request') : err.message,
      };
  }
}

/** Unknown routes become a JSON 404 through the same error path as everything else. */
export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new NotFoundError(`No route for ${req.method} ${req.path}`));
};

/**
 * The one place errors become responses. Known errors keep their status and code; anything else is a
 * 500 whose body carries only the request id, while the stack goes to the log.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, next) => {
    const log = getRequestLogger(res, logger);
    const requestId = getRequestId(res);
    if (res.headersSent) {
      // Too late for a clean error body; Express's final handler ends the connection.
      log.error({ err }, 'error after response started');
      next(err);
      return;
    }

    if (err instanceof HttpError) {
      const details = err instanceof ValidationError ? { details: err.details } : {};
      res.status(err.status).json({ error: err.code, message: err.message, ...details, requestId });
      return;
    }

    const clientError = asClientError(err);
    if (clientError) {
      log.info({ err: { type: clientError.type, message: clientError.message } }, 'rejected request');
      res.status(clientError.status).json({ ...clientErrorBody(clientError), requestId });
      return;
    }

    log.error({ err }, 'unhandled error');
    res.status(500).json({ error: 'internal', message: 'Internal server error', requestId });
  };
}
