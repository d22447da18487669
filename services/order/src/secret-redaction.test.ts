import { createLogger } from '@platform/common';
import { describeSecretRedaction } from '../../common/src/contracts/secret-redaction.contract';
import { buildDependencies } from './dependencies';
import { loadOrderConfig } from './order-config';

// A malformed connection setting stops the start naming the variable, and its password shows up in no
// log line and no error. Started as main.ts does: config from process.env, then dependencies.
describeSecretRedaction({
  service: 'order',
  switches: ['STORAGE', 'EVENTS'],
  base: {
    JWT_SECRET: 'a-test-signing-secret-of-32-bytes!!',
    USER_SERVICE_URL: 'http://127.0.0.1:1',
    PRODUCT_SERVICE_URL: 'http://127.0.0.1:2',
    SERVICE_TOKEN_KEY: 'order-service-key-of-at-least-32-bytes!!',
  },
  start: async (destination) => {
    const config = loadOrderConfig();
    await buildDependencies(config, createLogger(config, destination));
  },
});
