import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import type { Construct } from 'constructs';
import { policyPeer, standardLabels, tcpPorts } from '../lib';

/** Metrics ports Prometheus may scrape in one namespace outside its own. */
export interface ScrapeTarget {
  readonly namespace: string;
  readonly ports: readonly number[];
}

export interface MonitoringNetworkPoliciesProps {
  /** The monitoring namespace, where kube-prometheus-stack runs. */
  readonly namespace: string;
  /** Every metrics port of the platform's workloads (services, exporters, operators), per namespace. */
  readonly scrapeTargets: readonly ScrapeTarget[];
  /** Whether Alertmanager runs (level alerting or full). */
  readonly alertmanager: boolean;
  /** Loki, Tempo and Alloy: who may send traces (namespaces), and whether the stores reach S3. */
  readonly logsAndTraces?: {
    readonly otlpClientNamespaces: readonly string[];
    readonly objectStorage: boolean;
  };
  /**
   * Ports of the Kubernetes API server (service discovery, the Grafana sidecar, kube-state-metrics).
   * @default [443, 6443]
   */
  readonly kubernetesApiPorts?: readonly number[];
  /**
   * @default 'platform'
   */
  readonly partOf?: string;
  /**
   * Argo Rollouts, where it runs: Prometheus scrapes the controller's metrics port, and the controller queries
   * Prometheus for its analyses. Unset: nothing of either is opened.
   */
  readonly progressiveDelivery?: ProgressiveDeliveryPeer;
}

/** The Argo Rollouts controller as the monitoring namespace sees it. */
export interface ProgressiveDeliveryPeer {
  readonly controllerNamespace: string;
  readonly controllerPodLabels: Readonly<Record<string, string>>;
  readonly metricsPort: number;
}

/** Pod labels of kube-prometheus-stack's workloads (chart templates and the operator's StatefulSets). */
export const MONITORING_PODS = {
  prometheus: { 'app.kubernetes.io/name': 'prometheus' },
  alertmanager: { 'app.kubernetes.io/name': 'alertmanager' },
  grafana: { 'app.kubernetes.io/name': 'grafana' },
  kubeStateMetrics: { 'app.kubernetes.io/name': 'kube-state-metrics' },
  operator: { app: 'kube-prometheus-stack-operator' },
  admissionJobs: { app: 'kube-prometheus-stack-admission-create' },
  admissionPatch: { app: 'kube-prometheus-stack-admission-patch' },
  alloy: { 'app.kubernetes.io/name': 'alloy' },
  loki: { 'app.kubernetes.io/name': 'loki' },
  tempo: { 'app.kubernetes.io/name': 'tempo' },
} as const;

/** Ports the monitoring workloads listen on (chart defaults). */
export const MONITORING_PORTS = {
  prometheus: 9090,
  configReloader: 8080,
  alertmanager: 9093,
  alertmanagerMesh: 9094,
  grafana: 3000,
  kubeStateMetrics: [8080, 8081],
  /** The operator's TLS port: admission webhooks from the API server, and its metrics. */
  operator: 10250,
  /** On every node: the kubelet (cAdvisor, volume stats) and node-exporter (host network). */
  kubelet: 10250,
  nodeExporter: 9100,
  otlp: [4317, 4318],
  /** Loki's HTTP and gRPC ports, its memberlist, and the gateway's nginx. */
  loki: [3100, 9095, 7946],
  lokiGateway: 8080,
  tempo: 3200,
  tempoOtlpGrpc: 4317,
} as const;

const ANYWHERE: k8s.NetworkPolicyPeer = { ipBlock: { cidr: '0.0.0.0/0' } };

/** The Loki chart's gateway pods (nginx in front of Loki). */
export const LOKI_GATEWAY_PODS = {
  ...MONITORING_PODS.loki,
  'app.kubernetes.io/component': 'gateway',
} as const;
/** Every Loki pod but the gateway: single binary, or the read, write and backend targets. */
const LOKI_SERVERS: k8s.LabelSelector = {
  matchLabels: { ...MONITORING_PODS.loki },
  matchExpressions: [{ key: 'app.kubernetes.io/component', operator: 'NotIn', values: ['gateway'] }],
};
const lokiServers: k8s.NetworkPolicyPeer = { podSelector: LOKI_SERVERS };

/**
 * NetworkPolicies for the monitoring namespace, on top of its default-deny: Prometheus reaches exactly the
 * metrics ports (of the platform's namespaces, of its own namespace, of the kubelets and node-exporters) and
 * Alertmanager; Grafana reads Prometheus; Alertmanager peers gossip and send notifications over HTTPS; the
 * operator takes admission webhooks; the controllers reach the Kubernetes API. Nothing else gets in or out.
 */
export class MonitoringNetworkPoliciesChart extends Chart {
  constructor(scope: Construct, id: string, props: MonitoringNetworkPoliciesProps) {
    super(scope, id);
    const { namespace } = props;
    const apiPorts = props.kubernetesApiPorts ?? [443, 6443];
    const labels = standardLabels('monitoring', props.partOf ?? 'platform', { component: 'network-policy' });
    const own = (pods: Readonly<Record<string, string>>) => policyPeer({ namespace, podLabels: pods });
    const apiServer: k8s.NetworkPolicyEgressRule = { to: [ANYWHERE], ports: tcpPorts(apiPorts) };
    const policy = (
      name: string,
      pods: Readonly<Record<string, string>>,
      rules: { ingress?: k8s.NetworkPolicyIngressRule[]; egress?: k8s.NetworkPolicyEgressRule[] },
    ) =>
      new k8s.KubeNetworkPolicy(this, name, {
        metadata: { name: `monitoring-${name}`, namespace, labels },
        spec: {
          podSelector: { matchLabels: { ...pods } },
          policyTypes: [...(rules.ingress ? ['Ingress'] : []), ...(rules.egress ? ['Egress'] : [])],
          ...(rules.ingress && { ingress: rules.ingress }),
          ...(rules.egress && { egress: rules.egress }),
        },
      });
    const P = MONITORING_PORTS;
    const delivery = props.progressiveDelivery;
    // The controller's metrics port is one more scrape target of its namespace (one rule per namespace, as
    // for every other target, so "what Prometheus may reach" stays one list).
    const scrapeTargets = mergeTargets([
      ...props.scrapeTargets,
      ...(delivery ? [{ namespace: delivery.controllerNamespace, ports: [delivery.metricsPort] }] : []),
    ]);

    policy('prometheus', MONITORING_PODS.prometheus, {
      ingress: [
        { from: [own(MONITORING_PODS.grafana)], ports: tcpPorts([P.prometheus]) },
        // Prometheus scrapes itself and its config reloader (the other replica too).
        { from: [own(MONITORING_PODS.prometheus)], ports: tcpPorts([P.prometheus, P.configReloader]) },
      ],
      egress: [
        ...scrapeTargets
          .filter((t) => t.ports.length > 0)
          .map((t) => ({ to: [policyPeer({ namespace: t.namespace })], ports: tcpPorts(t.ports) })),
        { to: [own(MONITORING_PODS.prometheus)], ports: tcpPorts([P.prometheus, P.configReloader]) },
        { to: [own(MONITORING_PODS.kubeStateMetrics)], ports: tcpPorts(P.kubeStateMetrics) },
        { to: [own(MONITORING_PODS.operator)], ports: tcpPorts([P.operator]) },
        { to: [own(MONITORING_PODS.grafana)], ports: tcpPorts([P.grafana]) },
        ...(props.alertmanager
          ? [{ to: [own(MONITORING_PODS.alertmanager)], ports: tcpPorts([P.alertmanager, P.configReloader]) }]
          : []),
        // Node addresses are not pods: the kubelet and node-exporter are reached by port on any address.
        { to: [ANYWHERE], ports: tcpPorts([P.kubelet, P.nodeExporter]) },
        apiServer,
      ],
    });

    if (delivery) {
      // Analyses (AnalysisTemplates with the Prometheus provider) query from the controller's pods.
      policy('prometheus-from-rollouts-controller', MONITORING_PODS.prometheus, {
        ingress: [
          {
            from: [
              policyPeer({
                namespace: delivery.controllerNamespace,
                podLabels: delivery.controllerPodLabels,
              }),
            ],
            ports: tcpPorts([P.prometheus]),
          },
        ],
      });
    }

    if (props.alertmanager) {
      const mesh = [
        { protocol: 'TCP', port: k8s.IntOrString.fromNumber(P.alertmanagerMesh) },
        { protocol: 'UDP', port: k8s.IntOrString.fromNumber(P.alertmanagerMesh) },
      ];
      policy('alertmanager', MONITORING_PODS.alertmanager, {
        ingress: [
          { from: [own(MONITORING_PODS.prometheus)], ports: tcpPorts([P.alertmanager, P.configReloader]) },
          { from: [own(MONITORING_PODS.grafana)], ports: tcpPorts([P.alertmanager]) },
          { from: [own(MONITORING_PODS.alertmanager)], ports: mesh },
        ],
        egress: [
          { to: [own(MONITORING_PODS.alertmanager)], ports: mesh },
          // Chat, paging and heartbeat receivers are HTTPS endpoints outside the cluster.
          { to: [ANYWHERE], ports: tcpPorts([443]) },
        ],
      });
    }

    const lt = props.logsAndTraces;
    policy('grafana', MONITORING_PODS.grafana, {
      // Users reach Grafana through `kubectl port-forward`; Prometheus scrapes it.
      ingress: [{ from: [own(MONITORING_PODS.prometheus)], ports: tcpPorts([P.grafana]) }],
      egress: [
        { to: [own(MONITORING_PODS.prometheus)], ports: tcpPorts([P.prometheus]) },
        ...(lt
          ? [
              // The Loki datasource queries through the gateway, like Alloy pushes.
              { to: [own(LOKI_GATEWAY_PODS)], ports: tcpPorts([P.lokiGateway]) },
              { to: [own(MONITORING_PODS.tempo)], ports: tcpPorts([P.tempo]) },
            ]
          : []),
        ...(props.alertmanager
          ? [{ to: [own(MONITORING_PODS.alertmanager)], ports: tcpPorts([P.alertmanager]) }]
          : []),
        // The dashboard sidecar watches ConfigMaps.
        apiServer,
      ],
    });

    if (lt) {
      // Alloy: OTLP in from the services, logs read through the API, out to Loki and Tempo only.
      policy('alloy', MONITORING_PODS.alloy, {
        ingress: lt.otlpClientNamespaces.map((ns) => ({
          from: [policyPeer({ namespace: ns })],
          ports: tcpPorts(P.otlp),
        })),
        egress: [
          { to: [own(LOKI_GATEWAY_PODS)], ports: tcpPorts([P.lokiGateway]) },
          { to: [own(MONITORING_PODS.tempo)], ports: tcpPorts([P.tempoOtlpGrpc]) },
          apiServer,
        ],
      });
      const objectStorage = lt.objectStorage ? [{ to: [ANYWHERE], ports: tcpPorts([443]) }] : [];
      // The gateway (nginx) is the only entry: Alloy pushes and Grafana queries through it; it forwards to
      // Loki's HTTP port. Loki's own components talk HTTP, gRPC and memberlist among themselves, and only
      // they (not the gateway) reach the object store.
      policy('loki-gateway', LOKI_GATEWAY_PODS, {
        ingress: [
          {
            from: [own(MONITORING_PODS.alloy), own(MONITORING_PODS.grafana)],
            ports: tcpPorts([P.lokiGateway]),
          },
        ],
        egress: [{ to: [lokiServers], ports: tcpPorts([P.loki[0]]) }],
      });
      new k8s.KubeNetworkPolicy(this, 'loki', {
        metadata: { name: 'monitoring-loki', namespace, labels },
        spec: {
          podSelector: LOKI_SERVERS,
          policyTypes: ['Ingress', 'Egress'],
          ingress: [
            { from: [own(LOKI_GATEWAY_PODS)], ports: tcpPorts([P.loki[0]]) },
            { from: [lokiServers], ports: tcpPorts(P.loki) },
          ],
          egress: [{ to: [lokiServers], ports: tcpPorts(P.loki) }, ...objectStorage],
        },
      });
      policy('tempo', MONITORING_PODS.tempo, {
        ingress: [
          { from: [own(MONITORING_PODS.alloy)], ports: tcpPorts([P.tempoOtlpGrpc]) },
          { from: [own(MONITORING_PODS.grafana)], ports: tcpPorts([P.tempo]) },
        ],
        egress: objectStorage,
      });
    }

    policy('kube-state-metrics', MONITORING_PODS.kubeStateMetrics, {
      ingress: [{ from: [own(MONITORING_PODS.prometheus)], ports: tcpPorts(P.kubeStateMetrics) }],
      egress: [apiServer],
    });

    policy('operator', MONITORING_PODS.operator, {
      // The API server calls the admission webhook from addresses outside the pod network.
      ingress: [
        { from: [ANYWHERE], ports: tcpPorts([P.operator]) },
        // ipBlock peers select no pods (Cilium; Calico differs), so Prometheus's scrape is its own rule.
        { from: [own(MONITORING_PODS.prometheus)], ports: tcpPorts([P.operator]) },
      ],
      egress: [apiServer],
    });

    policy('admission-create', MONITORING_PODS.admissionJobs, { ingress: [], egress: [apiServer] });
    policy('admission-patch', MONITORING_PODS.admissionPatch, { ingress: [], egress: [apiServer] });
  }
}

/** One target per namespace, in the order given, each port once (a lone target is returned as it is). */
function mergeTargets(targets: readonly ScrapeTarget[]): ScrapeTarget[] {
  const byNamespace = new Map<string, Set<number>>();
  for (const t of targets) {
    const ports = byNamespace.get(t.namespace) ?? new Set<number>();
    t.ports.forEach((p) => ports.add(p));
    byNamespace.set(t.namespace, ports);
  }
  return [...byNamespace].map(([namespace, ports]) => ({ namespace, ports: [...ports] }));
}
