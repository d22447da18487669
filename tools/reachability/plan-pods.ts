/**
 * The pods an environment's plan will run, for the reachability matrix: the rendered workloads (a Rollout as
 * its steady-state pods), the pods the operators create for our custom resources, the pods of the Helm
 * releases the plan installs, and kube-dns. Pure: plan resources in, pods and namespaces out.
 */
import { ALLOY_EXTRA_PORTS, ALLOY_POD_LABELS } from '../../charts/alloy-config/alloy-config-props';
import { MONITORING_PODS, MONITORING_PORTS } from '../../charts/monitoring-network-policies';
import {
  ARGO_ROLLOUTS_METRICS_PORT,
  ARGO_ROLLOUTS_POD_LABELS,
} from '../../infra/delivery/argo-rollouts-values';
import { TEMPO_PORTS } from '../../infra/monitoring/tempo-values';
import { steadyStatePodMetadata, type WorkloadObject } from '../prom-tools';
import type { PlanResource } from '../release';
import { planObjects, type PlanObject } from '../rollout-status/plan-objects';
import {
  KUBE_DNS_POD,
  ReachabilityError,
  type ContainerPort,
  type NamespaceInfo,
  type ReachPod,
} from './network-reachability';

type Labels = Readonly<Record<string, string>>;
type PodSpecLike = { containers?: readonly { ports?: readonly ContainerPort[] }[]; hostNetwork?: boolean };
type HelmRelease = { chart: string; namespace: string; values: Record<string, unknown> };

const tcp = (...ports: number[]): ContainerPort[] => ports.map((containerPort) => ({ containerPort }));
const named = (name: string, containerPort: number, protocol = 'TCP'): ContainerPort => ({
  name,
  containerPort,
  protocol,
});

function containerPorts(spec: PodSpecLike | undefined): ContainerPort[] {
  return (spec?.containers ?? []).flatMap((c) => (c.ports ?? []).map((p) => ({ ...p })));
}

/** Pods of the workloads the plan renders itself (Deployments, StatefulSets, DaemonSets, Rollouts). */
type PodTemplateLike = { metadata?: { labels?: Labels }; spec?: PodSpecLike };

function workloadPods(o: PlanObject): ReachPod[] {
  const namespace = o.metadata.namespace ?? '';
  const spec = o.spec as
    { template?: PodTemplateLike; jobTemplate?: { spec?: { template?: PodTemplateLike } } } | undefined;
  // A CronJob's pods come from its Job template; between runs there are none, but the policies must allow
  // what a run does.
  const template = o.kind === 'CronJob' ? spec?.jobTemplate?.spec?.template : spec?.template;
  // Host-network pods listen on the node's address: NetworkPolicies do not apply to them.
  if (template?.spec?.hostNetwork === true) return [];
  const pod = (labels: Labels): ReachPod => ({
    namespace,
    id: `${namespace}/${o.metadata.name}`,
    labels,
    ports: containerPorts(template?.spec),
  });
  if (['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob'].includes(o.kind))
    return [pod(template?.metadata?.labels ?? {})];
  // A Rollout's template has no track; once rolled out its pods are the stable (canary) or active (blueGreen)
  // ReplicaSet's, labelled by Argo. Canary/preview pods exist only during a rollout.
  if (o.kind === 'Rollout') return [pod(steadyStatePodMetadata(o as unknown as WorkloadObject).labels)];
  return [];
}

/**
 * Pods the operators create for our custom resources, from their documented labels and ports.
 * Strimzi 0.48 (KRaft, node pools): every node pod carries the cluster, kind Kafka, name `<cluster>-kafka`,
 * its pool and its roles; brokers listen on replication 9091 and the listeners, controllers on 9090, all on
 * the agent's 8443 and, with metricsConfig, tcp-prometheus 9404. The entity operator's topic and user
 * operators serve 8080/8081; the exporter 9404. The Percona operator labels mongod pods with
 * name/instance/component/replset and adds our sidecars.
 */
function operatorPods(o: PlanObject, all: readonly PlanObject[]): ReachPod[] {
  const namespace = o.metadata.namespace ?? '';
  const spec = (o.spec ?? {}) as Record<string, unknown>;
  if (o.kind === 'Kafka') {
    const cluster = o.metadata.name;
    const kafka = (spec.kafka ?? {}) as {
      listeners?: { name: string; port: number }[];
      metricsConfig?: unknown;
    };
    const base = { 'strimzi.io/cluster': cluster, 'strimzi.io/kind': 'Kafka' };
    const metrics = kafka.metricsConfig !== undefined ? [named('tcp-prometheus', 9404)] : [];
    const pools = all.filter(
      (p) =>
        p.kind === 'KafkaNodePool' &&
        (p.metadata.namespace ?? '') === namespace &&
        p.metadata.labels?.['strimzi.io/cluster'] === cluster,
    );
    const nodes: ReachPod[] = pools.map((pool) => {
      const roles = ((pool.spec as { roles?: string[] } | undefined)?.roles ?? []) as string[];
      const broker = roles.includes('broker');
      const controller = roles.includes('controller');
      return {
        namespace,
        id: `${namespace}/${cluster}`,
        labels: {
          ...base,
          'strimzi.io/name': `${cluster}-kafka`,
          'strimzi.io/component-type': 'kafka',
          'strimzi.io/pool-name': pool.metadata.name,
          'strimzi.io/broker-role': String(broker),
          'strimzi.io/controller-role': String(controller),
        },
        ports: [
          ...(controller ? [named('tcp-ctrlplane', 9090)] : []),
          ...(broker
            ? [
                named('tcp-replication', 9091),
                ...(kafka.listeners ?? []).map((l) => named(`tcp-${l.name}`, l.port)),
              ]
            : []),
          named('tcp-kafkaagent', 8443),
          ...metrics,
        ],
      };
    });
    const extra = (name: string, ports: ContainerPort[]): ReachPod => ({
      namespace,
      id: `${namespace}/${name}`,
      labels: { ...base, 'strimzi.io/name': name },
      ports,
    });
    return [
      ...nodes,
      ...(spec.entityOperator !== undefined
        ? [extra(`${cluster}-entity-operator`, [named('healthcheck', 8080), named('healthcheck', 8081)])]
        : []),
      ...(spec.kafkaExporter !== undefined
        ? [extra(`${cluster}-kafka-exporter`, [named('tcp-prometheus', 9404)])]
        : []),
    ];
  }
  if (o.kind === 'PerconaServerMongoDB') {
    const replsets = (spec.replsets ?? []) as { name: string; sidecars?: PodSpecLike['containers'] }[];
    return replsets.map((rs) => ({
      namespace,
      id: `${namespace}/${o.metadata.name}`,
      labels: {
        'app.kubernetes.io/name': 'percona-server-mongodb',
        'app.kubernetes.io/instance': o.metadata.name,
        'app.kubernetes.io/component': 'mongod',
        'app.kubernetes.io/replset': rs.name,
        'app.kubernetes.io/managed-by': 'percona-server-mongodb-operator',
        'app.kubernetes.io/part-of': 'percona-server-mongodb',
      },
      ports: [named('mongodb', 27017), ...containerPorts({ containers: rs.sidecars ?? [] })],
    }));
  }
  return [];
}

/**
 * Pods of the Helm releases the plan installs, as the charts label them. Labels the platform's own charts
 * select on come from the constants those charts use; node-exporter runs on the host network (not subject
 * to NetworkPolicies) and is left out.
 */
function helmPods(release: HelmRelease): ReachPod[] {
  const { namespace, values } = release;
  const pod = (app: string, labels: Labels, ports: ContainerPort[]): ReachPod => ({
    namespace,
    id: `${namespace}/${app}`,
    labels: { ...labels },
    ports,
  });
  const P = MONITORING_PORTS;
  const enabled = (key: string) => (values[key] as { enabled?: boolean } | undefined)?.enabled !== false;
  switch (release.chart) {
    case 'kube-prometheus-stack':
      // charts/monitoring-network-policies MONITORING_PODS and MONITORING_PORTS (chart defaults).
      return [
        pod('prometheus', MONITORING_PODS.prometheus, [
          named('http-web', P.prometheus),
          named('reloader-web', P.configReloader),
        ]),
        ...(enabled('alertmanager')
          ? [
              pod('alertmanager', MONITORING_PODS.alertmanager, [
                named('http-web', P.alertmanager),
                named('mesh-tcp', P.alertmanagerMesh),
                named('mesh-udp', P.alertmanagerMesh, 'UDP'),
                named('reloader-web', P.configReloader),
              ]),
            ]
          : []),
        ...(enabled('grafana')
          ? [pod('grafana', MONITORING_PODS.grafana, [named('grafana', P.grafana)])]
          : []),
        ...(enabled('kubeStateMetrics')
          ? [pod('kube-state-metrics', MONITORING_PODS.kubeStateMetrics, tcp(...P.kubeStateMetrics))]
          : []),
        pod('operator', MONITORING_PODS.operator, [named('https', P.operator)]),
        // The admission webhook's certificate Jobs run at install and upgrade; they only call the API.
        pod('admission-create', MONITORING_PODS.admissionJobs, []),
        pod('admission-patch', MONITORING_PODS.admissionPatch, []),
      ];
    case 'alloy':
      // charts/alloy-config ALLOY_POD_LABELS and ALLOY_EXTRA_PORTS; 12345 is the chart's http-metrics port.
      return [
        pod('alloy', ALLOY_POD_LABELS, [
          named('http-metrics', 12345),
          ...ALLOY_EXTRA_PORTS.map((p) => named(p.name, p.targetPort, p.protocol)),
        ]),
      ];
    case 'loki':
      // MONITORING_PODS.loki (the chart's app.kubernetes.io/name on every component); single binary or the
      // read/write/backend targets listen on 3100/9095/7946; the gateway's nginx on 8080 (MONITORING_PORTS).
      return [
        pod(
          'loki',
          { ...MONITORING_PODS.loki, 'app.kubernetes.io/component': 'single-binary' },
          tcp(...P.loki),
        ),
        pod('loki-gateway', { ...MONITORING_PODS.loki, 'app.kubernetes.io/component': 'gateway' }, [
          named('http-metrics', P.lokiGateway),
        ]),
      ];
    case 'tempo':
      // MONITORING_PODS.tempo; infra/monitoring/tempo-values TEMPO_PORTS.
      return [
        pod(
          'tempo',
          MONITORING_PODS.tempo,
          tcp(TEMPO_PORTS.http, TEMPO_PORTS.otlpGrpc, TEMPO_PORTS.otlpHttp),
        ),
      ];
    case 'argo-rollouts':
      // infra/delivery ARGO_ROLLOUTS_POD_LABELS and ARGO_ROLLOUTS_METRICS_PORT; 8080 is the healthz port.
      return [
        pod('argo-rollouts', ARGO_ROLLOUTS_POD_LABELS, [
          named('metrics', ARGO_ROLLOUTS_METRICS_PORT),
          named('healthz', 8080),
        ]),
      ];
    case 'oci://docker.io/envoyproxy/gateway-helm':
      return [
        // The proxies Envoy Gateway creates for the Gateway: the labels charts/platform-access selects
        // (stacks/network-peers gatewayPeer); 10080/10443 carry the Gateway's 80/443, 19001 is Envoy's metrics.
        pod(
          'envoy-proxy',
          {
            'app.kubernetes.io/name': 'envoy',
            'app.kubernetes.io/component': 'proxy',
            'app.kubernetes.io/managed-by': 'envoy-gateway',
          },
          [named('http-10080', 10080), named('https-10443', 10443), named('metrics', 19001)],
        ),
        // The controller (gateway-helm's labels): xDS 18000, webhook 9443, metrics 19001.
        pod('envoy-gateway', { 'control-plane': 'envoy-gateway', 'app.kubernetes.io/name': 'gateway-helm' }, [
          named('grpc', 18000),
          named('webhook', 9443),
          named('metrics', 19001),
        ]),
      ];
    case 'cert-manager':
      // The cert-manager chart's component labels; the webhook serves the API server on 10250.
      return [
        pod(
          'cert-manager',
          { 'app.kubernetes.io/name': 'cert-manager', 'app.kubernetes.io/component': 'controller' },
          [named('http-metrics', 9402)],
        ),
        pod(
          'cert-manager-webhook',
          { 'app.kubernetes.io/name': 'webhook', 'app.kubernetes.io/component': 'webhook' },
          [named('https', 10250)],
        ),
        pod(
          'cert-manager-cainjector',
          { 'app.kubernetes.io/name': 'cainjector', 'app.kubernetes.io/component': 'cainjector' },
          [],
        ),
      ];
    case 'oci://quay.io/strimzi-helm/strimzi-kafka-operator':
      // The operator would add NetworkPolicies of its own for every Kafka cluster, which no plan shows.
      if (values.generateNetworkPolicy !== false) {
        throw new ReachabilityError(
          `${namespace}/strimzi: the Strimzi operator generates NetworkPolicies of its own (values.generateNetworkPolicy is ${JSON.stringify(values.generateNetworkPolicy ?? true)}), which the plan cannot see; set it to false and render the cluster's policies (charts/kafka-cluster)`,
        );
      }
      // The label charts/kafka-cluster's operator policy selects; 8080 serves health and metrics.
      return [
        pod(
          'strimzi-cluster-operator',
          { name: 'strimzi-cluster-operator', 'strimzi.io/kind': 'cluster-operator' },
          [named('http', 8080)],
        ),
      ];
    case 'psmdb-operator':
      // The label charts/mongodb-replica-set's operator policy selects; 8080 serves metrics.
      return [
        pod('psmdb-operator', { 'app.kubernetes.io/name': 'psmdb-operator' }, [named('metrics', 8080)]),
      ];
    default:
      return [];
  }
}

function helmReleases(resources: readonly PlanResource[]): HelmRelease[] {
  return resources
    .filter((r) => r.type === 'kubernetes:helm.sh/v3:Release')
    .map((r) => ({
      chart: String(r.inputs.chart ?? ''),
      namespace: String(r.inputs.namespace ?? 'default'),
      values: (r.inputs.values ?? {}) as Record<string, unknown>,
    }));
}

export interface PlanInventory {
  readonly pods: readonly ReachPod[];
  readonly namespaces: readonly NamespaceInfo[];
}

/** Pods and namespaces of a plan (its resources.json), kube-dns included. */
export function planPods(resources: readonly PlanResource[]): PlanInventory {
  const objects = planObjects(resources);
  const pods = [
    ...objects.flatMap((o) => [...workloadPods(o), ...operatorPods(o, objects)]),
    ...helmReleases(resources).flatMap(helmPods),
    KUBE_DNS_POD,
  ];
  const namespaces = objects
    .filter((o) => o.kind === 'Namespace')
    .map((o) => ({ name: o.metadata.name, labels: { ...(o.metadata.labels ?? {}) } }));
  return { pods, namespaces };
}

/** The NetworkPolicies among a plan's objects. */
export function planNetworkPolicies(resources: readonly PlanResource[]): PlanObject[] {
  return planObjects(resources).filter(
    (o) => o.kind === 'NetworkPolicy' && o.apiVersion === 'networking.k8s.io/v1',
  );
}
