import { createLogger, runService } from '@platform/common';
import { createUserApp } from './app';
import { buildDependencies } from './dependencies';
import { loadUserConfig } from './user-config';

runService('user', async () => {
  const config = loadUserConfig();
  const logger = createLogger(config);
  const { closeHooks, bus: _bus, ...dependencies } = await buildDependencies(config, logger);
  logger.info({ storage: config.STORAGE, events: config.EVENTS, cache: config.CACHE }, 'adapters selected');
  const service = createUserApp({
    config,
    logger,
    ...dependencies,
    jwt: {
      secret: config.JWT_SECRET,
      issuer: config.JWT_ISSUER,
      ttlSeconds: config.JWT_TTL_SECONDS,
    },
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
});
