import type { k8s } from 'cdk8s-plus-27';
import { policyPeer, tcpPorts, type NetworkPeer } from '../lib';
import { KAFKA_TLS_PORT } from './kafka-connection';
import {
  METRICS_PORT,
  NAME_LABEL,
  TOPIC_OPERATOR_PORT,
  USER_OPERATOR_PORT,
  clusterPods,
  entityOperatorPods,
  kafkaNodePods,
} from './strimzi-names';

export interface KafkaNetworkPolicyInput {
  readonly cluster: string;
  readonly clients: readonly NetworkPeer[];
  readonly operatorPodLabels: Readonly<Record<string, string>>;
  readonly operatorMetricsPort: number;
  readonly monitoringNamespace: string;
  /** The nodes' init container reads its node's zone label from the Kubernetes API. */
  readonly rackAwareness: boolean;
  /** The DR MirrorMaker listener: its port and the CIDRs (standby VPC) it admits. */
  readonly mirrorMakerListener?: { readonly port: number; readonly allowedCidrs: readonly string[] };
}

export interface NamedPolicy {
  readonly name: string;
  readonly spec: k8s.NetworkPolicySpec;
}

/** The API server has no pod labels to select; its service ports are 443 (EKS) and 6443 (on prem). */
const KUBE_API_PORTS = [443, 6443];

/**
 * Our own policies through the namespace's default-deny (Strimzi's generated policy only admits ingress, and
 * leaves metrics open to all). Each concern is its own policy, so a review shows exactly what is open.
 */
export function kafkaNetworkPolicies(input: KafkaNetworkPolicyInput): NamedPolicy[] {
  const { cluster } = input;
  const clusterPeer: k8s.NetworkPolicyPeer = { podSelector: { matchLabels: clusterPods(cluster) } };
  const operatorPeer: k8s.NetworkPolicyPeer = {
    podSelector: { matchLabels: { ...input.operatorPodLabels } },
  };
  const monitoringPeer = policyPeer({ namespace: input.monitoringNamespace });
  // No client means no rule at all: a rule with an empty `from` would admit every source.
  const clientRules: k8s.NetworkPolicyIngressRule[] =
    input.clients.length === 0
      ? []
      : [{ from: input.clients.map((peer) => policyPeer(peer)), ports: tcpPorts([KAFKA_TLS_PORT]) }];

  const apiPods = input.rackAwareness
    ? {
        matchLabels: clusterPods(cluster),
        matchExpressions: [
          { key: NAME_LABEL, operator: 'In', values: [`${cluster}-entity-operator`, `${cluster}-kafka`] },
        ],
      }
    : { matchLabels: entityOperatorPods(cluster) };

  const mirror = input.mirrorMakerListener;
  const mirrorPolicies: NamedPolicy[] =
    mirror === undefined
      ? []
      : [
          {
            // Apart from the cluster's policy, so a review sees exactly what the peered VPC may reach.
            name: `${cluster}-mirror-maker-listener`,
            spec: {
              podSelector: { matchLabels: kafkaNodePods(cluster) },
              policyTypes: ['Ingress'],
              ingress: [
                {
                  from: mirror.allowedCidrs.map((cidr) => ({ ipBlock: { cidr } })),
                  ports: tcpPorts([mirror.port]),
                },
              ],
            },
          },
        ];

  return [
    ...mirrorPolicies,
    {
      name: `${cluster}-kafka-cluster`,
      spec: {
        podSelector: { matchLabels: clusterPods(cluster) },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          ...clientRules,
          // Replication, the KRaft quorum, and the entity operator and exporter reaching the brokers.
          { from: [clusterPeer] },
          // Rolling updates, the Kafka agent, admin operations.
          { from: [operatorPeer] },
          {
            from: [monitoringPeer],
            ports: tcpPorts([METRICS_PORT, TOPIC_OPERATOR_PORT, USER_OPERATOR_PORT]),
          },
        ],
        egress: [{ to: [clusterPeer] }],
      },
    },
    {
      // The topic and user operators watch their custom resources; rack-aware nodes read their node.
      name: `${cluster}-kube-api-egress`,
      spec: { podSelector: apiPods, policyTypes: ['Egress'], egress: [{ ports: tcpPorts(KUBE_API_PORTS) }] },
    },
    {
      name: `${cluster}-cluster-operator`,
      spec: {
        podSelector: { matchLabels: { ...input.operatorPodLabels } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [monitoringPeer], ports: tcpPorts([input.operatorMetricsPort]) }],
        egress: [{ ports: tcpPorts(KUBE_API_PORTS) }, { to: [clusterPeer] }],
      },
    },
  ];
}
