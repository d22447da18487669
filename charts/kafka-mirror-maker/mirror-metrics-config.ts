import { stringify } from 'yaml';
import type { JmxRule } from '../kafka-cluster/kafka-metrics-config';

/** Key of the JMX exporter configuration in the MirrorMaker 2 metrics ConfigMap. */
export const MIRROR_METRICS_CONFIG_KEY = 'mirror-maker-2-metrics-config.yml';

const PART = '([^,<>=]+)';
/** Connector names contain '->' (`primary->standby.MirrorSourceConnector`): up to the bean's end or next key. */
const CONNECTOR = '([^,=]+?)';

/**
 * Only what the alerts and the DR posture read: connector and task states (a string attribute, exported as
 * a label with value 1), the source connector's per-partition replication latency and the checkpoint
 * connector's per-group checkpoint latency, and Connect's worker counts. Everything else is dropped.
 */
export const MIRROR_JMX_RULES: readonly JmxRule[] = [
  {
    pattern: `kafka.connect<type=connector-metrics, connector=${CONNECTOR}><>status: ([a-z-]+)`,
    name: 'kafka_connect_connector_status',
    type: 'GAUGE',
    value: 1,
    labels: { connector: '$1', status: '$2' },
  },
  {
    pattern: `kafka.connect<type=connector-task-metrics, connector=${CONNECTOR}, task=([0-9]+)><>status: ([a-z-]+)`,
    name: 'kafka_connect_connector_task_status',
    type: 'GAUGE',
    value: 1,
    labels: { connector: '$1', task: '$2', status: '$3' },
  },
  {
    pattern: `kafka.connect.mirror<type=MirrorSourceConnector, target=${PART}, topic=${PART}, partition=([0-9]+)><>([a-z-]+)`,
    name: 'kafka_connect_mirror_source_connector_$4',
    type: 'GAUGE',
    labels: { target: '$1', topic: '$2', partition: '$3' },
  },
  {
    pattern: `kafka.connect.mirror<type=MirrorCheckpointConnector, source=${PART}, target=${PART}, group=${PART}, topic=${PART}, partition=([0-9]+)><>([a-z-]+)`,
    name: 'kafka_connect_mirror_checkpoint_connector_$6',
    type: 'GAUGE',
    labels: { source: '$1', target: '$2', group: '$3', topic: '$4', partition: '$5' },
  },
  {
    pattern: 'kafka.connect<type=connect-worker-metrics><>([a-z-]+)',
    name: 'kafka_connect_worker_$1',
    type: 'GAUGE',
  },
];

/** The JMX exporter configuration Strimzi mounts into every MirrorMaker 2 worker (`metricsConfig`). */
export function mirrorMetricsConfig(): string {
  return stringify({ lowercaseOutputName: true, rules: MIRROR_JMX_RULES }, { lineWidth: 0 });
}
