export { ANALYTICS_CONSUMES, EVENT_CONSUMERS, NOTIFICATION_CONSUMES } from './event-consumers';
export { eventEnvelopeSchema } from './event-envelope-schema';
export { EVENT_EXAMPLES } from './event-examples';
export type {
  EventPayload,
  EventType,
  InventoryChangedPayload,
  NotificationOutcomePayload,
  OrderCancelledPayload,
  OrderCreatedPayload,
  OrderItemPayload,
  OrderPaidPayload,
  ProductCreatedPayload,
  UserRegisteredPayload,
} from './event-payloads';
export {
  EVENT_PAYLOADS,
  EVENT_TOPICS,
  EVENT_TYPES,
  PAYMENT_METHODS,
  inventoryChangedPayload,
  isEventType,
  notificationOutcomePayload,
  orderCancelledPayload,
  orderCreatedPayload,
  orderItemPayload,
  orderPaidPayload,
  productCreatedPayload,
  userRegisteredPayload,
} from './event-payloads';
export { PermanentEventError } from './permanent-event-error';
