import { synthesize, type KubernetesObject } from '../lib';
import { MonitoringNetworkPoliciesChart } from '../monitoring-network-policies';
import { connects, egressAllows, type PodRef } from './network-policy-verdict';
import { PlatformAccessChart, type PlatformAccessProps } from './platform-access-chart';

const CONTROLLER = {
  'app.kubernetes.io/name': 'argo-rollouts',
  'app.kubernetes.io/component': 'rollouts-controller',
};
const delivery: NonNullable<PlatformAccessProps['progressiveDelivery']> = {
  controllerPodLabels: CONTROLLER,
  metricsPort: 8090,
  monitoringNamespace: 'monitoring',
  webCheckServices: ['product', 'order'],
};
const base: PlatformAccessProps = {
  namespace: 'platform',
  appsNamespace: 'apps',
  publicServices: ['product'],
};
const platform = (over: Partial<PlatformAccessProps> = {}) =>
  synthesize((app) => new PlatformAccessChart(app, 'platform-access', { ...base, ...over }));
const monitoring = (withDelivery: boolean) =>
  synthesize(
    (app) =>
      new MonitoringNetworkPoliciesChart(app, 'monitoring', {
        namespace: 'monitoring',
        scrapeTargets: [{ namespace: 'apps', ports: [8080] }],
        alertmanager: true,
        ...(withDelivery && {
          progressiveDelivery: {
            controllerNamespace: 'platform',
            controllerPodLabels: CONTROLLER,
            metricsPort: 8090,
          },
        }),
      }),
  );

const pod = (namespace: string, labels: Record<string, string>): PodRef => ({ namespace, labels });
const controller = pod('platform', CONTROLLER);
const prometheus = pod('monitoring', { 'app.kubernetes.io/name': 'prometheus' });
const grafana = pod('monitoring', { 'app.kubernetes.io/name': 'grafana' });
const proxy = pod('platform', {
  'app.kubernetes.io/component': 'proxy',
  'app.kubernetes.io/managed-by': 'envoy-gateway',
});
const certManager = pod('platform', { 'app.kubernetes.io/name': 'cert-manager' });
const service = (name: string) => pod('apps', { 'app.kubernetes.io/name': name });
const names = (objects: readonly KubernetesObject[]) => objects.map((o) => o.metadata.name);

describe('PlatformAccessChart', () => {
  describe('without progressive delivery', () => {
    it('renders the same policies as before, none for a Rollouts controller', () => {
      expect(names(platform())).toEqual([
        'allow-same-namespace',
        'allow-kube-api-egress',
        'allow-webhook-ingress',
        'allow-gateway-ingress',
        'allow-gateway-to-apps',
      ]);
      const all = [...platform(), ...monitoring(false)];
      expect(connects(all, controller, prometheus, 9090)).toBe(false);
      expect(connects(all, prometheus, controller, 8090)).toBe(false);
    });
  });

  describe('with the Argo Rollouts controller', () => {
    const all = [...platform({ progressiveDelivery: delivery }), ...monitoring(true)];

    it('adds two named policies for the controller', () => {
      expect(names(platform({ progressiveDelivery: delivery }))).toEqual([
        ...names(platform()).slice(0, 4),
        'allow-rollouts-controller-egress',
        'allow-rollouts-metrics-ingress',
        'allow-gateway-to-apps',
      ]);
    });

    it('lets the controller query Prometheus, and only Prometheus’s API port', () => {
      expect(connects(all, controller, prometheus, 9090)).toBe(true);
      expect(connects(all, controller, prometheus, 8080)).toBe(false);
      expect(connects(all, controller, grafana, 3000)).toBe(false);
      // Other platform pods gain nothing.
      expect(connects(all, certManager, prometheus, 9090)).toBe(false);
    });

    it('lets Prometheus scrape the controller’s metrics port, and nothing else of the platform on it', () => {
      expect(connects(all, prometheus, controller, 8090)).toBe(true);
      expect(connects(all, prometheus, controller, 8080)).toBe(false);
      expect(connects(all, grafana, controller, 8090)).toBe(false);
      expect(connects(all, prometheus, proxy, 8090)).toBe(false);
      expect(connects(all, prometheus, certManager, 8090)).toBe(false);
    });

    it('lets the controller’s web checks reach the named services’ pods on the app port only', () => {
      expect(egressAllows(all, controller, service('product'), 8080)).toBe(true);
      expect(egressAllows(all, controller, service('order'), 8080)).toBe(true);
      expect(egressAllows(all, controller, service('user'), 8080)).toBe(false);
      expect(egressAllows(all, controller, service('product'), 9464)).toBe(false);
      expect(egressAllows(all, proxy, service('order'), 8080)).toBe(false);
    });

    it('opens nothing towards the apps without web-checked services', () => {
      const none = platform({ progressiveDelivery: { ...delivery, webCheckServices: [] } });
      expect(egressAllows(none, controller, service('product'), 8080)).toBe(false);
      expect(egressAllows(none, controller, prometheus, 9090)).toBe(true);
    });
  });
});
