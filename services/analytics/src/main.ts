import { createLogger, runService } from '@platform/common';
import { loadAnalyticsConfig } from './analytics-config';
import { buildAnalyticsService } from './service';

runService('analytics', async () => {
  const config = loadAnalyticsConfig();
  const logger = createLogger(config);
  const { service, startConsumer } = await buildAnalyticsService(config, logger);
  return { service, closeHooks: startConsumer() };
});
