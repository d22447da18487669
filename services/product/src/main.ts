import { ConfigError, createLogger, handleSignals, loadConfig, start } from '@platform/common';
import { createProductApp } from './app';
import { InMemoryProductRepository } from './in-memory-product-repository';

async function main(): Promise<void> {
  // SERVICE_NAME defaults to the service's own name; the deployment may still override it.
  const config = loadConfig({ env: { SERVICE_NAME: 'product', ...process.env } });
  const logger = createLogger(config);
  const service = createProductApp({ config, logger, repository: new InMemoryProductRepository() });
  const running = await start(service);
  handleSignals(running);
}

main().catch((err: unknown) => {
  // The configured logger may not exist yet (bad LOG_LEVEL), so report with a default one.
  const logger = createLogger({
    serviceName: 'product',
    serviceVersion: 'unknown',
    track: 'stable',
    logLevel: 'info',
  });
  if (err instanceof ConfigError) logger.fatal({ problems: err.problems }, err.message);
  else logger.fatal({ err }, 'product service failed to start');
  process.exitCode = 1;
});
