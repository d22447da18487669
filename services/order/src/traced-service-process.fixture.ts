/**
 * A child process running user, product or order the way its main.ts does (@platform/common loaded first,
 * which starts tracing from the environment; then runService with the service's build), except that it
 * listens on 127.0.0.1 only. For the tracing end-to-end test and tools/bench: `node <compiled> <name>`.
 */
import type { BuiltService } from '@platform/common';
import { createLogger, runService } from '@platform/common';
import { loadProductConfig } from '../../product/src/product-config';
import { buildProductService } from '../../product/src/service';
import { buildUserService } from '../../user/src/service';
import { loadUserConfig } from '../../user/src/user-config';
import { loadOrderConfig } from './order-config';
import { buildOrderService } from './service';

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

const name = process.argv[2] ?? '';
const build = builders[name];
if (build === undefined) {
  process.stderr.write(
    `service must be one of ${Object.keys(builders).join('|')} (got ${JSON.stringify(name)})\n`,
  );
  process.exitCode = 2;
} else runService(name, build, { host: '127.0.0.1' });
