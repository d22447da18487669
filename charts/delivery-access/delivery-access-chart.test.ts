import { loadKubernetesValidator } from '../../tools/k8s-schema';
import { synthesize } from '../lib';
import { DELIVERY_ACCESS_NAME, DeliveryAccessChart, type DeliveryAccessProps } from './delivery-access-chart';

type Rule = { apiGroups: string[]; resources: string[]; resourceNames?: string[]; verbs: string[] };

const props: DeliveryAccessProps = {
  namespace: 'apps',
  controller: { namespace: 'platform', serviceAccount: 'argo-rollouts' },
  httpRoutes: ['product', 'order'],
};
const render = (over: Partial<DeliveryAccessProps> = {}) =>
  synthesize((app) => new DeliveryAccessChart(app, 'delivery-access', { ...props, ...over }));
const role = (over: Partial<DeliveryAccessProps> = {}) =>
  render(over).find((o) => o.kind === 'Role') as unknown as {
    rules: Rule[];
    metadata: { namespace: string };
  };

/** RBAC's own rule: a request is allowed when one rule matches its group, resource, verb and (if named) name. */
function allows(
  rules: readonly Rule[],
  group: string,
  resource: string,
  verb: string,
  name?: string,
): boolean {
  return rules.some(
    (r) =>
      (r.apiGroups.includes(group) || r.apiGroups.includes('*')) &&
      (r.resources.includes(resource) || r.resources.includes('*')) &&
      (r.verbs.includes(verb) || r.verbs.includes('*')) &&
      (r.resourceNames === undefined ||
        r.resourceNames.length === 0 ||
        (name !== undefined && r.resourceNames.includes(name))),
  );
}
const GW = 'gateway.networking.k8s.io';

describe('DeliveryAccessChart', () => {
  it('lets the plugin get, update and patch exactly the named HTTPRoutes', () => {
    const { rules, metadata } = role();
    expect(metadata.namespace).toBe('apps');
    for (const route of ['product', 'order']) {
      for (const verb of ['get', 'update', 'patch'])
        expect(allows(rules, GW, 'httproutes', verb, route)).toBe(true);
    }
    expect(rules.find((r) => r.resources.includes('httproutes'))?.resourceNames).toEqual([
      'order',
      'product',
    ]);
  });

  it('denies other routes, other verbs (list and watch included) and other Gateway API kinds', () => {
    const { rules } = role();
    expect(allows(rules, GW, 'httproutes', 'patch', 'user')).toBe(false);
    for (const verb of ['list', 'watch', 'create', 'delete', 'deletecollection']) {
      expect([verb, allows(rules, GW, 'httproutes', verb)]).toEqual([verb, false]);
    }
    for (const kind of ['gateways', 'grpcroutes', 'tcproutes', 'httproutes/status']) {
      expect([kind, allows(rules, GW, kind, 'patch', 'product')]).toEqual([kind, false]);
    }
    expect(allows(rules, '', 'services', 'get', 'product-canary')).toBe(true);
    expect(allows(rules, '', 'services', 'patch', 'product')).toBe(false);
    expect(allows(rules, '', 'configmaps', 'get', 'argo-gatewayapi-configmap')).toBe(false);
    expect(JSON.stringify(rules)).not.toContain('*');
  });

  it('binds the Role to the controller’s ServiceAccount in its namespace', () => {
    const binding = render().find((o) => o.kind === 'RoleBinding') as Record<string, any>;
    expect(binding.metadata).toMatchObject({ name: DELIVERY_ACCESS_NAME, namespace: 'apps' });
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: DELIVERY_ACCESS_NAME,
    });
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'argo-rollouts', namespace: 'platform' },
    ]);
  });

  it('renders nothing without routes (an empty resourceNames would grant every route)', () => {
    expect(render({ httpRoutes: [] })).toEqual([]);
  });

  it('passes the strict Kubernetes schema', () => {
    const validator = loadKubernetesValidator();
    for (const o of render()) expect([o.kind, validator.validate(o)]).toEqual([o.kind, []]);
  });

  it.each([['Product'], ['order_v2'], ['-x'], ['']])(
    'refuses the route name %p, naming the field',
    (route) => {
      expect(() => render({ httpRoutes: ['order', route] })).toThrow(
        `delivery httpRoutes must be DNS subdomain names (lowercase, digits, '-', '.'; <= 253) (got ${JSON.stringify(route)})`,
      );
    },
  );

  it('refuses a repeated route', () => {
    expect(() => render({ httpRoutes: ['order', 'order'] })).toThrow(
      'delivery httpRoutes must not repeat a route (got order, order)',
    );
  });
});
