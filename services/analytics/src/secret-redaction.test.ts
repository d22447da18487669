import type { Logger } from '@platform/common';
import { BROKEN_CONNECTION_SETTINGS, createLogger, startWithEnv } from '@platform/common';
import { createDependencies } from './dependencies';
import { loadAnalyticsConfig } from './analytics-config';

// A malformed connection setting stops the start naming the variable, and its password
// shows up in no log line and no error. Started as main.ts does: config from process.env, then dependencies.
const cases = BROKEN_CONNECTION_SETTINGS.filter((c) => ['STORAGE', 'EVENTS', 'CACHE'].includes(c.switchName));
const base = { JWT_SECRET: 'a-test-signing-secret-of-32-bytes!!' };

describe.each(cases)('analytics started with $shape', ({ env, password, variable }) => {
  it('fails naming the variable, and no log line or error shows the password', async () => {
    const { output, error, errorText } = await startWithEnv(
      'analytics',
      { ...base, ...env },
      async (destination) => {
        const config = loadAnalyticsConfig();
        const logger: Logger = createLogger(config, destination);
        await createDependencies(config, logger);
      },
    );
    expect(error).toBeDefined();
    expect(errorText).toContain(variable);
    expect(output).toContain(variable);
    expect(`${errorText}\n${output}`).not.toContain(password);
  });
});
