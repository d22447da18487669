import { ApiObject, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import type { Construct } from 'constructs';
import { labelValue, MONITORING_SELECTOR, policyPeer, standardLabels, type ContainerResources } from '../lib';
import { userAcls } from './kafka-acls';
import type { KafkaClusterProps } from './kafka-cluster-props';
import { DEFAULT_KAFKA_NAME, KAFKA_TLS_PORT, MIRROR_MAKER_LISTENER_PORT } from './kafka-connection';
import { METRICS_CONFIG_KEY, kafkaMetricsConfig } from './kafka-metrics-config';
import { kafkaNetworkPolicies } from './kafka-network-policies';
import { nodePoolsOf, validateKafkaCluster } from './kafka-validation';
import {
  CLUSTER_LABEL,
  METRICS_PORT_NAME,
  POOL_LABEL,
  TOPIC_OPERATOR_PORT,
  USER_OPERATOR_PORT,
  clusterPods,
  entityOperatorPods,
  kafkaExporterPods,
  kafkaNodePods,
} from './strimzi-names';

const API_VERSION = 'kafka.strimzi.io/v1beta2';
const DEFAULT_ENTITY_OPERATOR_RESOURCES: ContainerResources = {
  requests: { cpu: '100m', memory: '384Mi' },
  limits: { cpu: '500m', memory: '384Mi' },
};
const DEFAULT_EXPORTER_RESOURCES: ContainerResources = {
  requests: { cpu: '50m', memory: '64Mi' },
  limits: { cpu: '250m', memory: '128Mi' },
};
/** One pod down at a time, for node drains as for Strimzi's own rolling updates. */
const PDB = { maxUnavailable: 1 };
/** Listener name of the MirrorMaker listener (Strimzi allows [a-z0-9]{1,11}). */
export const MIRROR_MAKER_LISTENER_NAME = 'mm2';
/**
 * The MirrorMaker listener's Services become internal NLBs of the AWS Load Balancer Controller. Targets are
 * the broker pods and the client IP is kept, so the brokers' NetworkPolicy can admit the standby CIDR only.
 */
export const INTERNAL_NLB_ANNOTATIONS: Readonly<Record<string, string>> = {
  'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
  'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
  'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
  'service.beta.kubernetes.io/aws-load-balancer-target-group-attributes': 'preserve_client_ip.enabled=true',
};
const HOSTNAME = 'kubernetes.io/hostname';

/**
 * A Kafka cluster run by Strimzi in KRaft mode: the Kafka resource (one internal TLS listener with
 * SCRAM-SHA-512, simple authorization, entity operator, Kafka exporter, JMX metrics), its node pools, topics
 * and users with exactly their declared ACLs, the metrics ConfigMap, PodMonitors, and the NetworkPolicies the
 * namespace's default-deny needs for the cluster and its operator.
 */
export class KafkaClusterChart extends Chart {
  constructor(scope: Construct, id: string, props: KafkaClusterProps) {
    super(scope, id);
    const name = props.name ?? DEFAULT_KAFKA_NAME;
    const partOf = props.partOf ?? 'platform';
    const antiAffinityTopologyKey = props.antiAffinityTopologyKey ?? HOSTNAME;
    const placement = props.placement ?? {};
    const topics = props.topics ?? [];
    const users = props.users ?? [];
    const operatorMetricsPort = props.operatorMetricsPort ?? 8080;
    const entityOperatorResources = props.entityOperatorResources ?? DEFAULT_ENTITY_OPERATOR_RESOURCES;
    const kafkaExporterResources = props.kafkaExporterResources ?? DEFAULT_EXPORTER_RESOURCES;
    validateKafkaCluster(props, name);
    const mirrorListener =
      props.mirrorMakerListener === undefined
        ? undefined
        : {
            allowedCidrs: props.mirrorMakerListener.allowedCidrs,
            alternativeNames: props.mirrorMakerListener.bootstrapAlternativeNames ?? [],
            port: props.mirrorMakerListener.port ?? MIRROR_MAKER_LISTENER_PORT,
          };

    const { namespace } = props;
    const pools = nodePoolsOf(props.nodePools);
    const { defaultReplicationFactor: factor, minInsyncReplicas: minIsr } = props.config;
    const labels = standardLabels(name, partOf, { component: 'kafka', version: labelValue(props.version) });
    // Strimzi finds node pools, topics and users of a cluster by this label.
    const strimziLabels = { ...labels, [CLUSTER_LABEL]: name };
    const meta = (objectName: string, objectLabels: Record<string, string> = labels) => ({
      name: objectName,
      namespace,
      labels: objectLabels,
    });
    const nodeAffinity = requiredNodeAffinity(placement.nodeSelector ?? {});
    const tolerations = (placement.tolerations ?? []).map((t) => ({ ...t }));
    // The entity operator and the exporter run where the nodes run.
    const operatorPod = {
      ...(nodeAffinity !== undefined && { affinity: { nodeAffinity } }),
      ...(tolerations.length > 0 && { tolerations }),
    };
    const metricsConfigMap = `${name}-kafka-metrics`;

    new k8s.KubeConfigMap(this, 'metrics-config', {
      metadata: meta(metricsConfigMap),
      data: { [METRICS_CONFIG_KEY]: kafkaMetricsConfig() },
    });

    const config: Record<string, string | number | boolean> = {
      'default.replication.factor': factor,
      'min.insync.replicas': minIsr,
      'offsets.topic.replication.factor': factor,
      'transaction.state.log.replication.factor': factor,
      'transaction.state.log.min.isr': minIsr,
      // Share groups (Kafka 4) keep their state in an internal topic too.
      'share.coordinator.state.topic.replication.factor': factor,
      'share.coordinator.state.topic.min.isr': minIsr,
      // Topics exist only as declared KafkaTopics, with reviewed partitions and replicas.
      'auto.create.topics.enable': false,
      // Never elect an out-of-sync replica: that silently drops acknowledged writes.
      'unclean.leader.election.enable': false,
      // A resource without ACLs is closed, not open.
      'allow.everyone.if.no.acl.found': false,
      // Consumers that set client.rack fetch from a replica in their own zone instead of crossing zones.
      ...(props.rackTopologyKey !== undefined && {
        'replica.selector.class': 'org.apache.kafka.common.replica.RackAwareReplicaSelector',
      }),
    };

    new ApiObject(this, 'kafka', {
      apiVersion: API_VERSION,
      kind: 'Kafka',
      metadata: meta(name),
      spec: {
        kafka: {
          version: props.version,
          ...(props.metadataVersion !== undefined && { metadataVersion: props.metadataVersion }),
          listeners: [
            {
              name: 'tls',
              port: KAFKA_TLS_PORT,
              type: 'internal',
              tls: true,
              authentication: { type: 'scram-sha-512' },
              // Strimzi's own policy admits the listener from everywhere when no peer is given.
              networkPolicyPeers:
                props.clients.length > 0
                  ? props.clients.map((peer) => policyPeer(peer))
                  : [{ podSelector: { matchLabels: clusterPods(name) } }],
            },
            ...(mirrorListener === undefined
              ? []
              : [
                  {
                    name: MIRROR_MAKER_LISTENER_NAME,
                    port: mirrorListener.port,
                    type: 'loadbalancer',
                    tls: true,
                    authentication: { type: 'scram-sha-512' },
                    configuration: {
                      loadBalancerSourceRanges: [...mirrorListener.allowedCidrs],
                      ...(mirrorListener.alternativeNames.length > 0 && {
                        bootstrap: { alternativeNames: [...mirrorListener.alternativeNames] },
                      }),
                    },
                    networkPolicyPeers: mirrorListener.allowedCidrs.map((cidr) => ({ ipBlock: { cidr } })),
                  },
                ]),
          ],
          authorization: { type: 'simple' },
          config,
          ...(props.rackTopologyKey !== undefined && { rack: { topologyKey: props.rackTopologyKey } }),
          metricsConfig: {
            type: 'jmxPrometheusExporter',
            valueFrom: { configMapKeyRef: { name: metricsConfigMap, key: METRICS_CONFIG_KEY } },
          },
          template: {
            podDisruptionBudget: PDB,
            // Only the MirrorMaker listener has external bootstrap and per-broker Services.
            ...(mirrorListener !== undefined && {
              externalBootstrapService: { metadata: { annotations: { ...INTERNAL_NLB_ANNOTATIONS } } },
              perPodService: { metadata: { annotations: { ...INTERNAL_NLB_ANNOTATIONS } } },
            }),
          },
        },
        entityOperator: {
          topicOperator: { resources: resources(entityOperatorResources) },
          userOperator: { resources: resources(entityOperatorResources) },
          template: { ...podTemplate(operatorPod), podDisruptionBudget: PDB },
        },
        // Consumer lag per group and partition, which the brokers do not export.
        kafkaExporter: {
          topicRegex: '.*',
          groupRegex: '.*',
          resources: resources(kafkaExporterResources),
          template: { ...podTemplate(operatorPod), podDisruptionBudget: PDB },
        },
      },
    });

    for (const pool of pools) {
      new ApiObject(this, `pool-${pool.name}`, {
        apiVersion: API_VERSION,
        kind: 'KafkaNodePool',
        metadata: meta(pool.name, strimziLabels),
        spec: {
          replicas: pool.group.replicas,
          roles: [...pool.roles],
          storage: {
            type: 'jbod',
            volumes: [
              {
                id: 0,
                type: 'persistent-claim',
                size: pool.group.storage,
                class: props.storageClass,
                // The data outlives the cluster resource; deleting volumes is a deliberate manual step.
                deleteClaim: false,
                kraftMetadata: 'shared',
              },
            ],
          },
          resources: resources(pool.group.resources),
          template: {
            pod: {
              affinity: {
                ...(nodeAffinity !== undefined && { nodeAffinity }),
                // Controllers and brokers of different pools also prefer different hosts.
                podAntiAffinity: {
                  preferredDuringSchedulingIgnoredDuringExecution: [
                    {
                      weight: 100,
                      podAffinityTerm: {
                        topologyKey: HOSTNAME,
                        labelSelector: { matchLabels: kafkaNodePods(name) },
                      },
                    },
                  ],
                },
              },
              ...(tolerations.length > 0 && { tolerations }),
              // An even spread (maxSkew 1) rather than a required anti-affinity, so a pool can grow past the
              // number of zones or hosts.
              topologySpreadConstraints: [
                {
                  maxSkew: 1,
                  topologyKey: antiAffinityTopologyKey,
                  whenUnsatisfiable: 'DoNotSchedule',
                  labelSelector: { matchLabels: { [CLUSTER_LABEL]: name, [POOL_LABEL]: pool.name } },
                },
              ],
            },
          },
        },
      });
    }

    for (const topic of topics) {
      new ApiObject(this, `topic-${topic.name}`, {
        apiVersion: API_VERSION,
        kind: 'KafkaTopic',
        metadata: meta(topic.name, strimziLabels),
        spec: {
          partitions: topic.partitions,
          replicas: topic.replicas,
          ...(topic.config !== undefined && { config: { ...topic.config } }),
        },
      });
    }

    for (const user of users) {
      new ApiObject(this, `user-${user.name}`, {
        apiVersion: API_VERSION,
        kind: 'KafkaUser',
        metadata: meta(user.name, strimziLabels),
        spec: {
          authentication: {
            type: 'scram-sha-512',
            password: {
              valueFrom: { secretKeyRef: { name: user.passwordSecret.name, key: user.passwordSecret.key } },
            },
          },
          authorization: { type: 'simple', acls: userAcls(user) },
        },
      });
    }

    const podMonitor = (id: string, selector: Record<string, string>, endpoints: object[]) =>
      new ApiObject(this, `pod-monitor-${id}`, {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PodMonitor',
        metadata: meta(`${name}-${id}`, { ...labels, ...MONITORING_SELECTOR }),
        spec: {
          selector: { matchLabels: selector },
          namespaceSelector: { matchNames: [namespace] },
          podMetricsEndpoints: endpoints,
        },
      });
    podMonitor('kafka', kafkaNodePods(name), [
      {
        port: METRICS_PORT_NAME,
        path: '/metrics',
        relabelings: [
          // strimzi_io_pool_name, strimzi_io_broker_role, ... tell controllers and brokers apart.
          { action: 'labelmap', regex: '__meta_kubernetes_pod_label_(strimzi_io_.+)', replacement: '$1' },
          { action: 'replace', sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'node_name' },
        ],
      },
    ]);
    podMonitor('kafka-exporter', kafkaExporterPods(name), [{ port: METRICS_PORT_NAME, path: '/metrics' }]);
    // By number: the two containers' port names changed between Strimzi releases.
    podMonitor('entity-operator', entityOperatorPods(name), [
      { portNumber: TOPIC_OPERATOR_PORT, path: '/metrics' },
      { portNumber: USER_OPERATOR_PORT, path: '/metrics' },
    ]);

    const policies = kafkaNetworkPolicies({
      cluster: name,
      clients: props.clients,
      operatorPodLabels: props.operatorPodLabels,
      operatorMetricsPort,
      monitoringNamespace: props.monitoringNamespace,
      rackAwareness: props.rackTopologyKey !== undefined,
      ...(mirrorListener !== undefined && { mirrorMakerListener: mirrorListener }),
    });
    for (const policy of policies) {
      new k8s.KubeNetworkPolicy(this, `policy-${policy.name}`, {
        metadata: meta(policy.name),
        spec: policy.spec,
      });
    }
  }
}

function resources(r: ContainerResources) {
  return {
    requests: { cpu: r.requests.cpu, memory: r.requests.memory },
    limits: { cpu: r.limits.cpu, memory: r.limits.memory },
  };
}

/**
 * Strimzi pod templates have no nodeSelector: the placement's becomes a required node affinity, which Strimzi
 * merges with the one rack awareness adds.
 */
function requiredNodeAffinity(nodeSelector: Readonly<Record<string, string>>): object | undefined {
  const labels = Object.entries(nodeSelector).sort(([a], [b]) => a.localeCompare(b));
  if (labels.length === 0) return undefined;
  const matchExpressions = labels.map(([key, value]) => ({ key, operator: 'In', values: [value] }));
  return { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions }] } };
}

function podTemplate(pod: object): { pod?: object } {
  return Object.keys(pod).length > 0 ? { pod } : {};
}
