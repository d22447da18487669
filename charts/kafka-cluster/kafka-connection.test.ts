import { synthesize } from '../lib';
import { KafkaClusterChart } from './kafka-cluster-chart';
import { kafkaConnection } from './kafka-connection';

describe('kafkaConnection', () => {
  it('names the TLS bootstrap service and cluster CA Secret Strimzi creates for the default cluster name', () => {
    expect(kafkaConnection({ namespace: 'data' })).toEqual({
      bootstrapServers: 'kafka-kafka-bootstrap.data.svc:9093',
      clusterCaSecret: 'kafka-cluster-ca-cert',
      mechanism: 'scram-sha-512',
    });
  });

  it('follows a custom cluster name to the listener the chart renders', () => {
    const connection = kafkaConnection({ namespace: 'events', name: 'events' });
    expect(connection.bootstrapServers).toBe('events-kafka-bootstrap.events.svc:9093');
    expect(connection.clusterCaSecret).toBe('events-cluster-ca-cert');
    const resources = { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '1', memory: '2Gi' } };
    const kafka = synthesize(
      (app) =>
        new KafkaClusterChart(app, 'events', {
          namespace: 'events',
          name: 'events',
          version: '4.1.0',
          nodePools: { mode: 'combined', replicas: 3, storage: '10Gi', resources },
          storageClass: 'standard',
          config: { defaultReplicationFactor: 3, minInsyncReplicas: 2 },
          clients: [],
          operatorPodLabels: { name: 'strimzi-cluster-operator' },
          monitoringNamespace: 'monitoring',
        }),
    ).find((o) => o.kind === 'Kafka') as Record<string, any>;
    expect(kafka.metadata.name).toBe('events');
    expect(kafka.spec.kafka.listeners[0]).toMatchObject({ port: 9093, tls: true, type: 'internal' });
    expect(kafka.spec.kafka.listeners[0].authentication.type).toBe(connection.mechanism);
  });
});
