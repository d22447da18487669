import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { standardLabels } from '../lib';

export interface GatewayChartProps {
  /** Namespace of the Gateway, its EnvoyProxy settings and its TLS certificate. */
  readonly namespace: string;
  /** Name of the Gateway (and prefix of its companions). */
  readonly name: string;
  /** Name of the cluster-scoped GatewayClass. @default 'envoy' */
  readonly className?: string;
  /** How the Envoy proxies are exposed. */
  readonly serviceType: 'LoadBalancer' | 'NodePort';
  /** @default {} */
  readonly serviceAnnotations?: Readonly<Record<string, string>>;
  /** Fixed node ports when serviceType is NodePort. */
  readonly nodePorts?: { readonly http: number; readonly https: number };
  /** Hostnames served over HTTPS; the certificate covers them. */
  readonly hostnames: readonly string[];
  /** Client IP detection and connection limits of the Gateway (an Envoy Gateway ClientTrafficPolicy). */
  readonly clientTraffic: GatewayClientTraffic;
  /** cert-manager ClusterIssuer that signs the gateway's certificate. */
  readonly clusterIssuer: string;
  /** Only routes from these namespaces may attach. */
  readonly routeNamespaces: readonly string[];
  /** @default 2 */
  readonly proxyReplicas?: number;
  /** Spread proxies over this topology key. @default 'kubernetes.io/hostname' */
  readonly topologyKey?: string;
}

export interface GatewayClientTraffic {
  /**
   * Proxies in front of Envoy that append X-Forwarded-For. 0 for an NLB or MetalLB with
   * externalTrafficPolicy Local: the client is the connection's source address.
   */
  readonly trustedProxyHops: number;
  /** Concurrent downstream connections per proxy. */
  readonly connectionLimit: number;
  /** Per-connection buffer, e.g. "1Mi". */
  readonly connectionBufferLimit: string;
}

/** Names of the Gateway's HTTPS listeners, one per hostname: the only listeners public routes attach to. */
export function httpsListenerNames(hostnames: readonly string[]): string[] {
  return hostnames.map((_, i) => `https-${i}`);
}

/** The plain-HTTP listener, which only the redirect to HTTPS attaches to. */
export const HTTP_LISTENER = 'http';

/**
 * North-south entry: an EnvoyProxy (how Envoy Gateway runs the proxies), the GatewayClass that uses it,
 * the Gateway with an HTTP listener that only redirects to HTTPS and an HTTPS listener per hostname, and the
 * certificate for them.
 */
export class GatewayChart extends Chart {
  constructor(scope: Construct, id: string, props: GatewayChartProps) {
    super(scope, id);
    const className = props.className ?? 'envoy';
    const replicas = props.proxyReplicas ?? 2;
    const topologyKey = props.topologyKey ?? 'kubernetes.io/hostname';
    const labels = standardLabels('gateway', 'platform', { component: 'gateway' });
    const proxyName = `${props.name}-proxy`;
    const tlsSecret = `${props.name}-tls`;

    const service: Record<string, unknown> = {
      type: props.serviceType,
      annotations: { ...(props.serviceAnnotations ?? {}) },
      ...(props.serviceType === 'LoadBalancer' && { externalTrafficPolicy: 'Local' }),
    };
    if (props.serviceType === 'NodePort' && props.nodePorts) {
      // Envoy Gateway names the Service ports after the listeners; pin the node ports with a patch.
      service.patch = {
        type: 'StrategicMerge',
        value: {
          spec: {
            ports: [
              { name: 'http-80', port: 80, nodePort: props.nodePorts.http },
              { name: 'https-443', port: 443, nodePort: props.nodePorts.https },
            ],
          },
        },
      };
    }

    new ApiObject(this, 'envoy-proxy', {
      apiVersion: 'gateway.envoyproxy.io/v1alpha1',
      kind: 'EnvoyProxy',
      metadata: { name: proxyName, namespace: props.namespace, labels },
      spec: {
        provider: {
          type: 'Kubernetes',
          kubernetes: {
            envoyService: service,
            envoyDeployment: {
              replicas,
              pod: {
                topologySpreadConstraints: [
                  {
                    maxSkew: 1,
                    topologyKey,
                    whenUnsatisfiable: 'ScheduleAnyway',
                    labelSelector: { matchLabels: { 'app.kubernetes.io/component': 'proxy' } },
                  },
                ],
              },
              container: {
                resources: {
                  requests: { cpu: '100m', memory: '128Mi' },
                  limits: { cpu: '1', memory: '512Mi' },
                },
              },
            },
            envoyPDB: { minAvailable: 1 },
          },
        },
      },
    });

    new ApiObject(this, 'gateway-class', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'GatewayClass',
      metadata: { name: className, labels },
      spec: {
        controllerName: 'gateway.envoyproxy.io/gatewayclass-controller',
        parametersRef: {
          group: 'gateway.envoyproxy.io',
          kind: 'EnvoyProxy',
          name: proxyName,
          namespace: props.namespace,
        },
      },
    });

    const allowedRoutes = {
      namespaces: {
        from: 'Selector',
        selector: {
          matchExpressions: [
            { key: 'kubernetes.io/metadata.name', operator: 'In', values: [...props.routeNamespaces] },
          ],
        },
      },
    };
    new ApiObject(this, 'gateway', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: props.name, namespace: props.namespace, labels },
      spec: {
        gatewayClassName: className,
        listeners: [
          // Only the redirect below (same namespace) may attach to plain HTTP: no API is ever served over it.
          {
            name: HTTP_LISTENER,
            protocol: 'HTTP',
            port: 80,
            allowedRoutes: { namespaces: { from: 'Same' } },
          },
          ...props.hostnames.map((hostname, i) => ({
            name: httpsListenerNames(props.hostnames)[i] ?? `https-${i}`,
            protocol: 'HTTPS',
            port: 443,
            hostname,
            tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: tlsSecret }] },
            allowedRoutes,
          })),
        ],
      },
    });

    new ApiObject(this, 'client-traffic', {
      apiVersion: 'gateway.envoyproxy.io/v1alpha1',
      kind: 'ClientTrafficPolicy',
      metadata: { name: props.name, namespace: props.namespace, labels },
      spec: {
        targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: props.name }],
        clientIPDetection: { xForwardedFor: { numTrustedHops: props.clientTraffic.trustedProxyHops } },
        connection: {
          connectionLimit: { value: props.clientTraffic.connectionLimit },
          bufferLimit: props.clientTraffic.connectionBufferLimit,
        },
        // Slow-loris clients lose their connection; headers with underscores are refused as ambiguous.
        timeout: { http: { requestReceivedTimeout: '30s', idleTimeout: '5m' } },
        headers: { withUnderscoresAction: 'RejectRequest', requestID: 'PreserveOrGenerate' },
      },
    });

    new ApiObject(this, 'https-redirect', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: `${props.name}-https-redirect`, namespace: props.namespace, labels },
      spec: {
        parentRefs: [
          {
            group: 'gateway.networking.k8s.io',
            kind: 'Gateway',
            name: props.name,
            sectionName: HTTP_LISTENER,
          },
        ],
        rules: [
          {
            filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }],
          },
        ],
      },
    });

    new ApiObject(this, 'certificate', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: tlsSecret, namespace: props.namespace, labels },
      spec: {
        secretName: tlsSecret,
        dnsNames: [...props.hostnames],
        issuerRef: { kind: 'ClusterIssuer', name: props.clusterIssuer, group: 'cert-manager.io' },
        privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
        duration: '2160h',
        renewBefore: '720h',
      },
    });
  }
}
