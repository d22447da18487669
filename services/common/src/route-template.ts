import type { Request, RequestHandler } from 'express';

const templates = new WeakMap<Request, string>();

/**
 * Records the matched route template (`/api/products/:id`) as soon as the router picks a route.
 * Reading `req.baseUrl + req.route.path` when the response finishes is wrong once an error leaves a
 * mounted router, because the router restores `req.baseUrl` on exit; so we catch the assignment instead.
 * Must run before any router.
 */
export const captureRouteTemplate: RequestHandler = (req, _res, next) => {
  let route: unknown = req.route;
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => route,
    set: (value: unknown) => {
      route = value;
      const path = (value as { path?: unknown } | undefined)?.path;
      if (typeof path === 'string') templates.set(req, `${req.baseUrl}${path}`);
    },
  });
  next();
};

/** The route template of the request, or `unmatched` when no route handled it (404s, parser errors). */
export function getRouteTemplate(req: Request): string {
  return templates.get(req) ?? 'unmatched';
}
