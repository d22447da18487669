import { maskRecipient } from './mask-recipient';

describe('maskRecipient', () => {
  it.each([
    ['email', 'jane.doe@example.com', 'j*******@example.com'],
    ['email', 'j@example.com', 'j***@example.com'],
    ['email', 'not-an-address', '**************'],
    ['sms', '+14155550123', '+1********23'],
    ['sms', '+4912', '*****'],
    ['push', 'fcm:APA91bHun4MxP5egoKMwt2KZFBaFUH-1RYqx', '***RYqx'],
    ['push', 'short', '*****'],
  ] as const)('masks the %s recipient %j as %j', (channel, recipient, masked) => {
    expect(maskRecipient(channel, recipient)).toBe(masked);
  });
});
