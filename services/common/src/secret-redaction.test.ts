import type { Cache } from './ports';
import { closeAll, openOrClose, selectEventPublisher, selectMongo, selectRedis } from './adapters';
import { cacheEnv, eventsEnv, requireAdapterSettings, storageEnv } from './adapter-switches';
import { createApp } from './app';
import { loadConfig } from './config';
import { InMemoryCache } from './in-memory';
import { createLogger } from './logger';
import { RedisCache } from './redis/redis-cache';
import { BROKEN_CONNECTION_SETTINGS, startWithEnv } from './testing/broken-connection-settings';

/** A service with all three adapters, built in the order the services build theirs. */
async function buildLikeAService(destination: Parameters<typeof createLogger>[1]) {
  const config = requireAdapterSettings(
    loadConfig({
      env: { SERVICE_NAME: 'probe', ...process.env },
      extend: { ...storageEnv, ...eventsEnv, ...cacheEnv },
    }),
  );
  const logger = createLogger(config, destination);
  const events = selectEventPublisher(config, logger);
  const cache = selectRedis<Cache>(config, logger, {
    memory: () => new InMemoryCache(),
    open: (redis) => new RedisCache(redis, 'probe'),
  });
  const opened = [...events.closeHooks, ...cache.closeHooks];
  const storage = await openOrClose(opened, () =>
    selectMongo(config, logger, { memory: () => 'memory', open: () => Promise.resolve('mongo') }),
  );
  await closeAll([...opened, ...storage.closeHooks]);
  return createApp({ config, logger });
}

describe.each(BROKEN_CONNECTION_SETTINGS)('a start with $shape', ({ env, password, variable }) => {
  it('fails naming the variable, and no log line or error shows the password', async () => {
    const { output, error, errorText } = await startWithEnv('probe', env, buildLikeAService);
    expect(error).toBeDefined();
    expect(errorText).toContain(variable);
    expect(output).toContain('"level":"fatal"');
    expect(output).toContain(variable);
    expect(errorText).not.toContain(password);
    expect(output).not.toContain(password);
  });
});

describe('startWithEnv', () => {
  it('sees a leak: a build that logs the planted password is caught by the same check', async () => {
    const leaky = BROKEN_CONNECTION_SETTINGS[0]!;
    const { output, errorText } = await startWithEnv('probe', leaky.env, async (destination) => {
      // A logger that knows no secrets (empty environment) and a message outside every redacted shape.
      const logger = createLogger(
        { serviceName: 'probe', serviceVersion: '0', track: 'stable', logLevel: 'info' },
        destination,
        {},
      );
      logger.info(`uri ends with ${leaky.password}`);
      await Promise.resolve();
      throw new Error(`leaked ${leaky.password}`);
    });
    expect(output).toContain(leaky.password);
    expect(errorText).toContain(leaky.password);
  });
});
