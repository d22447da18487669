import { ApiObject, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import type { Construct } from 'constructs';
import { dnsEgressRule, labelValue, MONITORING_SELECTOR, policyPeer, standardLabels, tcpPorts } from '../lib';
import type { ContainerResources } from '../lib';
import { kafkaNodePods } from '../kafka-cluster/strimzi-names';
import type { KafkaMirrorMakerProps } from './kafka-mirror-maker-props';
import { targetAcls } from './mirror-acls';
import { MIRROR_METRICS_CONFIG_KEY, mirrorMetricsConfig } from './mirror-metrics-config';
import { mirroredTopics, validateMirrorMaker } from './mirror-validation';
import { scramUser } from './kafka-user-object';

export const DEFAULT_MIRROR_NAME = 'mirror';
export const DEFAULT_TARGET_USER = 'mirror-maker-target';
/** Connect's REST API: the cluster operator manages the connectors through it. */
export const CONNECT_REST_PORT = 8083;
export const MIRROR_METRICS_PORT = 9404;
/** Kafka's internal TLS listener (charts/kafka-cluster), where MirrorMaker 2 writes in the standby. */
const TARGET_TLS_PORT = 9093;
/** Topics MirrorMaker 2 and Connect create: as durable as the business topics. */
const REPLICATION_FACTOR = 3;
const OPERATOR_POD_LABELS = { 'strimzi.io/kind': 'cluster-operator' };
const DEFAULT_RESOURCES: ContainerResources = {
  requests: { cpu: '250m', memory: '1Gi' },
  limits: { cpu: '1', memory: '1Gi' },
};

/** Labels Strimzi 0.48 gives the MirrorMaker 2 worker pods of `name`. */
export function mirrorMakerPods(name: string): Record<string, string> {
  return {
    'strimzi.io/cluster': name,
    'strimzi.io/kind': 'KafkaMirrorMaker2',
    'strimzi.io/name': `${name}-mirrormaker2`,
  };
}

/** `a|b|c` matching exactly the literal names (dots escaped). */
function literalPattern(names: readonly string[]): string {
  return [...new Set(names)]
    .sort()
    .map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|');
}

/**
 * MirrorMaker 2 in the standby cluster, near its target (Strimzi's recommendation): one KafkaMirrorMaker2
 * (Connect in the standby, source = prod's MirrorMaker listener over the VPC peering, target = the standby's
 * internal TLS listener) with the source, checkpoint and heartbeat connectors; its target KafkaUser; the JMX
 * metrics ConfigMap and PodMonitor; and the NetworkPolicies the namespace's default-deny needs.
 *
 * Topic names are kept (IdentityReplicationPolicy), so the standby's services read the same names after a
 * failover; the price is that MirrorMaker 2 cannot tell a mirrored record from a local one, so the reverse
 * direction (failback) needs a second mirror, started only after this one is stopped.
 */
export class KafkaMirrorMakerChart extends Chart {
  constructor(scope: Construct, id: string, props: KafkaMirrorMakerProps) {
    super(scope, id);
    const name = props.name ?? DEFAULT_MIRROR_NAME;
    validateMirrorMaker(props, name);
    const { namespace, selection, source, target } = props;
    const targetCluster = target.cluster ?? 'kafka';
    const targetUser = target.userName ?? DEFAULT_TARGET_USER;
    const labels = standardLabels(name, props.partOf ?? 'platform', {
      component: 'kafka-mirror',
      version: labelValue(props.version),
    });
    const meta = (objectName: string, objectLabels: Record<string, string> = labels) => ({
      name: objectName,
      namespace,
      labels: objectLabels,
    });
    const topics = mirroredTopics(selection);
    const connectPrefix = `${name}-connect`;
    const metricsConfigMap = `${name}-mirror-maker-metrics`;
    const placement = props.placement ?? {};
    const resources = props.resources ?? DEFAULT_RESOURCES;

    new k8s.KubeConfigMap(this, 'metrics-config', {
      metadata: meta(metricsConfigMap),
      data: { [MIRROR_METRICS_CONFIG_KEY]: mirrorMetricsConfig() },
    });

    // The target user's password: Strimzi generates it into the Secret named after the user, in this namespace.
    new ApiObject(
      this,
      'target-user',
      scramUser(
        { name: targetUser, namespace, labels: { ...labels, 'strimzi.io/cluster': targetCluster } },
        targetAcls(topics, selection.groups, { connectPrefix, sourceAlias: source.alias }),
      ),
    );

    const nodeSelector = Object.entries(placement.nodeSelector ?? {}).sort(([a], [b]) => a.localeCompare(b));
    const pod = {
      ...(nodeSelector.length > 0 && {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                {
                  matchExpressions: nodeSelector.map(([key, value]) => ({
                    key,
                    operator: 'In',
                    values: [value],
                  })),
                },
              ],
            },
          },
        },
      }),
      ...((placement.tolerations ?? []).length > 0 && {
        tolerations: (placement.tolerations ?? []).map((t) => ({ ...t })),
      }),
    };
    const rf = REPLICATION_FACTOR;

    new ApiObject(this, 'mirror-maker', {
      apiVersion: 'kafka.strimzi.io/v1beta2',
      kind: 'KafkaMirrorMaker2',
      metadata: meta(name),
      spec: {
        version: props.version,
        replicas: props.replicas ?? 1,
        // Strimzi 0.48's form: Connect runs against the target cluster (its internal topics live there).
        connectCluster: target.alias,
        clusters: [
          {
            alias: source.alias,
            bootstrapServers: source.bootstrapServers,
            tls: { trustedCertificates: [{ secretName: source.caSecret, certificate: 'ca.crt' }] },
            authentication: {
              type: 'scram-sha-512',
              username: source.userName,
              passwordSecret: { secretName: source.passwordSecret.name, password: source.passwordSecret.key },
            },
          },
          {
            alias: target.alias,
            bootstrapServers: `${targetCluster}-kafka-bootstrap.${namespace}.svc:${TARGET_TLS_PORT}`,
            tls: {
              trustedCertificates: [
                { secretName: `${targetCluster}-cluster-ca-cert`, certificate: 'ca.crt' },
              ],
            },
            authentication: {
              type: 'scram-sha-512',
              username: targetUser,
              passwordSecret: { secretName: targetUser, password: 'password' },
            },
            config: {
              // Named, so the target user's ACLs can grant exactly these (prefix `<name>-connect`).
              'group.id': connectPrefix,
              'config.storage.topic': `${connectPrefix}-configs`,
              'offset.storage.topic': `${connectPrefix}-offsets`,
              'status.storage.topic': `${connectPrefix}-status`,
              'config.storage.replication.factor': rf,
              'offset.storage.replication.factor': rf,
              'status.storage.replication.factor': rf,
            },
          },
        ],
        mirrors: [
          {
            sourceCluster: source.alias,
            targetCluster: target.alias,
            topicsPattern: selection.topicPatterns.join('|'),
            groupsPattern: literalPattern(selection.groups),
            sourceConnector: {
              tasksMax: Math.max(1, topics.length),
              autoRestart: { enabled: true },
              config: {
                'replication.factor': rf,
                // Same topic names in the standby: consumers there need no renaming after a failover.
                'replication.policy.class': 'org.apache.kafka.connect.mirror.IdentityReplicationPolicy',
                // Offset syncs on the target, so the source user needs no write access in prod.
                'offset-syncs.topic.location': 'target',
                'offset-syncs.topic.replication.factor': rf,
                // The clusters' ACLs differ (each has its own users); topic configs do follow.
                'sync.topic.acls.enabled': 'false',
                'sync.topic.configs.enabled': 'true',
                'refresh.topics.interval.seconds': 60,
              },
            },
            checkpointConnector: {
              tasksMax: 1,
              autoRestart: { enabled: true },
              config: {
                'replication.policy.class': 'org.apache.kafka.connect.mirror.IdentityReplicationPolicy',
                'offset-syncs.topic.location': 'target',
                'checkpoints.topic.replication.factor': rf,
                // Translated offsets are committed to the standby's groups: consumers resume, not restart.
                'sync.group.offsets.enabled': 'true',
                'sync.group.offsets.interval.seconds': selection.syncGroupOffsetsIntervalSeconds,
                'emit.checkpoints.interval.seconds': selection.emitCheckpointsIntervalSeconds,
                'refresh.groups.interval.seconds': 60,
              },
            },
            heartbeatConnector: {
              tasksMax: 1,
              autoRestart: { enabled: true },
              config: {
                'replication.policy.class': 'org.apache.kafka.connect.mirror.IdentityReplicationPolicy',
                'heartbeats.topic.replication.factor': rf,
              },
            },
          },
        ],
        resources: {
          requests: { cpu: resources.requests.cpu, memory: resources.requests.memory },
          limits: { cpu: resources.limits.cpu, memory: resources.limits.memory },
        },
        metricsConfig: {
          type: 'jmxPrometheusExporter',
          valueFrom: { configMapKeyRef: { name: metricsConfigMap, key: MIRROR_METRICS_CONFIG_KEY } },
        },
        template: {
          ...(Object.keys(pod).length > 0 && { pod }),
          podDisruptionBudget: { maxUnavailable: 1 },
        },
      },
    });

    new ApiObject(this, 'pod-monitor', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: meta(`${name}-mirror-maker`, { ...labels, ...MONITORING_SELECTOR }),
      spec: {
        selector: { matchLabels: mirrorMakerPods(name) },
        namespaceSelector: { matchNames: [namespace] },
        podMetricsEndpoints: [{ port: 'tcp-prometheus', path: '/metrics' }],
      },
    });

    const workers: k8s.NetworkPolicyPeer = { podSelector: { matchLabels: mirrorMakerPods(name) } };
    // The standby's Kafka nodes, as Strimzi labels them (charts/kafka-cluster strimzi-names).
    const targetBrokers = kafkaNodePods(targetCluster);
    new k8s.KubeNetworkPolicy(this, 'policy', {
      metadata: meta(`${name}-mirror-maker`),
      spec: {
        podSelector: { matchLabels: mirrorMakerPods(name) },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          // The operator manages connectors through the REST API; workers forward requests to the leader.
          {
            from: [{ podSelector: { matchLabels: OPERATOR_POD_LABELS } }, workers],
            ports: tcpPorts([CONNECT_REST_PORT]),
          },
          {
            from: [policyPeer({ namespace: props.monitoringNamespace })],
            ports: tcpPorts([MIRROR_METRICS_PORT]),
          },
        ],
        egress: [
          dnsEgressRule(),
          // The standby's brokers (bootstrap and each broker, same port).
          {
            to: [
              {
                podSelector: {
                  matchLabels: { 'strimzi.io/cluster': targetCluster, 'strimzi.io/kind': 'Kafka' },
                },
              },
            ],
            ports: tcpPorts([TARGET_TLS_PORT]),
          },
          // Prod's MirrorMaker listener: its load balancers in the peered primary VPC, nothing else there.
          { to: source.cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: tcpPorts([source.port]) },
          { to: [workers], ports: tcpPorts([CONNECT_REST_PORT]) },
        ],
      },
    });
    // NetworkPolicies add up: these open the two paths the Kafka chart's policies do not know about, without
    // touching them (the standby's brokers admit the workers; the operator reaches Connect's REST API).
    new k8s.KubeNetworkPolicy(this, 'policy-target', {
      metadata: meta(`${name}-mirror-maker-to-kafka`),
      spec: {
        podSelector: { matchLabels: targetBrokers },
        policyTypes: ['Ingress'],
        ingress: [{ from: [workers], ports: tcpPorts([TARGET_TLS_PORT]) }],
      },
    });
    new k8s.KubeNetworkPolicy(this, 'policy-operator', {
      metadata: meta(`${name}-operator-to-mirror-maker`),
      spec: {
        podSelector: { matchLabels: OPERATOR_POD_LABELS },
        policyTypes: ['Egress'],
        egress: [{ to: [workers], ports: tcpPorts([CONNECT_REST_PORT]) }],
      },
    });
  }
}
