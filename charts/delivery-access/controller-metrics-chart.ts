import { ApiObject, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import type { Construct } from 'constructs';
import { MONITORING_SELECTOR, NAME_LABEL, standardLabels } from '../lib';

export interface ControllerMetricsProps {
  /** Namespace the Argo Rollouts controller runs in (platform). */
  readonly namespace: string;
  /** Labels of the controller's pods (the chart's selector and component labels). */
  readonly podLabels: Readonly<Record<string, string>>;
  /** The controller's metrics container port. */
  readonly port: number;
  /** @default 'argo-rollouts' */
  readonly name?: string;
  /** @default 'platform' */
  readonly partOf?: string;
}

const COMPONENT = 'controller-metrics';

/**
 * The Argo Rollouts controller's metrics Service and the ServiceMonitor our Prometheus selects
 * (MONITORING_SELECTOR, in the controller's namespace). Rendered here rather than by the Helm chart so the
 * plan shows what is scraped, and its tests check Prometheus may reach exactly that port.
 */
export class ControllerMetricsChart extends Chart {
  constructor(scope: Construct, id: string, props: ControllerMetricsProps) {
    super(scope, id);
    if (!Number.isInteger(props.port) || props.port < 1 || props.port > 65535) {
      throw new Error(`controller metrics port must be an integer in [1, 65535] (got ${String(props.port)})`);
    }
    if (Object.keys(props.podLabels).length === 0) {
      throw new Error('controller metrics podLabels must not be empty (a Service would select every pod)');
    }
    const name = props.name ?? 'argo-rollouts';
    const labels = standardLabels(name, props.partOf ?? 'platform', { component: COMPONENT });
    const selector = { [NAME_LABEL]: name, 'app.kubernetes.io/component': COMPONENT };

    new k8s.KubeService(this, 'service', {
      metadata: { name: `${name}-metrics`, namespace: props.namespace, labels },
      spec: {
        selector: { ...props.podLabels },
        // Numeric target: the Deployment comes from the Helm chart, its named port is not in the plan.
        ports: [
          {
            name: 'metrics',
            protocol: 'TCP',
            port: props.port,
            targetPort: k8s.IntOrString.fromNumber(props.port),
          },
        ],
      },
    });
    new ApiObject(this, 'service-monitor', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name, namespace: props.namespace, labels: { ...labels, ...MONITORING_SELECTOR } },
      spec: {
        selector: { matchLabels: selector },
        namespaceSelector: { matchNames: [props.namespace] },
        endpoints: [{ port: 'metrics', path: '/metrics' }],
      },
    });
  }
}
