/**
 * A child process running one service the way its services/<name>/src/main.ts does (the same
 * build<Service>Service on the adapters its environment selects, graceful shutdown on SIGTERM), except that it
 * listens on 127.0.0.1 only. Compiled and started by service-processes.ts: `node service-process.js <name>`.
 */
import type { BuiltService } from '@platform/common';
import { createLogger, handleSignals, start } from '@platform/common';
import { loadOrderConfig } from '../../services/order/src/order-config';
import { buildOrderService } from '../../services/order/src/service';
import { loadProductConfig } from '../../services/product/src/product-config';
import { buildProductService } from '../../services/product/src/service';
import { buildUserService } from '../../services/user/src/service';
import { loadUserConfig } from '../../services/user/src/user-config';

const builders: Record<string, () => Promise<BuiltService>> = {
  order: () => {
    const config = loadOrderConfig();
    return buildOrderService(config, createLogger(config));
  },
  product: () => {
    const config = loadProductConfig();
    return buildProductService(config, createLogger(config));
  },
  user: () => {
    const config = loadUserConfig();
    return buildUserService(config, createLogger(config));
  },
};

async function main(name: string | undefined): Promise<void> {
  const build = name === undefined ? undefined : builders[name];
  if (build === undefined) {
    throw new Error(`service must be one of ${Object.keys(builders).join('|')} (got ${String(name)})`);
  }
  const { service, closeHooks } = await build();
  handleSignals(await start(service, { closeHooks, host: '127.0.0.1' }));
}

main(process.argv[2]).catch((err: unknown) => {
  process.stderr.write(
    `service-process: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exitCode = 1;
});
