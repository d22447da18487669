import type { Kafka } from 'kafkajs';
import type { Registry } from 'prom-client';
import type { AdapterSettings, EventTransport } from '../adapter-switches';
import { requireKafkaBrokers } from '../adapter-switches';
import { InMemoryEventBus } from '../in-memory';
import type { KafkaSettings } from '../kafka/create-kafka';
import { createKafka } from '../kafka/create-kafka';
import { KafkaEventPublisher } from '../kafka/kafka-event-publisher';
import type { Logger } from '../logger';
import type { EventPublisher } from '../ports';
import type { AdapterPart } from './adapter-part';

/** What selectEventPublisher reads from a service's config: EVENTS and the Kafka settings. */
export type EventsSwitch = Omit<KafkaSettings, 'KAFKA_BROKERS' | 'serviceName'> &
  Pick<AdapterSettings, 'KAFKA_BROKERS'> & {
    readonly EVENTS: EventTransport;
    readonly serviceName: string;
  };

/**
 * The publisher EVENTS picks, with what it was made from: the in-process bus (also the value) for
 * EVENTS=memory, the Kafka client (for consumers on the same client) for EVENTS=kafka.
 */
export type EventPublisherPart = AdapterPart<EventPublisher> &
  (
    | { readonly bus: InMemoryEventBus; readonly kafka?: undefined }
    | { readonly bus?: undefined; readonly kafka: Kafka }
  );

/**
 * The publisher EVENTS picks: an InMemoryEventBus for EVENTS=memory; for EVENTS=kafka, a
 * KafkaEventPublisher (connecting on first publish) with the close hook `kafka-producer`. Never a readiness
 * check: whether Kafka being away makes a pod unready is the service's choice, and none of them does.
 * Throws ConfigError for missing brokers or half-set credentials before anything connects.
 */
export function selectEventPublisher(
  config: EventsSwitch,
  logger: Logger,
  options: {
    readonly memoryWarning?: string;
    /** The service's registry, for the producer's `datastore_connection_failures_total{store="kafka"}`. */
    readonly registry?: Registry;
  } = {},
): EventPublisherPart {
  if (config.EVENTS === 'memory') {
    if (options.memoryWarning !== undefined) logger.warn(options.memoryWarning);
    const bus = new InMemoryEventBus();
    return { value: bus, bus, readinessChecks: {}, closeHooks: [] };
  }
  const kafka = createKafka(
    { ...config, KAFKA_BROKERS: requireKafkaBrokers(config), serviceName: config.serviceName },
    logger,
  );
  const publisher = new KafkaEventPublisher(
    kafka,
    logger,
    options.registry === undefined ? {} : { registry: options.registry },
  );
  return {
    value: publisher,
    kafka,
    readinessChecks: {},
    closeHooks: [{ name: 'kafka-producer', close: () => publisher.close() }],
  };
}
