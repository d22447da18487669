import type {
  JwtOptions,
  Logger,
  OutboxStore,
  RateLimiter,
  ReadinessCheck,
  Registry,
  ServiceApp,
  ServiceConfig,
  ServiceKeys,
} from '@platform/common';
import { createApp } from '@platform/common';
import type { LoginLimits } from './login-throttle';
import { DEFAULT_LOGIN_LIMITS, LoginThrottle } from './login-throttle';
import type { UserRepository } from './user-repository';
import { userInternalRoutes } from './user-internal-routes';
import { userRoutes } from './user-routes';

export interface UserAppOptions {
  readonly config: ServiceConfig;
  readonly logger: Logger;
  readonly repository: UserRepository;
  /** Receives `user.registered` in the same transaction as the user; a relay publishes it. */
  readonly outbox: OutboxStore;
  readonly rateLimiter: RateLimiter;
  readonly jwt: JwtOptions & { readonly ttlSeconds: number };
  /** Emails (normalised) whose users hold `admin` from configuration, ADMIN_EMAILS; none by default. */
  readonly adminEmails?: readonly string[];
  readonly loginLimits?: LoginLimits;
  /**
   * Reverse proxies in front of the service whose X-Forwarded-For to believe for the client IP (Express's
   * `trust proxy`). 0 (default): the TCP peer is the client.
   */
  readonly trustProxyHops?: number;
  readonly readinessChecks?: Readonly<Record<string, ReadinessCheck>>;
  /** The services that may call /internal/ (SERVICE_KEY_<CALLER>); none by default. */
  readonly serviceKeys?: ServiceKeys;
  /** The registry /metrics serves; pass the one the store clients record into (dependencies.ts). */
  readonly registry?: Registry;
}

// Register and login bodies are a few hundred bytes; anything near this is abuse.
const BODY_LIMIT = '8kb';

export function createUserApp(options: UserAppOptions): ServiceApp {
  const { config, logger, repository, outbox, rateLimiter, jwt } = options;
  const throttle = new LoginThrottle(rateLimiter, options.loginLimits ?? DEFAULT_LOGIN_LIMITS);
  // Normalised like login emails, so a caller passing the list unnormalised cannot miss a match.
  const adminEmails = new Set((options.adminEmails ?? []).map((email) => email.trim().toLowerCase()));
  const service = createApp({
    config,
    logger,
    bodyLimit: BODY_LIMIT,
    ...(options.readinessChecks && { readinessChecks: options.readinessChecks }),
    ...(options.registry !== undefined && { registry: options.registry }),
    routes: (context) => [
      userRoutes(
        { repository, outbox, throttle, jwt, adminEmails, serviceName: config.serviceName },
        context,
      ),
      userInternalRoutes({
        repository,
        serviceName: config.serviceName,
        serviceKeys: options.serviceKeys ?? new Map(),
      }),
    ],
  });
  service.app.set('trust proxy', options.trustProxyHops ?? 0);
  return service;
}
