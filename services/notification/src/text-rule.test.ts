import { randomUUID } from 'node:crypto';
import type { RunningService } from '@platform/common';
import {
  InMemoryOutboxStore,
  createLogger,
  loadConfig,
  signAccessToken,
  start,
  textRefusal,
} from '@platform/common';
import { createNotificationApp } from './app';
import { LoggingChannel } from './channels/logging-channel';
import { InMemoryNotificationRepository } from './in-memory-notification-repository';
import { InMemoryProcessedEventStore } from './in-memory-processed-event-store';

// The shared text rule (common's text.ts) over HTTP: the same 400 as every service, NFC stored.
const jwt = { secret: 'notification-text-test-secret-0123456789', issuer: 'platform' };
let running: RunningService;

beforeEach(async () => {
  const config = loadConfig({ env: { SERVICE_NAME: 'notification', LOG_LEVEL: 'silent' } });
  const logger = createLogger(config);
  const channel = new LoggingChannel(logger);
  const app = createNotificationApp({
    config,
    logger,
    jwt,
    repository: new InMemoryNotificationRepository(new InMemoryOutboxStore()),
    processedEvents: new InMemoryProcessedEventStore(),
    channels: { email: channel, sms: channel, push: channel },
    delivery: { maxAttempts: 1, retryBaseMs: 0, sendTimeoutMs: 1000 },
  });
  running = await start(app.service, { port: 0, host: '127.0.0.1', idleDrainMs: 0 });
});

afterEach(() => running.shutdown('test done'));

function send(overrides: Record<string, unknown>): Promise<Response> {
  const token = signAccessToken(
    { sub: randomUUID(), email: 'jane@example.com' },
    { ...jwt, ttlSeconds: 300 },
  );
  return fetch(`${running.url}/api/notifications/send`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      channel: 'email',
      recipient: 'jane@example.com',
      subject: 'Your order shipped',
      body: 'Parcel 123 is on its way.',
      ...overrides,
    }),
  });
}

describe('POST /api/notifications/send with text the shared rule refuses', () => {
  it.each([
    ['subject', { subject: 'Invoice\u202Efdp.exe' }, 'U+202E at character 8'],
    ['subject', { subject: 'Hi\r\nBcc: victim@example.com' }, 'U+000D at character 3'],
    ['body', { body: 'Parcel\u2067 123' }, 'U+2067 at character 7'],
    ['body', { body: 'Parcel \uDBFF' }, 'an unpaired surrogate U+DBFF at character 8'],
    ['recipient', { recipient: 'jane@exa\u202Dmple.com' }, 'U+202D at character 9'],
  ])('answers 400 naming %s', async (field, overrides, found) => {
    const res = await send(overrides);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ ...textRefusal(field, found), requestId: expect.any(String) });
  });

  it('keeps line breaks in the body and stores subject and body NFC-normalised', async () => {
    const res = await send({ subject: 'Re\u0301sume\u0301', body: 'Hello,\r\n\tyour parcel.' });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ subject: 'R\u00E9sum\u00E9', body: 'Hello,\n\tyour parcel.' });
  });
});
