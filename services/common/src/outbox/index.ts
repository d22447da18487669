export type { OutboxRelay, OutboxRelayOptions } from './outbox-relay';
export { startOutboxRelay } from './outbox-relay';
