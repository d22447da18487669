import { createLogger, runService } from '@platform/common';
import { buildUserService } from './service';
import { loadUserConfig } from './user-config';

runService('user', async () => {
  const config = loadUserConfig();
  const logger = createLogger(config);
  logger.info({ storage: config.STORAGE, events: config.EVENTS, cache: config.CACHE }, 'adapters selected');
  return buildUserService(config, logger);
});
