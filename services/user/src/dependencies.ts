import type { CloseHook, Logger, OutboxStore, RateLimiter, ReadinessCheck } from '@platform/common';
import { InMemoryOutboxStore, InMemoryRateLimiter } from '@platform/common';
import { InMemoryUserRepository } from './in-memory-user-repository';
import type { UserConfig } from './user-config';
import type { UserRepository } from './user-repository';

/** Everything the app needs from outside the process, plus how to check and close it. */
export interface UserDependencies {
  readonly repository: UserRepository;
  readonly outbox: OutboxStore;
  readonly rateLimiter: RateLimiter;
  readonly readinessChecks: Readonly<Record<string, ReadinessCheck>>;
  readonly closeHooks: readonly CloseHook[];
}

/**
 * The one place that picks adapters by STORAGE. `memory` keeps users, the outbox and rate-limit counters in
 * this process: for local runs only (lost on restart, not shared between replicas, no events leave).
 * The production branch plugs in here: MongoUserRepository (after ensureIndexes) with MongoOutboxStore on
 * the same database, RedisRateLimiter, and the outbox relay publishing to Kafka, each with a readiness
 * check and a close hook.
 */
export async function buildDependencies(config: UserConfig, logger: Logger): Promise<UserDependencies> {
  switch (config.STORAGE) {
    case 'memory':
      logger.warn('STORAGE=memory: users live in this process only and no events are published');
      return {
        repository: new InMemoryUserRepository(),
        outbox: new InMemoryOutboxStore(),
        rateLimiter: new InMemoryRateLimiter(),
        readinessChecks: {},
        closeHooks: [],
      };
  }
}
