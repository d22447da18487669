import { ControllerMetricsChart } from '../delivery-access';
import { synthesize } from '../lib';
import {
  connects,
  egressAllows,
  ingressAllows,
  type PodRef,
} from '../platform-access/network-policy-verdict';
import {
  MonitoringNetworkPoliciesChart,
  type MonitoringNetworkPoliciesProps,
} from './monitoring-network-policies-chart';

const CONTROLLER = {
  'app.kubernetes.io/name': 'argo-rollouts',
  'app.kubernetes.io/component': 'rollouts-controller',
};
const base: MonitoringNetworkPoliciesProps = {
  namespace: 'monitoring',
  scrapeTargets: [
    { namespace: 'apps', ports: [8080] },
    { namespace: 'data', ports: [9216, 9121] },
  ],
  alertmanager: true,
};
const delivery = { controllerNamespace: 'platform', controllerPodLabels: CONTROLLER, metricsPort: 8090 };
const render = (over: Partial<MonitoringNetworkPoliciesProps> = {}) =>
  synthesize((app) => new MonitoringNetworkPoliciesChart(app, 'monitoring', { ...base, ...over }));
const policy = (objects: ReturnType<typeof render>, name: string) =>
  objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === name) as
    Record<string, any> | undefined;

/** Namespace-wide egress of the Prometheus policy (what the plan test compares with the scraped ports). */
function scrapeRules(objects: ReturnType<typeof render>): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const rule of policy(objects, 'monitoring-prometheus')?.spec.egress ?? []) {
    const ns = rule.to?.[0]?.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];
    if (ns && !rule.to[0].podSelector) {
      expect(out[ns]).toBeUndefined(); // one rule per namespace
      out[ns] = rule.ports.map((p: { port: number }) => p.port);
    }
  }
  return out;
}

const pod = (namespace: string, labels: Record<string, string>): PodRef => ({ namespace, labels });
const prometheus = pod('monitoring', { 'app.kubernetes.io/name': 'prometheus' });
const controller = pod('platform', CONTROLLER);
const otherPlatformPod = pod('platform', { 'app.kubernetes.io/name': 'cert-manager' });

describe('MonitoringNetworkPoliciesChart: progressive delivery', () => {
  it('without it: no rule for the controller’s namespace, no policy admitting it', () => {
    const objects = render();
    expect(scrapeRules(objects)).toEqual({ apps: [8080], data: [9216, 9121] });
    expect(policy(objects, 'monitoring-prometheus-from-rollouts-controller')).toBeUndefined();
    expect(ingressAllows(objects, controller, prometheus, 9090)).toBe(false);
  });

  it('with it: Prometheus may reach the controller’s namespace on the metrics port, as one more scrape target', () => {
    const objects = render({ progressiveDelivery: delivery });
    expect(scrapeRules(objects)).toEqual({ apps: [8080], data: [9216, 9121], platform: [8090] });
    expect(egressAllows(objects, prometheus, controller, 8090)).toBe(true);
    expect(egressAllows(objects, prometheus, controller, 8080)).toBe(false);
  });

  it('merges the metrics port into a target the caller already lists for that namespace', () => {
    const objects = render({
      scrapeTargets: [...base.scrapeTargets, { namespace: 'platform', ports: [9402, 8090] }],
      progressiveDelivery: delivery,
    });
    expect(scrapeRules(objects).platform).toEqual([9402, 8090]);
  });

  it('admits the controller’s analysis queries on Prometheus’s port, and no other platform pod', () => {
    const objects = render({ progressiveDelivery: delivery });
    expect(ingressAllows(objects, controller, prometheus, 9090)).toBe(true);
    expect(ingressAllows(objects, controller, prometheus, 8080)).toBe(false);
    expect(ingressAllows(objects, otherPlatformPod, prometheus, 9090)).toBe(false);
    const grafana = pod('monitoring', { 'app.kubernetes.io/name': 'grafana' });
    expect(ingressAllows(objects, controller, grafana, 3000)).toBe(false);
    // Prometheus's own egress is unchanged by the new policy (it has no Egress type).
    expect(policy(objects, 'monitoring-prometheus-from-rollouts-controller')?.spec.policyTypes).toEqual([
      'Ingress',
    ]);
    expect(connects(objects, prometheus, prometheus, 9090)).toBe(true);
  });

  it('opens exactly what the controller’s ServiceMonitor scrapes (as the plan test resolves monitors)', () => {
    const monitorObjects = synthesize(
      (app) =>
        new ControllerMetricsChart(app, 'metrics', {
          namespace: 'platform',
          podLabels: CONTROLLER,
          port: 8090,
        }),
    ) as Record<string, any>[];
    const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
      Object.entries(selector).every(([k, v]) => labels[k] === v);
    const scraped = new Set<number>();
    for (const m of monitorObjects.filter((o) => o.kind === 'ServiceMonitor')) {
      for (const svc of monitorObjects.filter(
        (o) => o.kind === 'Service' && matches(m.spec.selector.matchLabels, o.metadata.labels),
      )) {
        for (const e of m.spec.endpoints) {
          const port = svc.spec.ports.find((p: { name: string }) => p.name === e.port);
          scraped.add(port.targetPort ?? port.port);
        }
      }
    }
    const opened = scrapeRules(render({ progressiveDelivery: delivery })).platform;
    expect(opened).toEqual([...scraped]);
  });
});
