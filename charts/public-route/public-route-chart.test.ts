import { synthesize } from '../lib';
import { PublicRouteChart, publicRouteNames, type PublicRouteProps } from './public-route-chart';

const base: PublicRouteProps = {
  name: 'product',
  namespace: 'apps',
  gateway: { namespace: 'platform', name: 'platform' },
  listeners: ['https-0', 'https-1'],
  hostnames: ['api.example.com', '*.shop.example.com'],
  pathPrefixes: ['/api/products'],
  backends: [{ name: 'product', port: 80 }],
  traffic: {
    requestTimeout: '15s',
    retries: 2,
    circuitBreaker: { maxConnections: 1024, maxPendingRequests: 1024, maxParallelRequests: 1024 },
    requestsPerMinute: 600,
  },
};
const renderAll = (props: Partial<PublicRouteProps> = {}) =>
  synthesize((app) => new PublicRouteChart(app, 'route', { ...base, ...props })) as Record<string, any>[];
const render = (props: Partial<PublicRouteProps> = {}) => renderAll(props)[0] as Record<string, any>;

describe('PublicRouteChart', () => {
  it('attaches to every HTTPS listener of the Gateway with the hostnames and the public prefixes only', () => {
    const route = render();
    expect(route.spec.parentRefs.map((p: any) => p.sectionName)).toEqual(['https-0', 'https-1']);
    expect(route.spec.hostnames).toEqual(['api.example.com', '*.shop.example.com']);
    expect(route.spec.rules).toHaveLength(1);
    expect(route.spec.rules[0].matches).toEqual([{ path: { type: 'PathPrefix', value: '/api/products' } }]);
    expect(route.spec.rules[0].filters).toEqual([
      {
        type: 'ResponseHeaderModifier',
        responseHeaderModifier: {
          set: [{ name: 'Strict-Transport-Security', value: 'max-age=31536000; includeSubDomains' }],
        },
      },
    ]);
  });

  it('splits traffic over several weighted backends, as canaries need', () => {
    const route = render({
      backends: [
        { name: 'product', port: 80, weight: 90 },
        { name: 'product-canary', port: 80, weight: 10 },
      ],
    });
    expect(route.spec.rules[0].backendRefs).toEqual([
      { group: '', kind: 'Service', name: 'product', port: 80, weight: 90 },
      { group: '', kind: 'Service', name: 'product-canary', port: 80, weight: 10 },
    ]);
  });

  it.each([
    ['listeners', { listeners: [] }, 'route product: needs at least one HTTPS listener'],
    ['path prefixes', { pathPrefixes: [] }, 'route product: needs at least one path prefix'],
    ['backends', { backends: [] }, 'route product: needs at least one backend'],
  ] as const)('refuses a route without %s', (_, props, message) => {
    expect(() => render(props)).toThrow(message);
  });

  it('gives the route a timeout, connect-failure retries, circuit breaking and a per-client-IP rate limit', () => {
    const policy = renderAll().find((o) => o.kind === 'BackendTrafficPolicy');
    expect(policy?.spec).toEqual({
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: 'product' }],
      timeout: { http: { requestTimeout: '15s' } },
      retry: {
        numRetries: 2,
        retryOn: { triggers: ['connect-failure', 'refused-stream', 'reset-before-request'] },
        perRetry: { backOff: { baseInterval: '100ms', maxInterval: '1s' } },
      },
      circuitBreaker: { maxConnections: 1024, maxPendingRequests: 1024, maxParallelRequests: 1024 },
      rateLimit: {
        type: 'Local',
        local: {
          rules: [
            {
              clientSelectors: [{ sourceCIDR: { type: 'Distinct', value: '0.0.0.0/0' } }],
              limit: { requests: 600, unit: 'Minute' },
            },
            {
              clientSelectors: [{ sourceCIDR: { type: 'Distinct', value: '::/0' } }],
              limit: { requests: 600, unit: 'Minute' },
            },
          ],
        },
      },
    });
    const noRetries = renderAll({ traffic: { ...base.traffic, retries: 0 } }).find(
      (o) => o.kind === 'BackendTrafficPolicy',
    );
    expect(noRetries?.spec.retry).toBeUndefined();
  });

  it('gives a stricter path a route and a policy of its own, so the longest prefix carries its limit', () => {
    const objects = renderAll({
      pathPrefixes: ['/api/auth', '/api/users'],
      traffic: { ...base.traffic, pathLimits: { '/api/auth/login': 20 } },
    });
    const routes = objects.filter((o) => o.kind === 'HTTPRoute');
    expect(
      routes.map((r) => [r.metadata.name, r.spec.rules[0].matches.map((m: any) => m.path.value)]),
    ).toEqual([
      ['product', ['/api/auth', '/api/users']],
      ['product-api-auth-login', ['/api/auth/login']],
    ]);
    const login = objects.find(
      (o) => o.kind === 'BackendTrafficPolicy' && o.metadata.name === 'product-api-auth-login',
    );
    expect(login?.spec.targetRefs[0].name).toBe('product-api-auth-login');
    expect(login?.spec.rateLimit.local.rules[0].limit).toEqual({ requests: 20, unit: 'Minute' });
    expect(routes[1]?.spec.rules[0].backendRefs).toEqual(routes[0]?.spec.rules[0].backendRefs);
  });

  it('names every route it renders, which a canary hands to the traffic-router plugin', () => {
    const traffic = { ...base.traffic, pathLimits: { '/api/auth/register': 10, '/api/auth/login': 20 } };
    const rendered = renderAll({ pathPrefixes: ['/api/auth'], traffic })
      .filter((o) => o.kind === 'HTTPRoute')
      .map((r) => r.metadata.name);
    expect(publicRouteNames('product', traffic)).toEqual(rendered);
    expect(rendered).toEqual(['product', 'product-api-auth-login', 'product-api-auth-register']);
  });
});
