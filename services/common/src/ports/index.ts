export type { Cache, RateLimitDecision, RateLimiter } from './cache';
export type { DeliveryInfo, EventEnvelope, EventHandler, EventPublisher } from './events';
export type { OutboxEntry, OutboxStats, OutboxStore } from './outbox';
export type { ServiceClient, ServiceRequest, ServiceResponse } from './service-client';
