import { InMemoryOutboxStore, InMemoryRateLimiter, createLogger } from '@platform/common';
import { buildDependencies } from './dependencies';
import { InMemoryUserRepository } from './in-memory-user-repository';
import { loadUserConfig } from './user-config';

describe('buildDependencies', () => {
  it('uses in-process adapters by default and says so in the log', async () => {
    const config = loadUserConfig({ JWT_SECRET: 'an-hmac-key-of-at-least-32-bytes!!', LOG_LEVEL: 'warn' });
    const lines: string[] = [];
    const dependencies = await buildDependencies(
      config,
      createLogger(config, { write: (l) => lines.push(l) }),
    );
    expect(dependencies.repository).toBeInstanceOf(InMemoryUserRepository);
    expect(dependencies.outbox).toBeInstanceOf(InMemoryOutboxStore);
    expect(dependencies.rateLimiter).toBeInstanceOf(InMemoryRateLimiter);
    expect(dependencies.closeHooks).toEqual([]);
    expect(lines.join('')).toContain('STORAGE=memory');
  });
});
