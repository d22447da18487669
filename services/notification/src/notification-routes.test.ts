import { randomUUID } from 'node:crypto';
import type { EventHandler, RunningService } from '@platform/common';
import {
  InMemoryOutboxStore,
  TEXT_CHARACTER_MESSAGE,
  createLogger,
  loadConfig,
  signAccessToken,
  start,
} from '@platform/common';
import { createNotificationApp } from './app';
import { FailingChannel } from './channels/failing-channel';
import { LoggingChannel } from './channels/logging-channel';
import { InMemoryNotificationRepository } from './in-memory-notification-repository';
import { InMemoryProcessedEventStore } from './in-memory-processed-event-store';
import type { Notification } from './notification';

type Json = Record<string, unknown>;

const jwt = { secret: 'notification-routes-test-secret-0123456789', issuer: 'platform' };
const ALICE = { sub: 'a11ce000-0000-4000-8000-000000000001', email: 'alice@example.com' };
const BOB = { sub: 'b0b00000-0000-4000-8000-000000000002', email: 'Bob@Example.com' };
const token = (user: { sub: string; email: string }, options: Partial<typeof jwt> = {}, ttlSeconds = 600) =>
  signAccessToken(user, { ...jwt, ...options, ttlSeconds });

let running: RunningService;
let base: string;
let outbox: InMemoryOutboxStore;
let handleEvent: EventHandler;
let email: LoggingChannel;
let push: FailingChannel;

beforeEach(async () => {
  const config = loadConfig({
    env: { SERVICE_NAME: 'notification', SERVICE_VERSION: '1.0.0', LOG_LEVEL: 'silent' },
  });
  const logger = createLogger(config);
  outbox = new InMemoryOutboxStore();
  email = new LoggingChannel(logger);
  push = new FailingChannel();
  const app = createNotificationApp({
    config,
    logger,
    jwt,
    repository: new InMemoryNotificationRepository(outbox),
    processedEvents: new InMemoryProcessedEventStore(),
    channels: { email, sms: new LoggingChannel(logger), push },
    delivery: { maxAttempts: 2, retryBaseMs: 0, sendTimeoutMs: 1000 },
  });
  handleEvent = app.handleEvent;
  running = await start(app.service, { port: 0, host: '127.0.0.1', idleDrainMs: 0 });
  base = `${running.url}/api/notifications`;
});

afterEach(async () => {
  await running.shutdown('test done');
});

const validEmail = (overrides: Json = {}): Json => ({
  channel: 'email',
  recipient: 'jane@example.com',
  subject: 'Your order shipped',
  body: 'Parcel 123 is on its way.',
  ...overrides,
});

// `null` sends no Authorization header (undefined would pick the default token).
function send(body: unknown, auth: string | null = token(ALICE), headers: Json = {}): Promise<Response> {
  return fetch(`${base}/send`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(auth !== null && { authorization: `Bearer ${auth}` }),
      ...headers,
    } as Record<string, string>,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

function get(id: string, auth: string | null = token(ALICE)): Promise<Response> {
  return fetch(`${base}/${id}`, auth === null ? {} : { headers: { authorization: `Bearer ${auth}` } });
}

async function created(body: Json = validEmail(), auth = token(ALICE)): Promise<Notification> {
  const res = await send(body, auth);
  expect(res.status).toBe(201);
  return (await res.json()) as Notification;
}

async function details(res: Response): Promise<Array<{ field: string; message: string }>> {
  expect(res.status).toBe(400);
  const body = (await res.json()) as { error: string; details: Array<{ field: string; message: string }> };
  expect(body.error).toBe('validation_failed');
  return body.details;
}

const fieldsOf = async (res: Response) => (await details(res)).map((d) => d.field);

describe('POST /api/notifications/send', () => {
  it('sends an email: 201, Location, the stored notification, and a notification.sent event', async () => {
    const res = await send(validEmail());
    expect(res.status).toBe(201);
    const notification = (await res.json()) as Notification;
    expect(notification).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      ownerId: ALICE.sub,
      ...validEmail(),
      status: 'sent',
      attempts: 1,
      providerMessageId: expect.stringMatching(/^log-/),
      createdAt: expect.any(String),
      sentAt: expect.any(String),
    });
    expect(res.headers.get('location')).toBe(`/api/notifications/${notification.id}`);

    const fetched = await get(notification.id);
    expect(fetched.status).toBe(200);
    expect(await fetched.json()).toEqual(notification);

    const [entry] = await outbox.pending(10);
    expect(entry).toMatchObject({
      topic: 'notification-events',
      event: {
        type: 'notification.sent',
        key: notification.id,
        requestId: expect.any(String),
        data: { notificationId: notification.id, ownerId: ALICE.sub, channel: 'email', status: 'sent' },
      },
    });
  });

  it('sends an sms without a subject', async () => {
    const notification = await created({ channel: 'sms', recipient: '+14155550123', body: 'Code 1234' });
    expect(notification).toMatchObject({ channel: 'sms', status: 'sent', attempts: 1 });
    expect(notification.subject).toBeUndefined();
  });

  it('answers 201 with status failed when the channel keeps failing, and emits notification.failed', async () => {
    const res = await send({ channel: 'push', recipient: 'f'.repeat(64), body: 'Ping' });
    expect(res.status).toBe(201);
    const notification = (await res.json()) as Notification;
    expect(notification).toMatchObject({ status: 'failed', attempts: 2, failureReason: 'provider_error' });
    expect(notification.sentAt).toBeUndefined();
    expect(push.calls).toBe(2);
    expect((await get(notification.id)).status).toBe(200);
    const [entry] = await outbox.pending(10);
    expect(entry?.event).toMatchObject({ type: 'notification.failed', data: { status: 'failed' } });
  });

  describe('idempotencyKey', () => {
    it('answers a repeat with 200 and the first notification, sending once', async () => {
      const spy = jest.spyOn(email, 'send');
      const first = await created(validEmail({ idempotencyKey: 'ship-123' }));
      const repeat = await send(validEmail({ idempotencyKey: 'ship-123' }));
      expect(repeat.status).toBe(200);
      expect(repeat.headers.get('location')).toBe(`/api/notifications/${first.id}`);
      expect(await repeat.json()).toEqual(first);
      expect(spy).toHaveBeenCalledTimes(1);
      expect(await outbox.pending(10)).toHaveLength(1);
    });

    it('answers 409 idempotency_key_reused for the same key with another message', async () => {
      const first = await created(validEmail({ idempotencyKey: 'ship-124' }));
      const res = await send(validEmail({ idempotencyKey: 'ship-124', body: 'Different text' }));
      expect(res.status).toBe(409);
      expect(await res.json()).toMatchObject({
        error: 'idempotency_key_reused',
        message: `idempotencyKey "ship-124" was already used for notification ${first.id} with a different message; use a new key`,
      });
    });

    it('sends once for concurrent repeats', async () => {
      const spy = jest.spyOn(email, 'send');
      const responses = await Promise.all(
        Array.from({ length: 8 }, () => send(validEmail({ idempotencyKey: 'burst' }))),
      );
      expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
      expect(spy).toHaveBeenCalledTimes(1);
    });

    it('keeps keys per user', async () => {
      await created(validEmail({ idempotencyKey: 'mine' }), token(ALICE));
      await created(validEmail({ idempotencyKey: 'mine' }), token(BOB));
    });
  });

  describe('validation', () => {
    it('rejects wrong types with one detail per field', async () => {
      const res = await send({
        channel: 'email',
        recipient: 42,
        subject: true,
        body: ['x'],
        idempotencyKey: 7,
      });
      expect(await details(res)).toEqual([
        { field: 'recipient', message: 'must be a string (got 42)' },
        { field: 'subject', message: 'must be a string (got true)' },
        { field: 'body', message: 'must be a string (got an array)' },
        { field: 'idempotencyKey', message: 'must be a string (got 7)' },
      ]);
    });

    it('rejects missing and unknown fields', async () => {
      expect(await fieldsOf(await send({ priority: 'high', to: 'x' }))).toEqual([
        'channel',
        'recipient',
        'body',
        'priority',
        'to',
      ]);
    });

    it.each([
      [{ channel: 'fax' }, 'channel', 'must be one of "email", "sms", "push" (got "fax")'],
      [
        { recipient: 'jane.example.com' },
        'recipient',
        'must be an email address such as "jane@example.com" (at most 254 characters) for channel email (got "jane.example.com")',
      ],
      [
        { channel: 'sms', subject: undefined, recipient: '0044 20 7946 0000' },
        'recipient',
        'must be an E.164 phone number such as "+14155550123" for channel sms (got "0044 20 7946 0000")',
      ],
      [
        { channel: 'push', subject: undefined, recipient: 'short token' },
        'recipient',
        'must be a device token of 32-1024 characters of A-Z, a-z, 0-9, "_", ":", ".", "-" for channel push (got "short token")',
      ],
      [{ subject: undefined }, 'subject', 'is required for channel email'],
      [
        { channel: 'sms', recipient: '+14155550123', subject: 'Hi' },
        'subject',
        'is only allowed for channel email, not sms (got "Hi")',
      ],
      [{ subject: '   ' }, 'subject', 'must not be blank (got "")'],
      [
        { subject: 'Hi\r\nBcc: victim@example.com' },
        'subject',
        `${TEXT_CHARACTER_MESSAGE} (found U+000D at character 3)`,
      ],
      [{ subject: 's'.repeat(201) }, 'subject', expect.stringMatching(/^must have at most 200 characters/)],
      [{ body: '' }, 'body', 'must not be blank (got "")'],
      [{ body: ' \n ' }, 'body', 'must not be blank (got "")'],
      [{ body: 'b'.repeat(2001) }, 'body', expect.stringMatching(/^must have at most 2000 characters/)],
      [
        { idempotencyKey: 'has spaces' },
        'idempotencyKey',
        'must be 1-128 characters of A-Z, a-z, 0-9, ".", "_", ":", "-" (got "has spaces")',
      ],
    ])('rejects %j naming the field and what is allowed', async (overrides, field, message) => {
      expect(await details(await send(validEmail(overrides)))).toEqual([{ field, message }]);
    });

    it('accepts the longest allowed body and subject', async () => {
      const notification = await created(validEmail({ subject: 's'.repeat(200), body: 'b'.repeat(2000) }));
      expect(notification.body).toHaveLength(2000);
    });

    it('rejects a body that is not a JSON object', async () => {
      expect(await fieldsOf(await send([validEmail()]))).toEqual(['body']);
      // express.json accepts only objects and arrays at the top level.
      const literal = await send('null');
      expect(literal.status).toBe(400);
      expect(await literal.json()).toMatchObject({ error: 'malformed_json' });
      const noBody = await fetch(`${base}/send`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token(ALICE)}` },
      });
      expect(await details(noBody)).toEqual([{ field: 'body', message: 'is required' }]);
    });

    it('answers 400 malformed_json, 413 for oversized and 415 for non-JSON bodies', async () => {
      const malformed = await send('{"channel": "email",');
      expect(malformed.status).toBe(400);
      expect(await malformed.json()).toMatchObject({ error: 'malformed_json' });

      const oversized = await send(validEmail({ body: 'x'.repeat(40_000) }));
      expect(oversized.status).toBe(413);
      expect(await oversized.json()).toMatchObject({ error: 'payload_too_large' });

      const text = await send('channel=email', token(ALICE), { 'content-type': 'text/plain' });
      expect(text.status).toBe(415);
      expect(await text.json()).toMatchObject({ error: 'unsupported_media_type' });
    });
  });

  describe('authentication', () => {
    it.each([
      ['no Authorization header', null, 'Authentication required'],
      [
        'a token signed with another secret',
        token(ALICE, { secret: 'another-secret-that-is-32-bytes-long!!' }),
        'Invalid token',
      ],
      ['a token of another issuer', token(ALICE, { issuer: 'elsewhere' }), 'Invalid token'],
      ['an expired token', token(ALICE, {}, -10), 'Token expired'],
      ['a malformed token', 'not.a.jwt', 'Malformed token'],
    ])('answers 401 for %s, before looking at the body', async (_what, auth, message) => {
      const res = await send({ bogus: true }, auth);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: 'unauthorized', message });
    });

    it('answers 401 for a scheme other than Bearer', async () => {
      const res = await fetch(`${base}/send`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Basic YWxpY2U6c2VjcmV0' },
        body: JSON.stringify(validEmail()),
      });
      expect(res.status).toBe(401);
    });
  });
});

describe('GET /api/notifications/:id', () => {
  it('answers 404 for an unknown id', async () => {
    const id = '3f0b1c1e-5f7a-4c41-9a8e-2d7f6b8a9c10';
    const res = await get(id);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'not_found', message: `Notification ${id} not found` });
  });

  it.each(['123', 'not-a-uuid', "1' OR '1'='1", '{"$ne":null}'])(
    'answers 400 for the malformed id %j',
    async (id) => {
      expect(await details(await get(encodeURIComponent(id)))).toEqual([
        { field: 'id', message: expect.stringMatching(/^must be a notification id \(UUID\)/) },
      ]);
    },
  );

  it("answers 404 for another user's notification, as if it did not exist", async () => {
    const notification = await created(validEmail(), token(ALICE));
    const res = await get(
      notification.id,
      token({ sub: 'e5e00000-0000-4000-8000-000000000003', email: 'eve@example.com' }),
    );
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'not_found' });
  });

  it('shows an email to the user it was addressed to (address compared case-insensitively)', async () => {
    const notification = await created(validEmail({ recipient: 'bob@example.com' }), token(ALICE));
    const res = await get(notification.id, token(BOB));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: notification.id, ownerId: ALICE.sub });
  });

  it('shows a notification caused by an event to the user it was about', async () => {
    const registered = {
      id: randomUUID(),
      type: 'user.registered',
      source: 'user',
      occurredAt: new Date().toISOString(),
      key: 'ca201000-0000-4000-8000-000000000004',
      data: { userId: 'ca201000-0000-4000-8000-000000000004', email: 'carol@example.com' },
    };
    await handleEvent(registered, { topic: 'user-events', partition: 0, offset: '0', attempt: 1 });
    const [entry] = await outbox.pending(10);
    const id = (entry?.event.data as { notificationId: string }).notificationId;

    const res = await get(
      id,
      token({ sub: 'ca201000-0000-4000-8000-000000000004', email: 'carol-changed@example.com' }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      ownerId: 'ca201000-0000-4000-8000-000000000004',
      sourceEventId: registered.id,
      status: 'sent',
    });
    expect((await get(id, token(ALICE))).status).toBe(404);
  });

  it('answers 401 without a valid token', async () => {
    const notification = await created();
    expect((await get(notification.id, null)).status).toBe(401);
    expect((await get(notification.id, 'garbage')).status).toBe(401);
  });
});

describe('robustness', () => {
  it('keeps serving correct answers after malformed, oversized and hostile input', async () => {
    const hostile = [
      send('{"channel": '),
      send(JSON.stringify(validEmail({ body: 'x'.repeat(200_000) }))),
      send('{"__proto__": {"polluted": true}, "channel": "email"}'),
      send(validEmail({ recipient: { $gt: '' } })),
      fetch(`${base}/%E0%A4%A`, { headers: { authorization: `Bearer ${token(ALICE)}` } }),
      get(encodeURIComponent('../../health')),
      send('[]'),
    ];
    const statuses = (await Promise.all(hostile)).map((r) => r.status);
    expect(statuses).toEqual([400, 413, 400, 400, 400, 400, 400]);
    expect(({} as Json).polluted).toBeUndefined();

    const notification = await created();
    expect((await get(notification.id)).status).toBe(200);
    expect((await fetch(`${running.url}/health`)).status).toBe(200);
  });

  it('counts notifications by channel and outcome, and labels routes by template', async () => {
    await created();
    await created();
    await send({ channel: 'push', recipient: 'f'.repeat(64), body: 'Ping' });
    const notification = await created({ channel: 'sms', recipient: '+14155550123', body: 'Code' });
    await get(notification.id);
    const metrics = await (await fetch(`${running.url}/metrics`)).text();
    const count = (channel: string, outcome: string) => {
      const line = metrics
        .split('\n')
        .find(
          (l) =>
            l.startsWith('notifications_sent_total{') &&
            l.includes(`channel="${channel}"`) &&
            l.includes(`outcome="${outcome}"`),
        );
      expect(line).toContain('service="notification"');
      return Number(line?.split(' ').pop());
    };
    expect(count('email', 'sent')).toBe(2);
    expect(count('sms', 'sent')).toBe(1);
    expect(count('push', 'failed')).toBe(1);
    expect(metrics).toMatch(/http_requests_total\{[^}]*route="\/api\/notifications\/:id"[^}]*status="200"/);
    expect(metrics).not.toContain(notification.id);
  });
});
