/**
 * Labels, names and ports Strimzi 0.48 gives the pods it creates for a Kafka cluster, so selectors in our
 * policies and monitors match them.
 */
export const CLUSTER_LABEL = 'strimzi.io/cluster';
export const NAME_LABEL = 'strimzi.io/name';
export const KIND_LABEL = 'strimzi.io/kind';
export const POOL_LABEL = 'strimzi.io/pool-name';

/** JMX exporter on the Kafka nodes and the Kafka exporter's endpoint, both named `tcp-prometheus`. */
export const METRICS_PORT = 9404;
export const METRICS_PORT_NAME = 'tcp-prometheus';
/** Health and /metrics of the topic operator and the user operator, containers of the entity operator pod. */
export const TOPIC_OPERATOR_PORT = 8080;
export const USER_OPERATOR_PORT = 8081;

/** Every pod Strimzi runs for the cluster: nodes, entity operator, Kafka exporter. */
export function clusterPods(cluster: string): Record<string, string> {
  return { [CLUSTER_LABEL]: cluster };
}

/** The Kafka nodes (controllers and brokers) of every pool. */
export function kafkaNodePods(cluster: string): Record<string, string> {
  return { [CLUSTER_LABEL]: cluster, [KIND_LABEL]: 'Kafka', [NAME_LABEL]: `${cluster}-kafka` };
}

export function entityOperatorPods(cluster: string): Record<string, string> {
  return { [CLUSTER_LABEL]: cluster, [NAME_LABEL]: `${cluster}-entity-operator` };
}

export function kafkaExporterPods(cluster: string): Record<string, string> {
  return { [CLUSTER_LABEL]: cluster, [NAME_LABEL]: `${cluster}-kafka-exporter` };
}
