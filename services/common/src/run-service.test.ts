import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { createLogger } from './logger';
import { runService } from './run-service';

/** Waits until runService's promise chain has settled (it reports through process.exitCode). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('runService', () => {
  const previous = process.exitCode;
  afterEach(() => {
    process.exitCode = previous;
  });

  it('exits 1 when the build fails, e.g. on a bad variable', async () => {
    runService('broken', () => Promise.reject(new ConfigError(['PORT must be an integer (got "x")'])));
    await settle();
    expect(process.exitCode).toBe(1);
  });

  it('closes what was opened when the service cannot listen, then exits 1', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    const config = loadConfig({
      env: { SERVICE_NAME: 'taken', PORT: String(port), LOG_LEVEL: 'silent' },
    });
    const closed: string[] = [];
    runService('taken', () =>
      Promise.resolve({
        service: createApp({ config, logger: createLogger(config) }),
        closeHooks: [
          {
            name: 'relay',
            close: () => {
              closed.push('relay');
              return Promise.resolve();
            },
          },
        ],
      }),
    );
    await settle();
    blocker.close();
    expect(closed).toEqual(['relay']);
    expect(process.exitCode).toBe(1);
  });
});
