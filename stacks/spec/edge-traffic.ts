import { SERVICE_CATALOG, type ServiceName } from '../service-catalog';
import type { ConfigProblem } from './config-error';
import { CONFIG_NAMESPACE } from './config-namespace';
import type { RawConfig } from './schema';
import type { EdgeTrafficSpec } from './types';

const P = `${CONFIG_NAMESPACE}:`;

/** Edge defaults: generous for APIs behind a gateway, strict where credentials are guessed. */
export const EDGE_DEFAULTS: Omit<EdgeTrafficSpec, 'rateLimit'> & {
  rateLimit: { requestsPerMinute: number };
} = {
  requestTimeout: '15s',
  retries: 2,
  circuitBreaker: { maxConnections: 1024, maxPendingRequests: 1024, maxParallelRequests: 1024 },
  trustedProxyHops: 0,
  connectionLimit: 10_000,
  connectionBufferLimit: '1Mi',
  rateLimit: { requestsPerMinute: 600 },
};

/** Whether `path` lies under `prefix` segment by segment, as a Gateway API PathPrefix match does. */
export function underPrefix(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

/**
 * The edge settings: stack config over the defaults, path limits from the catalog (login and registration)
 * under those of the stack file. A path limit must lie under a public prefix of a deployed service, or it
 * would limit nothing.
 */
export function resolveEdgeTraffic(
  raw: RawConfig['gateway'],
  services: readonly ServiceName[],
  problems: ConfigProblem[],
): EdgeTrafficSpec {
  const prefixes = services.flatMap((s) =>
    SERVICE_CATALOG[s].public ? SERVICE_CATALOG[s].pathPrefixes : [],
  );
  const catalogPaths = Object.fromEntries(
    services.flatMap((s) => Object.entries(SERVICE_CATALOG[s].edgeRateLimits)),
  );
  for (const path of Object.keys(raw?.rateLimit?.paths ?? {})) {
    if (!/^\/[A-Za-z0-9/_.-]*$/.test(path) || !prefixes.some((prefix) => underPrefix(path, prefix))) {
      problems.push({
        path: `${P}gateway.rateLimit.paths`,
        message: `"${path}" is not under a routed prefix (${prefixes.join(', ') || 'none deployed'}), so its limit would apply to nothing`,
      });
    }
  }
  return {
    requestTimeout: raw?.requestTimeout ?? EDGE_DEFAULTS.requestTimeout,
    retries: raw?.retries ?? EDGE_DEFAULTS.retries,
    circuitBreaker: { ...EDGE_DEFAULTS.circuitBreaker, ...raw?.circuitBreaker },
    trustedProxyHops: raw?.trustedProxyHops ?? EDGE_DEFAULTS.trustedProxyHops,
    connectionLimit: raw?.connectionLimit ?? EDGE_DEFAULTS.connectionLimit,
    connectionBufferLimit: raw?.connectionBufferLimit ?? EDGE_DEFAULTS.connectionBufferLimit,
    rateLimit: {
      requestsPerMinute: raw?.rateLimit?.requestsPerMinute ?? EDGE_DEFAULTS.rateLimit.requestsPerMinute,
      paths: { ...catalogPaths, ...raw?.rateLimit?.paths },
    },
  };
}
