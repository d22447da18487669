import type { EventEnvelope } from '../ports';
import { parseEventMessage, toKafkaMessage } from './event-message';

const event: EventEnvelope = {
  id: '6f1c8a5e-2f1d-4c1b-9a59-2b1f7f0e9d11',
  type: 'order.created',
  source: 'order',
  occurredAt: '2026-01-01T00:00:00.000Z',
  key: 'order-42',
  data: { total: 1999, items: [{ sku: 'A', qty: 1 }] },
  requestId: 'req-7',
};

describe('toKafkaMessage', () => {
  it('keys the message by the event key, carries the event as JSON and describes it in headers', () => {
    const message = toKafkaMessage(event);
    expect(message.key).toBe('order-42');
    expect(JSON.parse(message.value as string)).toEqual(event);
    expect(message.headers).toEqual({
      'event-id': event.id,
      'event-type': 'order.created',
      'event-source': 'order',
      'x-request-id': 'req-7',
      'content-type': 'application/json',
    });
  });

  it('leaves out x-request-id when the event has none', () => {
    const { requestId: _requestId, ...withoutRequest } = event;
    expect(toKafkaMessage(withoutRequest).headers).not.toHaveProperty('x-request-id');
  });
});

describe('parseEventMessage', () => {
  it('reads back what toKafkaMessage wrote', () => {
    expect(parseEventMessage(Buffer.from(toKafkaMessage(event).value as string))).toEqual({
      ok: true,
      event,
    });
  });

  it('says why a value is not an event, never throwing', () => {
    expect(parseEventMessage(null)).toEqual({ ok: false, reason: 'message has no value (tombstone)' });
    expect(parseEventMessage(Buffer.from('{"id":'))).toEqual({ ok: false, reason: 'value is not JSON' });
    expect(parseEventMessage(Buffer.from('[1,2]'))).toEqual({
      ok: false,
      reason: 'value is not an event envelope (bad fields: (value))',
    });
    const { data: _data, ...noData } = event;
    expect(parseEventMessage(Buffer.from(JSON.stringify({ ...noData, id: 7, key: '' })))).toEqual({
      ok: false,
      reason: 'value is not an event envelope (bad fields: id, key, data)',
    });
    expect(parseEventMessage(Buffer.from(JSON.stringify(noData)))).toEqual({
      ok: false,
      reason: 'value is not an event envelope (bad fields: data)',
    });
  });
});
