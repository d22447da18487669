import type { CloseHook, Logger, ServiceApp } from '@platform/common';
import { createUserApp } from './app';
import { buildDependencies } from './dependencies';
import type { UserConfig } from './user-config';

/** The user service as main.ts runs it: adapters from the config, then the app (one place, also for tests). */
export async function buildUserService(
  config: UserConfig,
  logger: Logger,
): Promise<{ service: ServiceApp; closeHooks: readonly CloseHook[] }> {
  const { closeHooks, bus: _bus, ...dependencies } = await buildDependencies(config, logger);
  const service = createUserApp({
    config,
    logger,
    ...dependencies,
    jwt: { secret: config.JWT_SECRET, issuer: config.JWT_ISSUER, ttlSeconds: config.JWT_TTL_SECONDS },
    adminEmails: config.ADMIN_EMAILS,
    serviceKeys: config.serviceKeys,
    trustProxyHops: config.TRUST_PROXY_HOPS,
    loginLimits: {
      maxFailuresPerEmail: config.LOGIN_MAX_FAILURES_PER_EMAIL,
      maxAttemptsPerIp: config.LOGIN_MAX_ATTEMPTS_PER_IP,
      windowSeconds: config.LOGIN_WINDOW_SECONDS,
    },
  });
  return { service, closeHooks };
}
