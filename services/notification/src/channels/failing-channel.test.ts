import { FailingChannel } from './failing-channel';
import type { ChannelMessage } from './notification-channel';

const message: ChannelMessage = {
  notificationId: 'n-1',
  channel: 'sms',
  recipient: '+14155550123',
  body: 'x',
};

describe('FailingChannel', () => {
  it('rejects every call by default, counting them', async () => {
    const channel = new FailingChannel();
    await expect(channel.send(message)).rejects.toThrow('sms provider unavailable (FailingChannel, call 1)');
    await expect(channel.send(message)).rejects.toThrow('call 2');
    expect(channel.calls).toBe(2);
  });

  it('fails the first `failures` calls, then succeeds', async () => {
    const channel = new FailingChannel(2);
    await expect(channel.send(message)).rejects.toThrow();
    await expect(channel.send(message)).rejects.toThrow();
    await expect(channel.send(message)).resolves.toEqual({ providerMessageId: 'failing-channel-3' });
  });
});
