import { randomUUID } from 'node:crypto';
import type { EventEnvelope, OutboxEntry } from '@platform/common';
import type { User } from './user';

export const USER_EVENTS_TOPIC = 'user-events';
export const USER_REGISTERED = 'user.registered';

/** What consumers (welcome e-mail, analytics) get; never the password hash. */
export interface UserRegisteredData {
  readonly userId: string;
  readonly email: string;
  readonly name: string;
}

/** The outbox entry announcing a new user, keyed by user id so a user's events stay in order. */
export function userRegistered(user: User, source: string, requestId?: string): OutboxEntry {
  const event: EventEnvelope<UserRegisteredData> = {
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
