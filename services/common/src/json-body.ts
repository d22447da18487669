import express from 'express';
import type { RequestHandler } from 'express';
import { HttpError } from './errors';

/**
 * JSON body parsing with a size limit. A body sent with another content type is refused with 415:
 * otherwise the parser skips it and the handler would report a confusing "body is required".
 */
export function jsonBody(limit: string | number): RequestHandler[] {
  const requireJson: RequestHandler = (req, _res, next) => {
    const hasBody =
      req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (hasBody && req.body === undefined && !req.is('application/json')) {
      next(new HttpError(415, 'unsupported_media_type', 'Request body must be sent as application/json'));
      return;
    }
    next();
  };
  return [express.json({ limit }), requireJson];
}
