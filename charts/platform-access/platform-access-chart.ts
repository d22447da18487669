import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import type { Construct } from 'constructs';
import { NAME_LABEL, policyPeer, standardLabels, tcpPorts } from '../lib';
import { MONITORING_PODS, MONITORING_PORTS } from '../monitoring-network-policies';

export interface PlatformAccessProps {
  /** The platform namespace (gateway, cert-manager, operators). */
  readonly namespace: string;
  /** Namespace of the application services the gateway routes to. */
  readonly appsNamespace: string;
  /** @default 8080 */
  readonly appPort?: number;
  /** Services the gateway routes to: the proxies may reach these pods' port and nothing else in apps. */
  readonly publicServices: readonly string[];
  /** The Argo Rollouts controller, where it runs. Unset: no policy for it is rendered. */
  readonly progressiveDelivery?: RolloutsControllerAccess;
}

/** What the Argo Rollouts controller (in the platform namespace) may reach and who may reach it. */
export interface RolloutsControllerAccess {
  readonly controllerPodLabels: Readonly<Record<string, string>>;
  /** The controller's metrics port, which Prometheus scrapes. */
  readonly metricsPort: number;
  /** Where Prometheus runs: analyses query it, and it scrapes the controller. */
  readonly monitoringNamespace: string;
  /** @default MONITORING_PODS.prometheus */
  readonly prometheusPodLabels?: Readonly<Record<string, string>>;
  /** @default 9090 */
  readonly prometheusPort?: number;
  /**
   * Services whose pods the controller's web analyses call (smoke checks of blue-green preview Services, on
   * the apps port). Empty: no egress to the apps namespace.
   */
  readonly webCheckServices: readonly string[];
}

const tcp = (...ports: number[]) =>
  ports.map((port) => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) }));

/**
 * What the platform namespace needs through its default-deny: controllers reach the Kubernetes API, the API
 * server reaches admission webhooks, the internet reaches the Envoy proxies, and the proxies reach the
 * application services. Each rule is its own policy so a review shows exactly what is open.
 */
export class PlatformAccessChart extends Chart {
  constructor(scope: Construct, id: string, props: PlatformAccessProps) {
    super(scope, id);
    const ns = props.namespace;
    const labels = standardLabels('platform-access', 'platform', { component: 'network-policy' });
    const meta = (name: string) => ({ name, namespace: ns, labels });
    const proxies = {
      matchLabels: {
        'app.kubernetes.io/component': 'proxy',
        'app.kubernetes.io/managed-by': 'envoy-gateway',
      },
    };

    new k8s.KubeNetworkPolicy(this, 'same-namespace', {
      metadata: meta('allow-same-namespace'),
      spec: {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [{ podSelector: {} }] }],
        egress: [{ to: [{ podSelector: {} }] }],
      },
    });
    // The API server has no pod labels to select; controllers reach it on its service ports.
    new k8s.KubeNetworkPolicy(this, 'kube-api', {
      metadata: meta('allow-kube-api-egress'),
      spec: { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: tcp(443, 6443) }] },
    });
    // Admission webhooks (cert-manager 10250, Envoy Gateway 9443) are called by the API server.
    new k8s.KubeNetworkPolicy(this, 'webhooks', {
      metadata: meta('allow-webhook-ingress'),
      spec: {
        podSelector: {
          matchExpressions: [{ key: 'app.kubernetes.io/component', operator: 'NotIn', values: ['proxy'] }],
        },
        policyTypes: ['Ingress'],
        ingress: [{ ports: tcp(9443, 10250) }],
      },
    });
    // Envoy listens on 10080/10443 for the Gateway's 80/443.
    new k8s.KubeNetworkPolicy(this, 'gateway-ingress', {
      metadata: meta('allow-gateway-ingress'),
      spec: { podSelector: proxies, policyTypes: ['Ingress'], ingress: [{ ports: tcp(10080, 10443) }] },
    });
    if (props.progressiveDelivery) this.rolloutsController(props, meta);
    if (props.publicServices.length === 0) return;
    new k8s.KubeNetworkPolicy(this, 'gateway-to-apps', {
      metadata: meta('allow-gateway-to-apps'),
      spec: {
        podSelector: proxies,
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': props.appsNamespace } },
                podSelector: {
                  matchExpressions: [
                    { key: NAME_LABEL, operator: 'In', values: [...props.publicServices].sort() },
                  ],
                },
              },
            ],
            ports: tcp(props.appPort ?? 8080),
          },
        ],
      },
    });
  }

  /**
   * The Argo Rollouts controller: out to Prometheus (analysis queries) and to the pods of the services its
   * web checks call; in from Prometheus on its metrics port. Its Kubernetes API calls, and in `download` mode
   * fetching the plugin from GitHub over HTTPS, go through `allow-kube-api-egress` (443 to any address).
   */
  private rolloutsController(
    props: PlatformAccessProps,
    meta: (name: string) => { name: string; namespace: string; labels: Record<string, string> },
  ): void {
    const d = props.progressiveDelivery;
    if (!d) return;
    const controller = { matchLabels: { ...d.controllerPodLabels } };
    const prometheus = policyPeer({
      namespace: d.monitoringNamespace,
      podLabels: d.prometheusPodLabels ?? MONITORING_PODS.prometheus,
    });
    const services = [...new Set(d.webCheckServices)].sort();
    new k8s.KubeNetworkPolicy(this, 'rollouts-controller-egress', {
      metadata: meta('allow-rollouts-controller-egress'),
      spec: {
        podSelector: controller,
        policyTypes: ['Egress'],
        egress: [
          { to: [prometheus], ports: tcpPorts([d.prometheusPort ?? MONITORING_PORTS.prometheus]) },
          ...(services.length > 0
            ? [
                {
                  to: [
                    {
                      namespaceSelector: {
                        matchLabels: { 'kubernetes.io/metadata.name': props.appsNamespace },
                      },
                      podSelector: {
                        matchExpressions: [{ key: NAME_LABEL, operator: 'In', values: services }],
                      },
                    },
                  ],
                  ports: tcpPorts([props.appPort ?? 8080]),
                },
              ]
            : []),
        ],
      },
    });
    new k8s.KubeNetworkPolicy(this, 'rollouts-metrics-ingress', {
      metadata: meta('allow-rollouts-metrics-ingress'),
      spec: {
        podSelector: controller,
        policyTypes: ['Ingress'],
        ingress: [{ from: [prometheus], ports: tcpPorts([d.metricsPort]) }],
      },
    });
  }
}
