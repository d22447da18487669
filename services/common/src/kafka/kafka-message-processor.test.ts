import type { EachMessagePayload, KafkaMessage } from 'kafkajs';
import { PermanentEventError } from '../events/permanent-event-error';
import type { EventEnvelope, EventHandler } from '../ports';
import { captureLogger } from '../testing/capture-logger';
import { toKafkaMessage } from './event-message';
import type { DeadLetterReason, MessageProcessorOptions } from './kafka-message-processor';
import { processMessage } from './kafka-message-processor';

const event: EventEnvelope = {
  id: '6f1c8a5e-2f1d-4c1b-9a59-2b1f7f0e9d11',
  type: 'order.created',
  source: 'order',
  occurredAt: '2026-01-01T00:00:00.000Z',
  key: 'order-42',
  data: { total: 1 },
};

function payload(value: Buffer | null, heartbeat = jest.fn(() => Promise.resolve())): EachMessagePayload {
  const message: KafkaMessage = {
    key: Buffer.from('order-42'),
    value,
    timestamp: '0',
    attributes: 0,
    offset: '17',
    headers: {},
  };
  return { topic: 'order-events', partition: 2, message, heartbeat, pause: () => () => undefined };
}

const valid = (): EachMessagePayload => payload(Buffer.from(toKafkaMessage(event).value as string));

function setup(handler: EventHandler, overrides: Partial<MessageProcessorOptions> = {}) {
  const deadLetters: { topic: string; partition: number; offset: string; why: DeadLetterReason }[] = [];
  const capture = captureLogger();
  const options: MessageProcessorOptions = {
    handler,
    maxAttempts: 3,
    backoffMs: () => 1,
    sendToDeadLetter: ({ topic, partition, message }, why) => {
      deadLetters.push({ topic, partition, offset: message.offset, why });
      return Promise.resolve();
    },
    logger: capture.logger,
    signal: new AbortController().signal,
    ...overrides,
  };
  return { options, deadLetters, ...capture };
}

describe('processMessage', () => {
  it('hands the event to the handler with where it came from, once', async () => {
    const handler = jest.fn<Promise<void>, Parameters<EventHandler>>(() => Promise.resolve());
    const { options, deadLetters } = setup(handler);
    await processMessage(valid(), options);
    expect(handler.mock.calls).toEqual([
      [event, { topic: 'order-events', partition: 2, offset: '17', attempt: 1 }],
    ]);
    expect(deadLetters).toEqual([]);
  });

  it('retries a failing handler with backoff and heartbeats until it succeeds', async () => {
    const attempts: number[] = [];
    const handler: EventHandler = (_e, info) => {
      attempts.push(info.attempt);
      return info.attempt < 3 ? Promise.reject(new Error('mail server down')) : Promise.resolve();
    };
    const backoffMs = jest.fn(() => 1);
    const heartbeat = jest.fn(() => Promise.resolve());
    const { options, deadLetters, lines } = setup(handler, { backoffMs });
    await processMessage(payload(valid().message.value, heartbeat), options);
    expect(attempts).toEqual([1, 2, 3]);
    expect(backoffMs.mock.calls).toEqual([[1], [2]]);
    expect(heartbeat).toHaveBeenCalledTimes(2);
    expect(deadLetters).toEqual([]);
    expect(lines.filter((l) => l.msg === 'event handler failed').map((l) => l.attempt)).toEqual([1, 2]);
  });

  it('dead-letters the message after maxAttempts failures, with the last error', async () => {
    let n = 0;
    const { options, deadLetters, lines } = setup(() => Promise.reject(new Error(`failure ${++n}`)));
    await processMessage(valid(), options);
    expect(deadLetters).toEqual([
      {
        topic: 'order-events',
        partition: 2,
        offset: '17',
        why: { reason: 'handler_failed', error: 'failure 3', attempts: 3 },
      },
    ]);
    expect(lines.find((l) => l.level === 'error')).toMatchObject({
      msg: 'event handler gave up; sending the event to the dead-letter topic',
      eventId: event.id,
      offset: '17',
    });
  });

  it('dead-letters the message after one attempt when the handler throws a PermanentEventError', async () => {
    const attempts: number[] = [];
    const backoffMs = jest.fn(() => 1);
    const { options, deadLetters, lines } = setup(
      (_e, info) => {
        attempts.push(info.attempt);
        return Promise.reject(new PermanentEventError('data.email is required'));
      },
      { backoffMs },
    );
    await processMessage(valid(), options);
    expect(attempts).toEqual([1]);
    expect(backoffMs).not.toHaveBeenCalled();
    expect(deadLetters).toEqual([
      {
        topic: 'order-events',
        partition: 2,
        offset: '17',
        why: { reason: 'permanent', error: 'data.email is required', attempts: 1 },
      },
    ]);
    expect(lines.find((l) => l.level === 'error')).toMatchObject({
      msg: 'event failed permanently; sending it to the dead-letter topic without retrying',
      eventId: event.id,
    });
  });

  it('treats any other error as transient: retries it, and dead-letters nothing once it succeeds', async () => {
    const attempts: number[] = [];
    const { options, deadLetters } = setup((_e, info) => {
      attempts.push(info.attempt);
      return info.attempt === 1 ? Promise.reject(new Error('ECONNRESET')) : Promise.resolve();
    });
    await processMessage(valid(), options);
    expect(attempts).toEqual([1, 2]);
    expect(deadLetters).toEqual([]);
  });

  it('dead-letters a malformed message at once, without calling the handler', async () => {
    const handler = jest.fn(() => Promise.resolve());
    const { options, deadLetters } = setup(handler);
    await processMessage(payload(Buffer.from('not json')), options);
    await processMessage(payload(null), options);
    expect(handler).not.toHaveBeenCalled();
    expect(deadLetters.map((d) => d.why)).toEqual([
      { reason: 'malformed', error: 'value is not JSON', attempts: 0 },
      { reason: 'malformed', error: 'message has no value (tombstone)', attempts: 0 },
    ]);
  });

  it('rejects (leaving the offset uncommitted) when the dead-letter write fails', async () => {
    const { options } = setup(() => Promise.reject(new Error('boom')), {
      sendToDeadLetter: () => Promise.reject(new Error('dlq topic missing')),
    });
    await expect(processMessage(valid(), options)).rejects.toThrow('dlq topic missing');
  });

  it('rejects without dead-lettering when the consumer stops during a retry pause', async () => {
    const controller = new AbortController();
    const { options, deadLetters } = setup(() => Promise.reject(new Error('boom')), {
      signal: controller.signal,
      backoffMs: () => 60_000,
    });
    const outcome = processMessage(valid(), options);
    setTimeout(() => controller.abort(), 10);
    await expect(outcome).rejects.toThrow('consumer stopping; the event will be delivered again');
    expect(deadLetters).toEqual([]);
  });
});
