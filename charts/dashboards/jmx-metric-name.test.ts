import { KAFKA_BEANS, KAFKA_JMX_METRICS, jmxMetricName } from './jmx-metric-name';

describe('Kafka metric names derived from KAFKA_JMX_RULES', () => {
  it('names the partition-health, controller and traffic beans as the exporter does', () => {
    expect(KAFKA_JMX_METRICS).toMatchObject({
      underReplicatedPartitions: 'kafka_server_replicamanager_underreplicatedpartitions',
      underMinIsrPartitions: 'kafka_server_replicamanager_underminisrpartitioncount',
      offlinePartitions: 'kafka_controller_kafkacontroller_offlinepartitionscount',
      activeControllers: 'kafka_controller_kafkacontroller_activecontrollercount',
      bytesIn: 'kafka_server_brokertopicmetrics_bytesin_total',
      bytesOut: 'kafka_server_brokertopicmetrics_bytesout_total',
      topicBytesIn: 'kafka_server_brokertopicmetrics_bytesin_total',
      raftState: 'kafka_server_raftmetrics_current_state',
    });
    expect(Object.keys(KAFKA_JMX_METRICS)).toEqual(Object.keys(KAFKA_BEANS));
  });

  it('gives no name to a bean the rules drop (request metrics of control-plane requests)', () => {
    expect(
      jmxMetricName(
        'kafka.network<type=RequestMetrics, name=RequestsPerSec, request=Metadata, version=12><>Count: 5',
      ),
    ).toBeUndefined();
  });

  it('follows the rules it is given, first match wins', () => {
    const rules = [
      { pattern: 'kafka.server<type=(\\w+)><>Value', name: 'first_$1', type: 'GAUGE' as const },
      { pattern: 'kafka.server<type=(\\w+)><>Value', name: 'second_$1', type: 'GAUGE' as const },
    ];
    expect(jmxMetricName('kafka.server<type=Foo-Bar><>Value: 1', rules)).toBeUndefined();
    expect(jmxMetricName('kafka.server<type=FooBar><>Value: 1', rules)).toBe('first_foobar');
  });
});
