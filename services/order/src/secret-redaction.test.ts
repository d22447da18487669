import type { Logger } from '@platform/common';
import { BROKEN_CONNECTION_SETTINGS, createLogger, startWithEnv } from '@platform/common';
import { buildDependencies } from './dependencies';
import { loadOrderConfig } from './order-config';

// A malformed connection setting stops the start naming the variable, and its password
// shows up in no log line and no error. Started as main.ts does: config from process.env, then dependencies.
const cases = BROKEN_CONNECTION_SETTINGS.filter((c) => ['STORAGE', 'EVENTS'].includes(c.switchName));
const base = {
  JWT_SECRET: 'a-test-signing-secret-of-32-bytes!!',
  USER_SERVICE_URL: 'http://127.0.0.1:1',
  PRODUCT_SERVICE_URL: 'http://127.0.0.1:2',
  SERVICE_TOKEN_KEY: 'order-service-key-of-at-least-32-bytes!!',
};

describe.each(cases)('order started with $shape', ({ env, password, variable }) => {
  it('fails naming the variable, and no log line or error shows the password', async () => {
    const { output, error, errorText } = await startWithEnv(
      'order',
      { ...base, ...env },
      async (destination) => {
        const config = loadOrderConfig();
        const logger: Logger = createLogger(config, destination);
        await buildDependencies(config, logger);
      },
    );
    expect(error).toBeDefined();
    expect(errorText).toContain(variable);
    expect(output).toContain(variable);
    expect(`${errorText}\n${output}`).not.toContain(password);
  });
});
