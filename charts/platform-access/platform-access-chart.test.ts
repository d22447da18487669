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
    it('renders one policy per flow, none for a Rollouts controller', () => {
      expect(names(platform())).toEqual([
        'allow-kube-api-egress',
        'allow-proxies-to-xds',
        'allow-xds-ingress',
        'allow-webhook-ingress',
        'allow-gateway-ingress',
        'allow-gateway-to-apps',
      ]);
      const all = [...platform(), ...monitoring(false)];
      expect(connects(all, controller, prometheus, 9090)).toBe(false);
      expect(connects(all, prometheus, controller, 8090)).toBe(false);
    });
  });

  describe('inside the platform namespace', () => {
    const all = platform();
    const envoyGateway = pod('platform', { 'control-plane': 'envoy-gateway' });
    const webhook = pod('platform', {
      'app.kubernetes.io/name': 'webhook',
      'app.kubernetes.io/component': 'webhook',
    });
    const certController = pod('platform', {
      'app.kubernetes.io/name': 'cert-manager',
      'app.kubernetes.io/component': 'controller',
    });

    it('lets the proxies reach their controller’s xDS port and no other platform pod', () => {
      expect(connects(all, proxy, envoyGateway, 18000)).toBe(true);
      expect(connects(all, proxy, envoyGateway, 9443)).toBe(false);
      expect(connects(all, proxy, webhook, 10250)).toBe(false);
      expect(connects(all, proxy, controller, 8090)).toBe(false);
    });

    it('keeps the controllers apart: they meet at the API server, not at each other', () => {
      expect(connects(all, certManager, envoyGateway, 18000)).toBe(false);
      expect(connects(all, envoyGateway, webhook, 10250)).toBe(false);
      expect(connects(all, controller, envoyGateway, 9443)).toBe(false);
    });

    it('gives the internet-facing proxies no egress to the API server’s ports', () => {
      const apiServer = pod('outside', {});
      expect(egressAllows(all, proxy, apiServer, 443)).toBe(false);
      expect(egressAllows(all, certManager, apiServer, 443)).toBe(true);
    });

    it('opens DNS to the internet only for cert-manager’s controller, and only for DNS-01', () => {
      const nameserver = pod('outside', {});
      const policy = (objects: readonly KubernetesObject[]) =>
        objects.find((o) => o.metadata.name === 'allow-dns01-self-check');
      expect(policy(all)).toBeUndefined();
      const withAcme = platform({ dns01SelfCheck: true });
      expect(policy(withAcme)?.spec).toEqual({
        podSelector: {
          matchLabels: {
            'app.kubernetes.io/name': 'cert-manager',
            'app.kubernetes.io/component': 'controller',
          },
        },
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ ipBlock: { cidr: '0.0.0.0/0' } }],
            ports: [
              { protocol: 'UDP', port: 53 },
              { protocol: 'TCP', port: 53 },
            ],
          },
        ],
      });
      expect(egressAllows(withAcme, certController, nameserver, 53)).toBe(true);
      expect(egressAllows(withAcme, proxy, nameserver, 53)).toBe(false);
    });
  });

  describe('with the Argo Rollouts controller', () => {
    const all = [...platform({ progressiveDelivery: delivery }), ...monitoring(true)];

    it('adds two named policies for the controller', () => {
      expect(names(platform({ progressiveDelivery: delivery }))).toEqual([
        ...names(platform()).slice(0, 5),
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
