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
  /**
   * Whether cert-manager solves ACME DNS-01 challenges: its self-check then asks the zone's authoritative
   * nameservers directly, on port 53 outside the cluster.
   * @default false
   */
  readonly dns01SelfCheck?: boolean;
}

/** Labels of the Envoy Gateway controller's pods (gateway-helm). */
export const ENVOY_GATEWAY_CONTROLLER_LABELS = { 'control-plane': 'envoy-gateway' } as const;
/** Port of the controller's xDS server, which the proxies it creates connect to for their configuration. */
export const ENVOY_GATEWAY_XDS_PORT = 18000;
/** Labels of the pods Envoy Gateway creates for a Gateway (the north-south proxies). */
export const ENVOY_PROXY_LABELS = {
  'app.kubernetes.io/component': 'proxy',
  'app.kubernetes.io/managed-by': 'envoy-gateway',
} as const;
/** Labels of cert-manager's controller pods (the cert-manager chart). */
export const CERT_MANAGER_CONTROLLER_LABELS = {
  'app.kubernetes.io/name': 'cert-manager',
  'app.kubernetes.io/component': 'controller',
} as const;

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
 * server reaches admission webhooks, the internet reaches the Envoy proxies, the proxies reach the
 * application services and their controller's xDS port. Each rule is its own policy so a review shows
 * exactly what is open. There is no blanket same-namespace rule: the internet-facing proxies must not reach
 * the controllers, and the controllers do not talk to each other (they meet at the API server).
 */
export class PlatformAccessChart extends Chart {
  constructor(scope: Construct, id: string, props: PlatformAccessProps) {
    super(scope, id);
    const ns = props.namespace;
    const labels = standardLabels('platform-access', 'platform', { component: 'network-policy' });
    const meta = (name: string) => ({ name, namespace: ns, labels });
    const proxies = { matchLabels: { ...ENVOY_PROXY_LABELS } };
    const egressOnly = (
      name: string,
      podSelector: k8s.LabelSelector,
      egress: k8s.NetworkPolicyEgressRule[],
    ) =>
      new k8s.KubeNetworkPolicy(this, name, {
        metadata: meta(name),
        spec: { podSelector, policyTypes: ['Egress'], egress },
      });

    // The API server has no pod labels to select; controllers reach it on its service ports. The proxies
    // never call it (their configuration comes over xDS), so an internet-facing pod has no way out on 443.
    egressOnly(
      'allow-kube-api-egress',
      {
        matchExpressions: [{ key: 'app.kubernetes.io/component', operator: 'NotIn', values: ['proxy'] }],
      },
      [{ ports: tcp(443, 6443) }],
    );
    // The proxies fetch listeners, routes and certificates from the controller's xDS server (mTLS).
    const controller = { matchLabels: { ...ENVOY_GATEWAY_CONTROLLER_LABELS } };
    egressOnly('allow-proxies-to-xds', proxies, [
      { to: [{ podSelector: controller }], ports: tcp(ENVOY_GATEWAY_XDS_PORT) },
    ]);
    new k8s.KubeNetworkPolicy(this, 'xds-ingress', {
      metadata: meta('allow-xds-ingress'),
      spec: {
        podSelector: controller,
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ podSelector: proxies }], ports: tcp(ENVOY_GATEWAY_XDS_PORT) }],
      },
    });
    if (props.dns01SelfCheck ?? false) {
      const dns = [
        { protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) },
        { protocol: 'TCP', port: k8s.IntOrString.fromNumber(53) },
      ];
      egressOnly('allow-dns01-self-check', { matchLabels: { ...CERT_MANAGER_CONTROLLER_LABELS } }, [
        { to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: dns },
      ]);
    }
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
