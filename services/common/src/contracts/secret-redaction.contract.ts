import type { DestinationStream } from 'pino';
import {
  BROKEN_CONNECTION_SETTINGS,
  startWithEnv,
  type BrokenSetting,
} from '../testing/broken-connection-settings';

/**
 * The per-service redaction suite: for every broken setting of the adapters the service has, starting it the
 * way main.ts does (config from process.env, then `start`) fails naming the variable, and neither the log nor
 * the error shows the planted password.
 */
export function describeSecretRedaction(options: {
  readonly service: string;
  readonly switches: readonly BrokenSetting['switchName'][];
  /** Settings the service needs to get past its own config (signing keys, URLs). */
  readonly base: Readonly<Record<string, string>>;
  readonly start: (destination: DestinationStream) => Promise<unknown>;
}): void {
  const cases = BROKEN_CONNECTION_SETTINGS.filter((c) => options.switches.includes(c.switchName));
  describe.each(cases)(`${options.service} started with $shape`, ({ env, password, variable }) => {
    it('fails naming the variable, and no log line or error shows the password', async () => {
      const { output, error, errorText } = await startWithEnv(
        options.service,
        { ...options.base, ...env },
        options.start,
      );
      expect(error).toBeDefined();
      expect(errorText).toContain(variable);
      expect(output).toContain(variable);
      expect(`${errorText}\n${output}`).not.toContain(password);
    });
  });
}
