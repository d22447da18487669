import { ConfigError } from '../config';
import { InMemoryEventBus } from '../in-memory';
import { KafkaEventPublisher } from '../kafka/kafka-event-publisher';
import { captureLogger } from '../testing/capture-logger';
import { selectEventPublisher } from './select-event-publisher';

describe('selectEventPublisher', () => {
  it('publishes to an in-process bus with EVENTS=memory, exposing it as `bus` and warning', async () => {
    const { logger, lines } = captureLogger();
    const part = selectEventPublisher({ EVENTS: 'memory', serviceName: 'order' }, logger, {
      memoryWarning: 'EVENTS=memory: order events are published to an in-process bus only',
    });
    expect(part.value).toBeInstanceOf(InMemoryEventBus);
    expect(part.bus).toBe(part.value);
    expect(part.kafka).toBeUndefined();
    expect(part.readinessChecks).toEqual({});
    expect(part.closeHooks).toEqual([]);
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      ['warn', 'EVENTS=memory: order events are published to an in-process bus only'],
    ]);

    const event = {
      id: '00000000-0000-4000-8000-000000000000',
      type: 'order.placed',
      source: 'order',
      occurredAt: new Date().toISOString(),
      key: 'o-1',
      data: {},
    };
    await part.value.publish('order-events', [event]);
    expect(part.bus?.events('order-events')).toEqual([event]);
  });

  it('makes a Kafka producer with EVENTS=kafka, closed as `kafka-producer`, without a readiness check', async () => {
    const { logger, lines } = captureLogger();
    const part = selectEventPublisher(
      { EVENTS: 'kafka', KAFKA_BROKERS: [{ host: '127.0.0.1', port: 1 }], serviceName: 'user' },
      logger,
      { memoryWarning: 'not logged with Kafka' },
    );
    expect(part.value).toBeInstanceOf(KafkaEventPublisher);
    expect(part.bus).toBeUndefined();
    expect(part.kafka).toBeDefined();
    expect(part.readinessChecks).toEqual({});
    expect(part.closeHooks.map((h) => h.name)).toEqual(['kafka-producer']);
    expect(lines).toEqual([
      expect.objectContaining({ msg: 'kafka client configured', clientId: 'user', brokers: ['127.0.0.1:1'] }),
    ]);
    // The producer connects on its first publish; with none, closing touches no broker.
    await part.closeHooks[0]?.close();
    await expect(part.value.publish('user-events', [])).rejects.toThrow('KafkaEventPublisher is closed');
  });

  it('refuses EVENTS=kafka without brokers with the ConfigError of requireAdapterSettings', () => {
    expect(() =>
      selectEventPublisher({ EVENTS: 'kafka', serviceName: 'user' }, captureLogger().logger),
    ).toThrow(
      new ConfigError(['KAFKA_BROKERS is required when EVENTS=kafka (a comma-separated list of host:port)']),
    );
  });

  it('refuses half-set Kafka credentials before configuring a client', () => {
    const { logger, lines } = captureLogger();
    expect(() =>
      selectEventPublisher(
        {
          EVENTS: 'kafka',
          KAFKA_BROKERS: [{ host: '127.0.0.1', port: 1 }],
          KAFKA_USERNAME: 'user',
          serviceName: 'user',
        },
        logger,
      ),
    ).toThrow(ConfigError);
    expect(lines).toEqual([]);
  });
});
