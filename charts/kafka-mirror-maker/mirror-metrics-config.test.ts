import { parse } from 'yaml';
import type { JmxRule } from '../kafka-cluster/kafka-metrics-config';
import { MIRROR_JMX_RULES, mirrorMetricsConfig } from './mirror-metrics-config';

/**
 * What the JMX exporter makes of one bean attribute (`domain<k=v, ...><>attribute: value`): the first rule
 * whose pattern occurs names it, $n filled from the groups, invalid characters turned into '_', lowercased.
 */
function exported(bean: string): { name: string; labels: Record<string, string> } | undefined {
  for (const rule of MIRROR_JMX_RULES) {
    const match = new RegExp(`^.*(?:${rule.pattern}).*$`).exec(bean);
    if (match === null) continue;
    const fill = (text: string) => text.replace(/\$(\d+)/g, (_all, n: string) => match[Number(n)] ?? '');
    const labels = Object.fromEntries(Object.entries(rule.labels ?? {}).map(([k, v]) => [fill(k), fill(v)]));
    const name = fill(rule.name)
      .replace(/[^a-zA-Z0-9:_]/g, '_')
      .replace(/__+/g, '_')
      .toLowerCase();
    return { name, labels };
  }
  return undefined;
}

describe('MirrorMaker 2 JMX exporter configuration', () => {
  it('is YAML with lowercase names and every rule in order', () => {
    const config = parse(mirrorMetricsConfig()) as { lowercaseOutputName: boolean; rules: JmxRule[] };
    expect(config.lowercaseOutputName).toBe(true);
    expect(config.rules).toEqual(MIRROR_JMX_RULES);
  });

  // The names and labels the KafkaMirror* alerts (charts/monitoring-rules) select on.
  it.each([
    [
      'kafka.connect.mirror<type=MirrorSourceConnector, target=standby, topic=order-events, partition=3><>replication-latency-ms-max: 812.0',
      'kafka_connect_mirror_source_connector_replication_latency_ms_max',
      { target: 'standby', topic: 'order-events', partition: '3' },
    ],
    [
      'kafka.connect.mirror<type=MirrorCheckpointConnector, source=primary, target=standby, group=order, topic=order-events, partition=0><>checkpoint-latency-ms-max: 40.0',
      'kafka_connect_mirror_checkpoint_connector_checkpoint_latency_ms_max',
      { source: 'primary', target: 'standby', group: 'order', topic: 'order-events', partition: '0' },
    ],
    [
      'kafka.connect<type=connector-metrics, connector=primary->standby.MirrorSourceConnector><>status: failed',
      'kafka_connect_connector_status',
      { connector: 'primary->standby.MirrorSourceConnector', status: 'failed' },
    ],
    [
      'kafka.connect<type=connector-task-metrics, connector=primary->standby.MirrorCheckpointConnector, task=0><>status: running',
      'kafka_connect_connector_task_status',
      { connector: 'primary->standby.MirrorCheckpointConnector', task: '0', status: 'running' },
    ],
  ])('exports %s', (bean, name, labels) => {
    expect(exported(bean)).toEqual({ name, labels });
  });

  it('drops beans no alert or dashboard reads', () => {
    expect(
      exported(
        'kafka.producer<type=producer-metrics, client-id=connector-producer-0><>record-send-rate: 4.0',
      ),
    ).toBeUndefined();
  });
});
