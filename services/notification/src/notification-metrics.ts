import { Counter } from '@platform/common';

export type SentCounter = Counter<'channel' | 'outcome'>;

/**
 * `notifications_sent_total{channel,outcome}`, outcome `sent` or `failed` (after the retries). Created
 * unregistered: the app registers it in its own registry, next to the HTTP metrics.
 */
export function createSentCounter(): SentCounter {
  return new Counter({
    name: 'notifications_sent_total',
    help: 'Notifications by channel and delivery outcome (after retries)',
    labelNames: ['channel', 'outcome'] as const,
    registers: [],
  });
}
