import { createLogger } from '@platform/common';
import { describeSecretRedaction } from '../../common/src/contracts/secret-redaction.contract';
import { buildDependencies } from './dependencies';
import { loadProductConfig } from './product-config';

// A malformed connection setting stops the start naming the variable, and its password shows up in no
// log line and no error. Started as main.ts does: config from process.env, then dependencies.
describeSecretRedaction({
  service: 'product',
  switches: ['STORAGE', 'EVENTS', 'CACHE'],
  base: { JWT_SECRET: 'a-test-signing-secret-of-32-bytes!!' },
  start: async (destination) => {
    const config = loadProductConfig();
    await buildDependencies(config, createLogger(config, destination));
  },
});
