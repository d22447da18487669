import { stringify } from 'yaml';

/** Key of the JMX exporter configuration in the metrics ConfigMap. */
export const METRICS_CONFIG_KEY = 'kafka-metrics-config.yml';

/**
 * One Prometheus JMX exporter rule. The exporter matches `pattern` anywhere in
 * `domain<key=value, ...><>attribute: value` and keeps only beans some rule matches.
 */
export interface JmxRule {
  readonly pattern: string;
  readonly name: string;
  readonly type: 'GAUGE' | 'COUNTER' | 'UNTYPED';
  readonly labels?: Readonly<Record<string, string>>;
  /** A fixed sample value, for string attributes that are exported as a label. */
  readonly value?: number;
}

/** A bean key or value: stops at the comma before the next key, so patterns never run into it. */
const PART = '([^,<>=]+)';
/** Request metrics carry a label per request type and API version: thousands of series. */
const NOT_REQUESTS = '(?!RequestMetrics)';

/**
 * `kafka.<domain><type=..., name=...(, k=v){pairs}>` with the bean's key/value pairs as labels. Beans with more
 * pairs than the rules allow are dropped (only the specific rules below keep some of them).
 */
function generic(
  pairs: 0 | 1 | 2,
  nameSuffix: string,
  attribute: string,
  type: JmxRule['type'],
  options: { readonly typeFilter?: string; readonly metricName?: string } = {},
): JmxRule {
  const extra = Array.from({ length: pairs }, () => `, ${PART}=${PART}`).join('');
  const labels: Record<string, string> = {};
  for (let i = 0; i < pairs; i++) labels[`$${4 + 2 * i}`] = `$${5 + 2 * i}`;
  const metricName = options.metricName ?? '([^,<>=]+?)';
  const rule = {
    pattern: `kafka.(\\w+)<type=${options.typeFilter ?? ''}${PART}, name=${metricName}${extra}><>${attribute}`,
    name: `kafka_$1_$2_$3${nameSuffix}`,
    type,
  };
  return pairs === 0 ? rule : { ...rule, labels };
}

/** Quantile gauges of a histogram or timer bean, e.g. 99thPercentile -> quantile="0.99". */
function quantiles(pairs: 0 | 1 | 2): JmxRule {
  const rule = generic(pairs, '', '(\\d+)thPercentile', 'GAUGE', { typeFilter: NOT_REQUESTS });
  return { ...rule, labels: { ...rule.labels, quantile: `0.$${4 + 2 * pairs}` } };
}

/**
 * Rules for Kafka 4 nodes in KRaft mode, brokers and controllers alike; the most specific rules come first,
 * since the exporter uses the first rule that matches. Counters are named `_total`, as Prometheus client
 * 1.x (used by the exporter since 1.0) would append it anyway.
 */
export const KAFKA_JMX_RULES: readonly JmxRule[] = [
  // KRaft quorum (raft-metrics): the node's state (leader, follower, voted, ...) as a label.
  {
    pattern: 'kafka.server<type=raft-metrics><>current-state: ([a-z0-9-]+)',
    name: 'kafka_server_raftmetrics_current_state',
    type: 'GAUGE',
    value: 1,
    labels: { state: '$1' },
  },
  {
    pattern: 'kafka.server<type=raft-metrics><>([a-z0-9-]+)-total:',
    name: 'kafka_server_raftmetrics_$1_total',
    type: 'COUNTER',
  },
  {
    pattern: 'kafka.server<type=raft-metrics><>([a-z0-9-]+):',
    name: 'kafka_server_raftmetrics_$1',
    type: 'GAUGE',
  },
  // Brokers replaying the metadata log.
  {
    pattern: 'kafka.server<type=broker-metadata-metrics><>([a-z0-9-]+):',
    name: 'kafka_server_brokermetadatametrics_$1',
    type: 'GAUGE',
  },
  // Open connections per listener.
  {
    pattern:
      'kafka.server<type=socket-server-metrics, listener=([^,<>]+), networkProcessor=([^,<>]+)><>connection-count:',
    name: 'kafka_server_socket_server_metrics_connection_count',
    type: 'GAUGE',
    labels: { listener: '$1', networkProcessor: '$2' },
  },
  // Replica fetcher lag and friends: three key/value pairs.
  {
    pattern: `kafka.server<type=${PART}, name=${PART}, clientId=${PART}, topic=${PART}, partition=${PART}><>Value`,
    name: 'kafka_server_$1_$2',
    type: 'GAUGE',
    labels: { clientId: '$3', topic: '$4', partition: '$5' },
  },
  // Latency of the requests that carry the data, by phase (queue, local, remote, send, total).
  {
    pattern:
      'kafka.network<type=RequestMetrics, name=(\\w+TimeMs), request=(Produce|FetchConsumer|FetchFollower)><>(\\d+)thPercentile',
    name: 'kafka_network_requestmetrics_$1',
    type: 'GAUGE',
    labels: { request: '$2', quantile: '0.$3' },
  },
  // Idle ratios (request handlers, network processors), some exported as a meter's mean rate.
  generic(0, '_percent', 'MeanRate', 'GAUGE', { metricName: '([^,<>=]+)Percent\\w*' }),
  generic(0, '_percent', 'Value', 'GAUGE', { metricName: '([^,<>=]+)Percent\\w*' }),
  generic(1, '_percent', 'Value', 'GAUGE', { metricName: '([^,<>=]+)Percent\\w*' }),
  // Meters (bytes, messages, failed requests per second, optionally per topic): their running count.
  generic(2, '_total', 'Count', 'COUNTER', { typeFilter: NOT_REQUESTS, metricName: '([^,<>=]+)PerSec\\w*' }),
  generic(1, '_total', 'Count', 'COUNTER', { typeFilter: NOT_REQUESTS, metricName: '([^,<>=]+)PerSec\\w*' }),
  generic(0, '_total', 'Count', 'COUNTER', { typeFilter: NOT_REQUESTS, metricName: '([^,<>=]+)PerSec\\w*' }),
  // Gauges: under-replicated and offline partitions, active controllers, broker state, log sizes, ...
  generic(2, '', 'Value', 'GAUGE'),
  generic(1, '', 'Value', 'GAUGE'),
  generic(0, '', 'Value', 'GAUGE'),
  // Histograms and timers (e.g. the controller's event queue time): event count and quantiles.
  generic(2, '_total', 'Count', 'COUNTER', { typeFilter: NOT_REQUESTS }),
  generic(1, '_total', 'Count', 'COUNTER', { typeFilter: NOT_REQUESTS }),
  generic(0, '_total', 'Count', 'COUNTER', { typeFilter: NOT_REQUESTS }),
  quantiles(2),
  quantiles(1),
  quantiles(0),
];

/** The JMX exporter configuration Strimzi mounts into every Kafka node (`metricsConfig`). */
export function kafkaMetricsConfig(): string {
  // JVM metrics (heap, GC, threads) come from the exporter's built-in collectors, without rules.
  return stringify({ lowercaseOutputName: true, rules: KAFKA_JMX_RULES }, { lineWidth: 0 });
}
