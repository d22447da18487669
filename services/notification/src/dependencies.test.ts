import { randomUUID } from 'node:crypto';
import type { CloseHook, EventEnvelope, EventHandler } from '@platform/common';
import { createLogger } from '@platform/common';
import { createNotificationApp } from './app';
import type { Dependencies } from './dependencies';
import { createDependencies } from './dependencies';
import { InMemoryNotificationRepository } from './in-memory-notification-repository';
import { loadNotificationConfig } from './notification-config';
import { DEAD_LETTER_TOPIC, NOTIFICATION_EVENTS_TOPIC } from './topics';

const config = loadNotificationConfig({
  JWT_SECRET: 'dependencies-test-secret-0123456789abcdef',
  LOG_LEVEL: 'silent',
  OUTBOX_RELAY_INTERVAL_MS: '10',
  NOTIFICATION_RETRY_BASE_MS: '0',
});
const logger = createLogger(config);

async function until<T>(check: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const registered = (): EventEnvelope => ({
  id: randomUUID(),
  type: 'user.registered',
  source: 'user',
  occurredAt: new Date().toISOString(),
  key: 'user-1',
  data: { userId: 'user-1', email: 'jane@example.com', name: 'Jane' },
});

describe('createDependencies (STORAGE=memory, EVENTS=memory: the defaults)', () => {
  let dependencies: Dependencies;
  let hooks: readonly CloseHook[];
  let handleEvent: EventHandler;

  beforeEach(async () => {
    dependencies = await createDependencies(config, logger);
    const app = createNotificationApp({
      config,
      logger,
      jwt: { secret: config.JWT_SECRET, issuer: config.JWT_ISSUER },
      repository: dependencies.repository,
      processedEvents: dependencies.processedEvents,
      channels: dependencies.channels,
      delivery: { maxAttempts: 1, retryBaseMs: 0, sendTimeoutMs: 1000 },
    });
    handleEvent = app.handleEvent;
    hooks = dependencies.startWorkers(app.handleEvent);
  });

  afterEach(async () => {
    for (const hook of hooks) await hook.close();
  });

  it('uses in-memory stores and needs no readiness checks', () => {
    expect(dependencies.repository).toBeInstanceOf(InMemoryNotificationRepository);
    expect(dependencies.readinessChecks).toEqual({});
    expect(hooks.map((h) => h.name)).toEqual(['event-consumer', 'outbox-relay']);
  });

  it('consumes an event, sends its notification and relays notification.sent to notification-events', async () => {
    const bus = dependencies.bus!;
    const event = registered();
    await bus.publish('user-events', [event]);
    const [sent] = await until(() => {
      const events = bus.events(NOTIFICATION_EVENTS_TOPIC);
      return events.length > 0 ? events : undefined;
    });
    expect(sent).toMatchObject({
      type: 'notification.sent',
      source: 'notification',
      data: { ownerId: 'user-1', channel: 'email', status: 'sent', sourceEventId: event.id },
    });
    expect(bus.events(DEAD_LETTER_TOPIC)).toEqual([]);
  });

  it('keeps the outcome event while publishing fails and publishes it once the bus is back', async () => {
    const bus = dependencies.bus!;
    bus.failWith = new Error('kafka down');
    const event = registered();
    await handleEvent(event, { topic: 'user-events', partition: 0, offset: '0', attempt: 1 });
    // Several relay rounds fail meanwhile; the notification is stored and its event waits in the outbox.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(bus.events(NOTIFICATION_EVENTS_TOPIC)).toEqual([]);

    bus.failWith = undefined;
    const [sent] = await until(() => {
      const events = bus.events(NOTIFICATION_EVENTS_TOPIC);
      return events.length > 0 ? events : undefined;
    });
    expect(sent).toMatchObject({ type: 'notification.sent', data: { sourceEventId: event.id } });
  });
});

describe('createDependencies (EVENTS=kafka)', () => {
  it('makes Kafka no readiness check: the API works while events wait in the outbox', async () => {
    const kafka = loadNotificationConfig({
      JWT_SECRET: 'dependencies-test-secret-0123456789abcdef',
      LOG_LEVEL: 'silent',
      EVENTS: 'kafka',
      KAFKA_BROKERS: '127.0.0.1:1',
    });
    const dependencies = await createDependencies(kafka, createLogger(kafka));
    expect(dependencies.bus).toBeUndefined();
    expect(dependencies.readinessChecks).toEqual({});
  });
});
