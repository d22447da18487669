import type { EventPayload, EventType } from './event-payloads';

/**
 * One `data` per event type as its producer builds it (all fields it sends), typed with the producer's type
 * so it cannot fall behind the contract. Tests use them to show every consumer accepts what producers
 * send; the producers' own tests check that their real payloads match the same schemas.
 */
export const EVENT_EXAMPLES: { readonly [T in EventType]: EventPayload<T> } = {
  // user
  'user.registered': {
    userId: '0b7c6a1e-3f2d-4e5a-9b8c-7d6e5f4a3b21',
    email: 'ada@example.com',
    name: 'Ada Lovelace',
  },
  // order
  'order.created': {
    orderId: '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a',
    userId: '0b7c6a1e-3f2d-4e5a-9b8c-7d6e5f4a3b21',
    email: 'ada@example.com',
    items: [
      { productId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', quantity: 2, unitPriceCents: 1250 },
      { productId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d', quantity: 1, unitPriceCents: 499 },
    ],
    totalCents: 2999,
    currency: 'EUR',
    createdAt: '2026-03-01T09:30:00.000Z',
  },
  'order.paid': {
    orderId: '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a',
    userId: '0b7c6a1e-3f2d-4e5a-9b8c-7d6e5f4a3b21',
    email: 'ada@example.com',
    method: 'card',
    amountCents: 2999,
    currency: 'EUR',
    paidAt: '2026-03-01T09:31:00.000Z',
  },
  'order.cancelled': {
    orderId: '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a',
    userId: '0b7c6a1e-3f2d-4e5a-9b8c-7d6e5f4a3b21',
    cancelledAt: '2026-03-01T10:00:00.000Z',
  },
  // notification
  'notification.sent': {
    notificationId: '2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f',
    ownerId: '0b7c6a1e-3f2d-4e5a-9b8c-7d6e5f4a3b21',
    channel: 'email',
    status: 'sent',
    attempts: 1,
    providerMessageId: 'log-2c3d4e5f',
    sourceEventId: '7e6d5c4b-3a29-4817-a6f5-e4d3c2b1a098',
    createdAt: '2026-03-01T09:30:01.000Z',
    sentAt: '2026-03-01T09:30:01.000Z',
  },
  'notification.failed': {
    notificationId: '3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a',
    ownerId: '0b7c6a1e-3f2d-4e5a-9b8c-7d6e5f4a3b21',
    channel: 'sms',
    status: 'failed',
    attempts: 3,
    failureReason: 'timeout',
    createdAt: '2026-03-01T09:30:05.000Z',
  },
  // product
  'product.created': {
    productId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
    sku: 'HAM-001',
    name: 'Claw hammer',
    category: 'tools',
    priceCents: 1250,
    currency: 'EUR',
    stock: 40,
  },
  'inventory.changed': {
    productId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
    sku: 'HAM-001',
    category: 'tools',
    delta: -2,
    stock: 38,
  },
};
