import { createLogger } from '@platform/common';
import { LoggingChannel } from './logging-channel';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger(
    { serviceName: 'notification', serviceVersion: 'test', track: 'stable', logLevel: 'info' },
    { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { logger, lines };
}

describe('LoggingChannel', () => {
  it('succeeds with a provider id and logs a summary without the body or the full recipient', async () => {
    const { logger, lines } = capture();
    const result = await new LoggingChannel(logger).send({
      notificationId: 'n-1',
      channel: 'email',
      recipient: 'jane.doe@example.com',
      subject: 'Your reset code',
      body: 'secret code 987654',
    });
    expect(result.providerMessageId).toMatch(/^log-[0-9a-f-]{36}$/);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      msg: 'notification handed to the logging channel',
      notificationId: 'n-1',
      channel: 'email',
      recipient: 'j*******@example.com',
      hasSubject: true,
      bodyLength: 18,
      providerMessageId: result.providerMessageId,
    });
    const text = JSON.stringify(lines);
    expect(text).not.toContain('987654');
    expect(text).not.toContain('reset code');
    expect(text).not.toContain('jane.doe');
  });
});
