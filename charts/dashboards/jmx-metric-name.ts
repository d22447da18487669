import { KAFKA_JMX_RULES, type JmxRule } from '../kafka-cluster/kafka-metrics-config';

/**
 * The metric name the Prometheus JMX exporter gives one bean attribute, written as the exporter matches it:
 * `domain<key=value, ...><>attribute: value`. The first rule whose pattern occurs in it wins; `$n` in its name
 * are the pattern's groups, characters outside [a-zA-Z0-9:_] become '_', runs of '_' collapse and
 * (lowercaseOutputName in kafkaMetricsConfig) the name is lowercased. Undefined when no rule keeps the bean.
 */
export function jmxMetricName(bean: string, rules: readonly JmxRule[] = KAFKA_JMX_RULES): string | undefined {
  for (const rule of rules) {
    const match = new RegExp(`^.*(?:${rule.pattern}).*$`).exec(bean);
    if (match === null) continue;
    return rule.name
      .replace(/\$(\d+)/g, (_all, n: string) => match[Number(n)] ?? '')
      .replace(/[^a-zA-Z0-9:_]/g, '_')
      .replace(/__+/g, '_')
      .toLowerCase();
  }
  return undefined;
}

/**
 * The Kafka beans the dashboard charts, as the brokers and controllers expose them. Their metric names are
 * derived through KAFKA_JMX_RULES, so a rule change that renames or drops one fails here, not in Grafana.
 */
export const KAFKA_BEANS = {
  underReplicatedPartitions: 'kafka.server<type=ReplicaManager, name=UnderReplicatedPartitions><>Value: 0',
  underMinIsrPartitions: 'kafka.server<type=ReplicaManager, name=UnderMinIsrPartitionCount><>Value: 0',
  partitionCount: 'kafka.server<type=ReplicaManager, name=PartitionCount><>Value: 12',
  leaderCount: 'kafka.server<type=ReplicaManager, name=LeaderCount><>Value: 4',
  offlinePartitions: 'kafka.controller<type=KafkaController, name=OfflinePartitionsCount><>Value: 0',
  activeControllers: 'kafka.controller<type=KafkaController, name=ActiveControllerCount><>Value: 1',
  bytesIn: 'kafka.server<type=BrokerTopicMetrics, name=BytesInPerSec><>Count: 1024',
  bytesOut: 'kafka.server<type=BrokerTopicMetrics, name=BytesOutPerSec><>Count: 2048',
  messagesIn: 'kafka.server<type=BrokerTopicMetrics, name=MessagesInPerSec><>Count: 10',
  topicBytesIn: 'kafka.server<type=BrokerTopicMetrics, name=BytesInPerSec, topic=orders><>Count: 1024',
  requestHandlerIdle:
    'kafka.server<type=KafkaRequestHandlerPool, name=RequestHandlerAvgIdlePercent><>MeanRate: 0.9',
  raftState: 'kafka.server<type=raft-metrics><>current-state: leader',
} as const;

export type KafkaBean = keyof typeof KAFKA_BEANS;

function deriveAll(): Readonly<Record<KafkaBean, string>> {
  const names = {} as Record<KafkaBean, string>;
  for (const [key, bean] of Object.entries(KAFKA_BEANS) as [KafkaBean, string][]) {
    const name = jmxMetricName(bean);
    if (name === undefined) throw new Error(`KAFKA_BEANS.${key}: no rule of KAFKA_JMX_RULES exports ${bean}`);
    names[key] = name;
  }
  return Object.freeze(names);
}

/** Metric names of KAFKA_BEANS, e.g. underReplicatedPartitions -> kafka_server_replicamanager_underreplicatedpartitions. */
export const KAFKA_JMX_METRICS: Readonly<Record<KafkaBean, string>> = deriveAll();
