import { parse } from 'yaml';
import { KAFKA_JMX_RULES, kafkaMetricsConfig, type JmxRule } from './kafka-metrics-config';

interface Sample {
  readonly name: string;
  readonly type: JmxRule['type'];
  readonly labels: Record<string, string>;
}

/**
 * What the JMX exporter does with one bean attribute: the first rule whose pattern occurs in
 * `domain<key=value, ...><>attribute: value` names it, with $n replaced by the pattern's groups, invalid
 * characters turned into '_' and (lowercaseOutputName) the name lowercased. Undefined when no rule matches.
 */
function exported(bean: string): Sample | undefined {
  for (const rule of KAFKA_JMX_RULES) {
    const match = new RegExp(`^.*(?:${rule.pattern}).*$`).exec(bean);
    if (match === null) continue;
    const fill = (text: string) => text.replace(/\$(\d+)/g, (_all, n: string) => match[Number(n)] ?? '');
    const labels = Object.fromEntries(
      Object.entries(rule.labels ?? {}).map(([key, value]) => [fill(key), fill(value)]),
    );
    const name = fill(rule.name)
      .replace(/[^a-zA-Z0-9:_]/g, '_')
      .replace(/__+/g, '_')
      .toLowerCase();
    return { name, type: rule.type, labels };
  }
  return undefined;
}

describe('Kafka JMX exporter configuration', () => {
  it('is YAML with lowercase names and every rule in order', () => {
    const config = parse(kafkaMetricsConfig()) as { lowercaseOutputName: boolean; rules: JmxRule[] };
    expect(config.lowercaseOutputName).toBe(true);
    expect(config.rules).toEqual(KAFKA_JMX_RULES);
  });

  it.each([
    [
      'the KRaft role of a controller',
      'kafka.server<type=raft-metrics><>current-state: leader',
      { name: 'kafka_server_raftmetrics_current_state', type: 'GAUGE', labels: { state: 'leader' } },
    ],
    [
      'the quorum commit latency',
      'kafka.server<type=raft-metrics><>commit-latency-avg: 3.5',
      { name: 'kafka_server_raftmetrics_commit_latency_avg', type: 'GAUGE', labels: {} },
    ],
    [
      'the records appended to the metadata log',
      'kafka.server<type=raft-metrics><>append-records-total: 42.0',
      { name: 'kafka_server_raftmetrics_append_records_total', type: 'COUNTER', labels: {} },
    ],
    [
      'the active controller count',
      'kafka.controller<type=KafkaController, name=ActiveControllerCount><>Value: 1',
      { name: 'kafka_controller_kafkacontroller_activecontrollercount', type: 'GAUGE', labels: {} },
    ],
    [
      'offline partitions seen by the controller',
      'kafka.controller<type=KafkaController, name=OfflinePartitionsCount><>Value: 0',
      { name: 'kafka_controller_kafkacontroller_offlinepartitionscount', type: 'GAUGE', labels: {} },
    ],
    [
      'the controller event queue time',
      'kafka.controller<type=ControllerEventManager, name=EventQueueTimeMs><>99thPercentile: 2.0',
      {
        name: 'kafka_controller_controllereventmanager_eventqueuetimems',
        type: 'GAUGE',
        labels: { quantile: '0.99' },
      },
    ],
    [
      'the metadata a broker has applied',
      'kafka.server<type=broker-metadata-metrics><>last-applied-record-offset: 1200',
      { name: 'kafka_server_brokermetadatametrics_last_applied_record_offset', type: 'GAUGE', labels: {} },
    ],
    [
      'under-replicated partitions',
      'kafka.server<type=ReplicaManager, name=UnderReplicatedPartitions><>Value: 0',
      { name: 'kafka_server_replicamanager_underreplicatedpartitions', type: 'GAUGE', labels: {} },
    ],
    [
      'bytes in per topic',
      'kafka.server<type=BrokerTopicMetrics, name=BytesInPerSec, topic=order-events><>Count: 1024',
      {
        name: 'kafka_server_brokertopicmetrics_bytesin_total',
        type: 'COUNTER',
        labels: { topic: 'order-events' },
      },
    ],
    [
      'a partition log size',
      'kafka.log<type=Log, name=Size, topic=order-events, partition=0><>Value: 4096',
      { name: 'kafka_log_log_size', type: 'GAUGE', labels: { topic: 'order-events', partition: '0' } },
    ],
    [
      'the request handlers idle ratio',
      'kafka.server<type=KafkaRequestHandlerPool, name=RequestHandlerAvgIdlePercent><>MeanRate: 0.9',
      {
        name: 'kafka_server_kafkarequesthandlerpool_requesthandleravgidle_percent',
        type: 'GAUGE',
        labels: {},
      },
    ],
    [
      'produce latency',
      'kafka.network<type=RequestMetrics, name=TotalTimeMs, request=Produce><>999thPercentile: 12.0',
      {
        name: 'kafka_network_requestmetrics_totaltimems',
        type: 'GAUGE',
        labels: { request: 'Produce', quantile: '0.999' },
      },
    ],
    [
      'replica fetcher lag',
      'kafka.server<type=FetcherLagMetrics, name=ConsumerLag, clientId=ReplicaFetcherThread-0-1, topic=order-events, partition=2><>Value: 0',
      {
        name: 'kafka_server_fetcherlagmetrics_consumerlag',
        type: 'GAUGE',
        labels: { clientId: 'ReplicaFetcherThread-0-1', topic: 'order-events', partition: '2' },
      },
    ],
    [
      'connections per listener',
      'kafka.server<type=socket-server-metrics, listener=TLS-9093, networkProcessor=3><>connection-count: 7',
      {
        name: 'kafka_server_socket_server_metrics_connection_count',
        type: 'GAUGE',
        labels: { listener: 'TLS-9093', networkProcessor: '3' },
      },
    ],
  ] as const)('exports %s', (_what, bean, sample) => {
    expect(exported(bean)).toEqual(sample);
  });

  it.each([
    [
      'per-version request rates',
      'kafka.network<type=RequestMetrics, name=RequestsPerSec, request=Fetch, version=17><>Count: 5',
    ],
    [
      'request latency of rare requests',
      'kafka.network<type=RequestMetrics, name=TotalTimeMs, request=DescribeAcls><>99thPercentile: 1',
    ],
    // JVM metrics come from the exporter's own collectors.
    ['JVM beans', 'java.lang<type=Threading><>ThreadCount: 40'],
  ])('drops %s, which would only add series', (_what, bean) => {
    expect(exported(bean)).toBeUndefined();
  });
});
