import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { standardLabels } from '../lib';

/** One backend of a route; several share the traffic by weight (the delivery strategies split them). */
export interface RouteBackend {
  /** Service name in the route's namespace. */
  readonly name: string;
  readonly port: number;
  /** @default 1 (Gateway API's default) */
  readonly weight?: number;
}

export interface PublicRouteProps {
  /** Name of the HTTPRoute (the service's name). */
  readonly name: string;
  /** Namespace of the route and its backends. */
  readonly namespace: string;
  /** The Gateway the route attaches to. */
  readonly gateway: { readonly namespace: string; readonly name: string };
  /** The Gateway's HTTPS listeners: routes attach to these only, never to the plain-HTTP listener. */
  readonly listeners: readonly string[];
  readonly hostnames: readonly string[];
  /** Path prefixes routed to the backends; nothing else of the service is reachable from outside. */
  readonly pathPrefixes: readonly string[];
  readonly backends: readonly RouteBackend[];
  /** Edge behaviour of the route: one BackendTrafficPolicy per generated route. */
  readonly traffic: RouteTraffic;
  /**
   * Strict-Transport-Security max-age in seconds, sent with every answer.
   * @default 31536000 (one year)
   */
  readonly hstsMaxAgeSeconds?: number;
}

/** Timeouts, retries, circuit breaking and the edge rate limit of a route (Envoy Gateway BackendTrafficPolicy). */
export interface RouteTraffic {
  /** Gateway API duration, e.g. "15s". */
  readonly requestTimeout: string;
  /** Retries of requests that never reached a backend; 0 turns retries off. */
  readonly retries: number;
  readonly circuitBreaker: {
    readonly maxConnections: number;
    readonly maxPendingRequests: number;
    readonly maxParallelRequests: number;
  };
  /** Requests per minute per client IP (per proxy replica: local rate limiting). */
  readonly requestsPerMinute: number;
  /**
   * Stricter limits for paths under the route's prefixes. Each becomes a route of its own (the longest
   * prefix wins) with its own policy, since a policy applies to a whole route.
   * @default {}
   */
  readonly pathLimits?: Readonly<Record<string, number>>;
}

/** HSTS for every answer of a route: browsers then refuse plain HTTP for the hostnames. */
export function hstsHeader(maxAgeSeconds: number): { name: string; value: string } {
  return { name: 'Strict-Transport-Security', value: `max-age=${maxAgeSeconds}; includeSubDomains` };
}

/**
 * North-south route of one public service: HTTPS listeners of the environment's Gateway, its hostnames,
 * path-prefix matches for the service's public APIs only, and the service's backends.
 */
export class PublicRouteChart extends Chart {
  constructor(scope: Construct, id: string, props: PublicRouteProps) {
    super(scope, id);
    if (props.listeners.length === 0)
      throw new Error(`route ${props.name}: needs at least one HTTPS listener`);
    if (props.pathPrefixes.length === 0)
      throw new Error(`route ${props.name}: needs at least one path prefix`);
    if (props.backends.length === 0) throw new Error(`route ${props.name}: needs at least one backend`);
    const hsts = hstsHeader(props.hstsMaxAgeSeconds ?? 31_536_000);
    const labels = standardLabels(props.name, 'platform', { component: 'route' });
    const parentRefs = props.listeners.map((sectionName) => ({
      group: 'gateway.networking.k8s.io',
      kind: 'Gateway',
      namespace: props.gateway.namespace,
      name: props.gateway.name,
      sectionName,
    }));
    const backendRefs = props.backends.map((b) => ({
      group: '',
      kind: 'Service',
      name: b.name,
      port: b.port,
      ...(b.weight !== undefined && { weight: b.weight }),
    }));
    const route = (routeName: string, prefixes: readonly string[], requestsPerMinute: number) => {
      new ApiObject(this, routeName, {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: routeName, namespace: props.namespace, labels },
        spec: {
          parentRefs,
          hostnames: [...props.hostnames],
          rules: [
            {
              matches: prefixes.map((value) => ({ path: { type: 'PathPrefix', value } })),
              filters: [{ type: 'ResponseHeaderModifier', responseHeaderModifier: { set: [hsts] } }],
              backendRefs,
            },
          ],
        },
      });
      new ApiObject(this, `${routeName}-traffic`, {
        apiVersion: 'gateway.envoyproxy.io/v1alpha1',
        kind: 'BackendTrafficPolicy',
        metadata: { name: routeName, namespace: props.namespace, labels },
        spec: backendTraffic(routeName, props.traffic, requestsPerMinute),
      });
    };
    route(props.name, props.pathPrefixes, props.traffic.requestsPerMinute);
    for (const [path, limit] of limitedPaths(props.traffic))
      route(pathRouteName(props.name, path), [path], limit);
  }
}

function limitedPaths(traffic: RouteTraffic): [string, number][] {
  return Object.entries(traffic.pathLimits ?? {}).sort(([a], [b]) => a.localeCompare(b));
}

function pathRouteName(name: string, path: string): string {
  return `${name}-${path.replace(/^\/+/, '').replace(/[^a-z0-9]+/g, '-')}`;
}

/**
 * Names of the HTTPRoutes the chart renders for `name` with `traffic`: the service's route and one per
 * stricter path limit. A canary's traffic-router plugin must weight every one of them.
 */
export function publicRouteNames(name: string, traffic: RouteTraffic): string[] {
  return [name, ...limitedPaths(traffic).map(([path]) => pathRouteName(name, path))];
}

/**
 * Envoy Gateway's BackendTrafficPolicy for one route. Retries only cover requests that never reached a
 * backend (connect failure, refused stream, reset before the request was sent), which is safe for every
 * method; Envoy cannot retry by method, so answers (5xx) are never retried at the edge.
 */
function backendTraffic(
  routeName: string,
  t: RouteTraffic,
  requestsPerMinute: number,
): Record<string, unknown> {
  return {
    targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: routeName }],
    timeout: { http: { requestTimeout: t.requestTimeout } },
    ...(t.retries > 0 && {
      retry: {
        numRetries: t.retries,
        retryOn: { triggers: ['connect-failure', 'refused-stream', 'reset-before-request'] },
        perRetry: { backOff: { baseInterval: '100ms', maxInterval: '1s' } },
      },
    }),
    circuitBreaker: { ...t.circuitBreaker },
    rateLimit: {
      type: 'Local',
      local: {
        rules: ['0.0.0.0/0', '::/0'].map((value) => ({
          clientSelectors: [{ sourceCIDR: { type: 'Distinct', value } }],
          limit: { requests: requestsPerMinute, unit: 'Minute' },
        })),
      },
    },
  };
}
