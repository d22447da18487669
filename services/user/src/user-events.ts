import { randomUUID } from 'node:crypto';
import type { EventEnvelope, OutboxEntry, UserRegisteredPayload } from '@platform/common';
import { EVENT_TOPICS } from '@platform/common';
import type { User } from './user';

export const USER_REGISTERED = 'user.registered';
export const USER_EVENTS_TOPIC = EVENT_TOPICS[USER_REGISTERED];

/** The outbox entry announcing a new user, keyed by user id so a user's events stay in order. */
export function userRegistered(user: User, source: string, requestId?: string): OutboxEntry {
  // What consumers (welcome email, analytics) get, as the shared contract describes it; never the hash.
  const event: EventEnvelope<UserRegisteredPayload> = {
    id: randomUUID(),
    type: USER_REGISTERED,
    source,
    occurredAt: user.createdAt,
    key: user.id,
    data: { userId: user.id, email: user.email, name: user.name },
    ...(requestId !== undefined && { requestId }),
  };
  return { topic: USER_EVENTS_TOPIC, event };
}
