// @platform/common first: loading it starts tracing from OTEL_EXPORTER_OTLP_ENDPOINT (see its tracing/preload.ts)
// before the service's modules load express, http or the drivers; runService reports a bad tracing setting.
import { createLogger, runService } from '@platform/common';
import { loadAnalyticsConfig } from './analytics-config';
import { buildAnalyticsService } from './service';

runService('analytics', async () => {
  const config = loadAnalyticsConfig();
  const logger = createLogger(config);
  const { service, startConsumer } = await buildAnalyticsService(config, logger);
  return { service, closeHooks: startConsumer() };
});
