import type { RunningService } from '@platform/common';
import { ConfigError, createLogger, handleSignals, start } from '@platform/common';
import { createUserApp } from './app';
import { buildDependencies } from './dependencies';
import { loadUserConfig } from './user-config';

async function main(): Promise<void> {
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
    trustProxyHops: config.TRUST_PROXY_HOPS,
    loginLimits: {
      maxFailuresPerEmail: config.LOGIN_MAX_FAILURES_PER_EMAIL,
      maxAttemptsPerIp: config.LOGIN_MAX_ATTEMPTS_PER_IP,
      windowSeconds: config.LOGIN_WINDOW_SECONDS,
    },
  });
  let running: RunningService;
  try {
    running = await start(service, { closeHooks });
  } catch (err) {
    // The relay and open connections would otherwise keep the failed process alive.
    for (const hook of closeHooks) await hook.close().catch(() => undefined);
    throw err;
  }
  handleSignals(running);
}

main().catch((err: unknown) => {
  // The configured logger may not exist yet (bad LOG_LEVEL), so report with a default one.
  const logger = createLogger({
    serviceName: 'user',
    serviceVersion: 'unknown',
    track: 'stable',
    logLevel: 'info',
  });
  if (err instanceof ConfigError) logger.fatal({ problems: err.problems }, err.message);
  else logger.fatal({ err }, 'user service failed to start');
  process.exitCode = 1;
});
