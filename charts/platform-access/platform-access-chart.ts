import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import type { Construct } from 'constructs';
import { NAME_LABEL, standardLabels } from '../lib';

export interface PlatformAccessProps {
  /** The platform namespace (gateway, cert-manager, operators). */
  readonly namespace: string;
  /** Namespace of the application services the gateway routes to. */
  readonly appsNamespace: string;
  /** @default 8080 */
  readonly appPort?: number;
  /** Services the gateway routes to: the proxies may reach these pods' port and nothing else in apps. */
  readonly publicServices: readonly string[];
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
}
