import type { ChannelName } from '../notification';

function stars(count: number): string {
  return '*'.repeat(Math.max(3, count));
}

/**
 * A recipient for logs: enough to tell two apart while debugging, not enough to contact anyone.
 * `jane@example.com` -> `j***@example.com`, `+14155550123` -> `+1*********23`, a device token -> `***` and
 * its last 4 characters.
 */
export function maskRecipient(channel: ChannelName, recipient: string): string {
  switch (channel) {
    case 'email': {
      const at = recipient.lastIndexOf('@');
      if (at < 1) return stars(recipient.length);
      return `${recipient[0] ?? ''}${stars(at - 1)}${recipient.slice(at)}`;
    }
    case 'sms':
      if (recipient.length < 8) return stars(recipient.length);
      return `${recipient.slice(0, 2)}${stars(recipient.length - 4)}${recipient.slice(-2)}`;
    case 'push':
      if (recipient.length < 16) return stars(recipient.length);
      return `***${recipient.slice(-4)}`;
  }
}
