import { synthesize } from '../lib';
import { PublicRouteChart, type PublicRouteProps } from './public-route-chart';

const base: PublicRouteProps = {
  name: 'product',
  namespace: 'apps',
  gateway: { namespace: 'platform', name: 'platform' },
  listeners: ['https-0', 'https-1'],
  hostnames: ['api.example.com', '*.shop.example.com'],
  pathPrefixes: ['/api/products'],
  backends: [{ name: 'product', port: 80 }],
};
const render = (props: Partial<PublicRouteProps> = {}) =>
  synthesize((app) => new PublicRouteChart(app, 'route', { ...base, ...props }))[0] as Record<string, any>;

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
});
