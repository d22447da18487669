import { createLogger } from '@platform/common';
import { describeSecretRedaction } from '../../common/src/contracts/secret-redaction.contract';
import { createDependencies } from './dependencies';
import { loadNotificationConfig } from './notification-config';

// A malformed connection setting stops the start naming the variable, and its password shows up in no
// log line and no error. Started as main.ts does: config from process.env, then dependencies.
describeSecretRedaction({
  service: 'notification',
  switches: ['STORAGE', 'EVENTS'],
  base: { JWT_SECRET: 'a-test-signing-secret-of-32-bytes!!' },
  start: async (destination) => {
    const config = loadNotificationConfig();
    await createDependencies(config, createLogger(config, destination));
  },
});
