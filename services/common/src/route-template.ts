import type { Express, Request } from 'express';

// Slots on the request object itself: cheaper than a WeakMap lookup per request.
const ROUTE = Symbol('route');
const TEMPLATE = Symbol('routeTemplate');
type WithTemplate = Request & { [ROUTE]?: unknown; [TEMPLATE]?: string };

/**
 * Records the matched route template (`/api/products/:id`) as soon as the router picks a route.
 * Reading `req.baseUrl + req.route.path` when the response finishes is wrong once an error leaves a
 * mounted router, because the router restores `req.baseUrl` on exit; so we catch the assignment instead.
 * The accessor sits once on the app's request prototype (Express gives every request that prototype):
 * defining it on each request, as this did before, turned every request object into a slow dictionary
 * and cost about a tenth of a request's CPU time (issue 17's profile). Apps mounted inside `app` keep
 * their own prototype and are not covered; the services mount routers.
 */
export function captureRouteTemplates(app: Express): void {
  Object.defineProperty(app.request, 'route', {
    configurable: true,
    enumerable: true,
    get(this: WithTemplate): unknown {
      return this[ROUTE];
    },
    set(this: WithTemplate, value: unknown) {
      this[ROUTE] = value;
      const path = (value as { path?: unknown } | undefined)?.path;
      if (typeof path === 'string') this[TEMPLATE] = `${this.baseUrl}${path}`;
    },
  });
}

/** The route template of the request, or `unmatched` when no route handled it (404s, parser errors). */
export function getRouteTemplate(req: Request): string {
  return (req as WithTemplate)[TEMPLATE] ?? 'unmatched';
}
