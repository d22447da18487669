import { loadKubernetesValidator } from '../../tools/k8s-schema';
import { registerPlatformCrds } from '../../tools/k8s-schema/crds';
import { MONITORING_SELECTOR, synthesize } from '../lib';
import { ControllerMetricsChart, type ControllerMetricsProps } from './controller-metrics-chart';

const podLabels = {
  'app.kubernetes.io/name': 'argo-rollouts',
  'app.kubernetes.io/component': 'rollouts-controller',
};
const props: ControllerMetricsProps = { namespace: 'platform', podLabels, port: 8090 };
const render = (over: Partial<ControllerMetricsProps> = {}) =>
  synthesize((app) => new ControllerMetricsChart(app, 'metrics', { ...props, ...over })) as Record<
    string,
    any
  >[];
const matches = (selector: Record<string, string>, labels: Record<string, string> | undefined) =>
  Object.entries(selector).every(([k, v]) => labels?.[k] === v);

describe('ControllerMetricsChart', () => {
  const objects = render();
  const service = objects.find((o) => o.kind === 'Service') as Record<string, any>;
  const monitor = objects.find((o) => o.kind === 'ServiceMonitor') as Record<string, any>;

  it('a ServiceMonitor our Prometheus selects, in the controller’s namespace, scraping only that namespace', () => {
    expect(monitor.metadata.namespace).toBe('platform');
    expect(matches(MONITORING_SELECTOR, monitor.metadata.labels)).toBe(true);
    expect(monitor.spec.namespaceSelector).toEqual({ matchNames: ['platform'] });
  });

  it('scrapes the controller pods’ metrics port through the Service it selects', () => {
    expect(matches(monitor.spec.selector.matchLabels, service.metadata.labels)).toBe(true);
    expect(service.metadata.namespace).toBe('platform');
    expect(service.spec.selector).toEqual(podLabels);
    const endpoint = monitor.spec.endpoints[0];
    const port = service.spec.ports.find((p: any) => p.name === endpoint.port);
    expect(port).toEqual({ name: 'metrics', protocol: 'TCP', port: 8090, targetPort: 8090 });
    expect(endpoint.path).toBe('/metrics');
  });

  it('passes the strict schemas (Service, and the Prometheus Operator CRD)', () => {
    const validator = loadKubernetesValidator();
    registerPlatformCrds(validator, { only: objects });
    for (const o of objects) expect([o.kind, validator.validate(o)]).toEqual([o.kind, []]);
  });

  it('refuses a port out of range and empty pod labels', () => {
    expect(() => render({ port: 0 })).toThrow(
      'controller metrics port must be an integer in [1, 65535] (got 0)',
    );
    expect(() => render({ podLabels: {} })).toThrow('controller metrics podLabels must not be empty');
  });
});
