import { randomUUID } from 'node:crypto';
import { SpanKind, context, propagation, trace } from '@opentelemetry/api';
import type { SpanContext } from '@opentelemetry/api';
import { PermanentEventError } from '../events/permanent-event-error';
import type { DeliveryInfo, EventEnvelope, EventHandler, EventPublisher } from '../ports';
import { eventually } from '../testing/eventually';
import { startTestTracing } from '../testing/test-tracing';

/** What the contract needs from an event bus: a publisher, a consumer, and a look at a dead-letter topic. */
export interface EventBusHarness {
  readonly publisher: EventPublisher;
  /** A topic name no other test uses, created first where topics must exist. */
  topic(name: string): Promise<string>;
  /** Starts consuming `topics` as one consumer group (like runKafkaConsumer); resolves once started. */
  consume(
    topics: readonly string[],
    handler: EventHandler,
    options: { readonly maxAttempts: number; readonly deadLetterTopic: string },
  ): Promise<void>;
  /** Events that reached `topic` (a dead-letter topic) so far, in order. */
  deadLetters(topic: string): Promise<readonly EventEnvelope[]>;
  /** How long deliveries may take (a broker is slower than memory). */
  readonly timeoutMs: number;
  close(): Promise<void>;
}

function event(key: string, n: number, overrides: Partial<EventEnvelope> = {}): EventEnvelope {
  return {
    id: randomUUID(),
    type: 'order.created',
    source: 'order',
    occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
    key,
    data: { n, lines: [{ sku: 'A', qty: n }] },
    ...overrides,
  };
}

/**
 * Behaviour every EventPublisher + consumer pair must have: InMemoryEventBus always, Kafka
 * (KafkaEventPublisher + runKafkaConsumer) when KAFKA_BROKERS is set.
 */
export function describeEventBusContract(name: string, create: () => Promise<EventBusHarness>): void {
  describe(`${name} (event bus contract)`, () => {
    let bus: EventBusHarness;
    beforeEach(async () => {
      bus = await create();
    });
    afterEach(async () => {
      await bus.close();
    });

    it('delivers every published event once, unchanged, in order per key', async () => {
      const topic = await bus.topic('orders');
      const dlq = await bus.topic('dlq');
      const received: { event: EventEnvelope; info: DeliveryInfo }[] = [];
      await bus.consume([topic], (e, info) => (received.push({ event: e, info }), Promise.resolve()), {
        maxAttempts: 3,
        deadLetterTopic: dlq,
      });
      const events = Array.from({ length: 12 }, (_v, i) =>
        event(`order-${i % 3}`, i, i === 0 ? { requestId: 'req-1' } : {}),
      );
      await bus.publisher.publish(topic, events.slice(0, 5));
      await bus.publisher.publish(topic, events.slice(5));

      await eventually(() => expect(received).toHaveLength(12), bus.timeoutMs, 50);
      expect(received.map((r) => r.event).sort((a, b) => a.occurredAt.localeCompare(b.occurredAt))).toEqual(
        events,
      );
      for (const key of ['order-0', 'order-1', 'order-2']) {
        const sent = events.filter((e) => e.key === key).map((e) => e.id);
        expect(received.filter((r) => r.event.key === key).map((r) => r.event.id)).toEqual(sent);
      }
      for (const { info } of received) expect(info).toMatchObject({ topic, attempt: 1 });
      expect(await bus.deadLetters(dlq)).toEqual([]);
    });

    it('retries a failing handler and does not dead-letter an event that succeeds in time', async () => {
      const topic = await bus.topic('orders');
      const dlq = await bus.topic('dlq');
      const attempts: number[] = [];
      const handled: string[] = [];
      await bus.consume(
        [topic],
        (e, info) => {
          attempts.push(info.attempt);
          if (info.attempt < 3) return Promise.reject(new Error('smtp down'));
          handled.push(e.id);
          return Promise.resolve();
        },
        { maxAttempts: 3, deadLetterTopic: dlq },
      );
      const e = event('order-1', 1);
      await bus.publisher.publish(topic, [e]);
      await eventually(() => expect(handled).toEqual([e.id]), bus.timeoutMs, 50);
      expect(attempts).toEqual([1, 2, 3]);
      expect(await bus.deadLetters(dlq)).toEqual([]);
    });

    it('dead-letters an event after maxAttempts failures and goes on with the next ones', async () => {
      const topic = await bus.topic('orders');
      const dlq = await bus.topic('dlq');
      const poison = event('order-1', 1, { type: 'order.poison' });
      const fine = [event('order-1', 2), event('order-2', 3)];
      const handled: string[] = [];
      let poisonAttempts = 0;
      await bus.consume(
        [topic],
        (e) => {
          if (e.type === 'order.poison') {
            poisonAttempts += 1;
            return Promise.reject(new Error('cannot handle'));
          }
          handled.push(e.id);
          return Promise.resolve();
        },
        { maxAttempts: 2, deadLetterTopic: dlq },
      );
      await bus.publisher.publish(topic, [poison, ...fine]);
      await eventually(async () => expect(await bus.deadLetters(dlq)).toEqual([poison]), bus.timeoutMs, 50);
      await eventually(() => expect(handled.sort()).toEqual(fine.map((e) => e.id).sort()), bus.timeoutMs, 50);
      expect(poisonAttempts).toBe(2);
    });

    it('dead-letters an event whose handler throws a PermanentEventError after that one attempt', async () => {
      const topic = await bus.topic('orders');
      const dlq = await bus.topic('dlq');
      const invalid = event('order-1', 1, { type: 'order.invalid' });
      const next = event('order-1', 2);
      const attempts: { type: string; attempt: number }[] = [];
      await bus.consume(
        [topic],
        (e, info) => {
          attempts.push({ type: e.type, attempt: info.attempt });
          return e.type === 'order.invalid'
            ? Promise.reject(new PermanentEventError('data.total must be an integer'))
            : Promise.resolve();
        },
        { maxAttempts: 5, deadLetterTopic: dlq },
      );
      await bus.publisher.publish(topic, [invalid, next]);
      await eventually(async () => expect(await bus.deadLetters(dlq)).toEqual([invalid]), bus.timeoutMs, 50);
      await eventually(() => expect(attempts).toHaveLength(2), bus.timeoutMs, 50);
      expect(attempts).toEqual([
        { type: 'order.invalid', attempt: 1 },
        { type: 'order.created', attempt: 1 },
      ]);
    });

    it("continues the publisher's trace in the handler: traceparent and baggage travel with the event", async () => {
      const tracing = startTestTracing();
      try {
        const topic = await bus.topic('orders');
        const dlq = await bus.topic('dlq');
        const seen: { span: SpanContext | undefined; tenant: string | undefined }[] = [];
        await bus.consume(
          [topic],
          () => {
            seen.push({
              span: trace.getActiveSpan()?.spanContext(),
              tenant: propagation.getBaggage(context.active())?.getEntry('tenant')?.value,
            });
            return Promise.resolve();
          },
          { maxAttempts: 1, deadLetterTopic: dlq },
        );
        const withBaggage = propagation.setBaggage(
          context.active(),
          propagation.createBaggage({ tenant: { value: 'acme' } }),
        );
        const request = await context.with(withBaggage, () =>
          trace.getTracer('test').startActiveSpan('POST /orders', async (span) => {
            await bus.publisher.publish(topic, [event('order-1', 1)]);
            span.end();
            return span.spanContext();
          }),
        );
        await eventually(() => expect(seen).toHaveLength(1), bus.timeoutMs, 50);
        expect(seen[0]!.span?.traceId).toBe(request.traceId);
        expect(seen[0]!.span?.spanId).not.toBe(request.spanId);
        expect(seen[0]!.tenant).toBe('acme');
        const consumer = tracing.spans().find((s) => s.name === `process ${topic}`);
        expect(consumer?.kind).toBe(SpanKind.CONSUMER);
        expect(consumer?.spanContext().spanId).toBe(seen[0]!.span?.spanId);
        expect(consumer?.parentSpanContext?.spanId).toBe(request.spanId);
      } finally {
        await tracing.stop();
      }
    });

    it('starts no trace for an event published outside a span', async () => {
      const tracing = startTestTracing();
      try {
        const topic = await bus.topic('orders');
        const dlq = await bus.topic('dlq');
        const seen: (SpanContext | undefined)[] = [];
        await bus.consume(
          [topic],
          () => (seen.push(trace.getActiveSpan()?.spanContext()), Promise.resolve()),
          {
            maxAttempts: 1,
            deadLetterTopic: dlq,
          },
        );
        await bus.publisher.publish(topic, [event('order-1', 1)]);
        await eventually(() => expect(seen).toHaveLength(1), bus.timeoutMs, 50);
        // A root process span of its own: no parent to continue.
        const consumer = tracing.spans().find((s) => s.name === `process ${topic}`);
        expect(consumer?.parentSpanContext).toBeUndefined();
        expect(seen[0]?.traceId).toBe(consumer?.spanContext().traceId);
      } finally {
        await tracing.stop();
      }
    });

    it('delivers only the topics consumed', async () => {
      const wanted = await bus.topic('orders');
      const other = await bus.topic('users');
      const dlq = await bus.topic('dlq');
      const received: string[] = [];
      await bus.consume([wanted], (e) => (received.push(e.id), Promise.resolve()), {
        maxAttempts: 1,
        deadLetterTopic: dlq,
      });
      const skipped = event('u', 1);
      const kept = event('o', 2);
      await bus.publisher.publish(other, [skipped]);
      await bus.publisher.publish(wanted, [kept]);
      await eventually(() => expect(received).toEqual([kept.id]), bus.timeoutMs, 50);
    });
  });
}
