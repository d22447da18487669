export { InMemoryCache, InMemoryRateLimiter } from './in-memory-cache';
export { InMemoryEventBus } from './in-memory-event-bus';
export { InMemoryOutboxStore } from './in-memory-outbox';
