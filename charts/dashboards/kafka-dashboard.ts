import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { dashboardFrame } from './dashboard-frame';
import type { ResolvedDashboardsProps } from './dashboards-props';
import { KAFKA_JMX_METRICS as JMX } from './jmx-metric-name';
import { labelValuesVariable, query, statPanel, timeSeries } from './panel-kit';

export const KAFKA_UID = 'platform-kafka';

/** Kafka nodes carry the Strimzi pod labels (labelmap in the PodMonitor), so the cluster can be chosen. */
const NODES = `namespace="$namespace", strimzi_io_cluster=~"$cluster"`;
/** The Kafka Exporter pod has no Strimzi cluster label of its own on its series. */
const GROUPS = `namespace="$namespace", consumergroup=~"$consumergroup"`;

const rate = (metric: string, matchers: string, by: string) =>
  `sum by (${by}) (rate(${metric}{${matchers}}[$__rate_interval]))`;

/**
 * A Strimzi Kafka cluster in KRaft mode: partition health and the active controller from the JMX exporter
 * (names derived from KAFKA_JMX_RULES), traffic per broker and topic, and consumer-group lag from the Kafka
 * Exporter.
 */
export function kafkaDashboard(props: ResolvedDashboardsProps): dashboard.Dashboard {
  return dashboardFrame(KAFKA_UID, 'Kafka', props, ['data', 'kafka'])
    .description('Strimzi Kafka: partition health, controllers, traffic and consumer-group lag.')
    .withVariable(
      labelValuesVariable('namespace', JMX.underReplicatedPartitions, 'namespace', {
        label: 'Namespace',
        current: props.dataNamespace,
      }),
    )
    .withVariable(
      labelValuesVariable(
        'cluster',
        `${JMX.underReplicatedPartitions}{namespace="$namespace"}`,
        'strimzi_io_cluster',
        {
          label: 'Cluster',
          multi: true,
          includeAll: true,
          current: '$__all',
        },
      ),
    )
    .withVariable(
      labelValuesVariable(
        'consumergroup',
        'kafka_consumergroup_lag{namespace="$namespace"}',
        'consumergroup',
        {
          label: 'Consumer group',
          multi: true,
          includeAll: true,
          current: '$__all',
        },
      ),
    )
    .withRow(new dashboard.RowBuilder('Health'))
    .withPanel(
      statPanel(
        'Under-replicated partitions',
        'short',
        [query(`sum(${JMX.underReplicatedPartitions}{${NODES}})`)],
        {
          thresholds: [[1, 'red']],
        },
      ),
    )
    .withPanel(
      statPanel('Under min ISR', 'short', [query(`sum(${JMX.underMinIsrPartitions}{${NODES}})`)], {
        thresholds: [[1, 'red']],
        description: 'Partitions that refuse acks=all writes.',
      }),
    )
    .withPanel(
      statPanel('Offline partitions', 'short', [query(`max(${JMX.offlinePartitions}{${NODES}})`)], {
        thresholds: [[1, 'red']],
      }),
    )
    .withPanel(
      statPanel('Active controllers', 'short', [query(`sum(${JMX.activeControllers}{${NODES}})`)], {
        base: 'red',
        thresholds: [
          [1, 'green'],
          [2, 'red'],
        ],
        description: 'Exactly one KRaft controller is active.',
      }),
    )
    .withPanel(
      timeSeries('KRaft quorum state', 'short', [
        query(`max by (pod, state) (${JMX.raftState}{${NODES}})`, '{{pod}} {{state}}'),
      ]),
    )
    .withPanel(
      timeSeries('Partitions and leaders per broker', 'short', [
        query(`sum by (pod) (${JMX.partitionCount}{${NODES}})`, '{{pod}} partitions'),
        query(`sum by (pod) (${JMX.leaderCount}{${NODES}})`, '{{pod}} leaders'),
      ]),
    )
    .withRow(new dashboard.RowBuilder('Traffic'))
    .withPanel(
      timeSeries(
        'Bytes in per broker',
        'Bps',
        [query(rate(JMX.bytesIn, `${NODES}, topic=""`, 'pod'), '{{pod}}')],
        {
          span: 8,
        },
      ),
    )
    .withPanel(
      timeSeries(
        'Bytes out per broker',
        'Bps',
        [query(rate(JMX.bytesOut, `${NODES}, topic=""`, 'pod'), '{{pod}}')],
        {
          span: 8,
        },
      ),
    )
    .withPanel(
      timeSeries(
        'Messages in per broker',
        'short',
        [query(rate(JMX.messagesIn, `${NODES}, topic=""`, 'pod'), '{{pod}}')],
        { span: 8 },
      ),
    )
    .withPanel(
      timeSeries('Bytes in per topic', 'Bps', [
        query(rate(JMX.topicBytesIn, `${NODES}, topic!=""`, 'topic'), '{{topic}}'),
      ]),
    )
    .withPanel(
      timeSeries(
        'Request handler idle',
        'percentunit',
        [query(`min by (pod) (${JMX.requestHandlerIdle}{${NODES}})`, '{{pod}}')],
        { min: 0, max: 1, description: 'Below 0.3 the brokers are short of request threads.' },
      ),
    )
    .withRow(new dashboard.RowBuilder('Consumers'))
    .withPanel(
      timeSeries(
        'Consumer-group lag',
        'short',
        [
          query(
            `sum by (consumergroup, topic) (kafka_consumergroup_lag{${GROUPS}})`,
            '{{consumergroup}} {{topic}}',
          ),
        ],
        { description: 'Messages behind the newest offset, per group and topic (Kafka Exporter).' },
      ),
    )
    .withPanel(
      timeSeries('Consumption rate', 'short', [
        query(
          `sum by (consumergroup, topic) (rate(kafka_consumergroup_current_offset{${GROUPS}}[$__rate_interval]))`,
          '{{consumergroup}} {{topic}}',
        ),
      ]),
    )
    .withPanel(
      timeSeries('Production rate per topic', 'short', [
        query(
          `sum by (topic) (rate(kafka_topic_partition_current_offset{namespace="$namespace"}[$__rate_interval]))`,
          '{{topic}}',
        ),
      ]),
    )
    .withPanel(
      statPanel(
        'Brokers seen by the Kafka Exporter',
        'short',
        [query(`max(kafka_brokers{namespace="$namespace"})`)],
        {
          span: 12,
          height: 8,
        },
      ),
    )
    .build();
}
