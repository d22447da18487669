/** Kafka topics and group of this service; the platform creates them (topics are never auto-created). */
export const NOTIFICATION_EVENTS_TOPIC = 'notification-events';
export const CONSUMED_TOPICS = ['order-events', 'user-events'] as const;
export const CONSUMER_GROUP = 'notification';
export const DEAD_LETTER_TOPIC = 'notification-dlq';
