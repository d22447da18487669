import { ConfigError, loadConfig } from '../config';
import { redisEnv } from './redis-env';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig({ env: { SERVICE_NAME: 'user', ...env }, extend: redisEnv });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('redisEnv', () => {
  it('parses the sentinel list, the master name and the password', () => {
    const config = loadConfig({
      env: {
        SERVICE_NAME: 'user',
        REDIS_SENTINELS: 'redis-0.redis:26379, redis-1.redis:26379,[::1]:26380',
        REDIS_MASTER_NAME: 'main',
        REDIS_PASSWORD: 'pw',
      },
      extend: redisEnv,
    });
    expect(config.REDIS_SENTINELS).toEqual([
      { host: 'redis-0.redis', port: 26379 },
      { host: 'redis-1.redis', port: 26379 },
      { host: '::1', port: 26380 },
    ]);
    expect(config.REDIS_MASTER_NAME).toBe('main');
    expect(config.REDIS_PASSWORD).toBe('pw');
    expect(config.REDIS_URL).toBeUndefined();
  });

  it('defaults the master name to the platform one and accepts a URL instead of sentinels', () => {
    const config = loadConfig({
      env: { SERVICE_NAME: 'user', REDIS_URL: 'redis://localhost:6379' },
      extend: redisEnv,
    });
    expect(config.REDIS_MASTER_NAME).toBe('mymaster');
    expect(config.REDIS_URL).toBe('redis://localhost:6379');
    expect(config.REDIS_SENTINELS).toBeUndefined();
  });

  it('names every bad host:port entry', () => {
    expect(problemsOf({ REDIS_SENTINELS: 'redis-0:26379,redis-1,redis-2:0,,redis 3:26379' })).toEqual([
      'REDIS_SENTINELS must be a comma-separated list of host:port (port 1-65535); ' +
        'bad entries: "redis-1", "redis-2:0", (empty), "redis 3:26379" ' +
        '(got "redis-0:26379,redis-1,redis-2:0,,redis 3:26379")',
    ]);
  });

  it('refuses a URL of another scheme without echoing it, and a bad master name', () => {
    expect(problemsOf({ REDIS_URL: 'http://:secret@redis:6379', REDIS_MASTER_NAME: 'my master' })).toEqual([
      'REDIS_MASTER_NAME must be a name of 1-64 characters A-Z, a-z, 0-9, ".", "_", "-" (got "my master")',
      'REDIS_URL must be a URL starting with redis:// or rediss:// with a host, port 1-65535 and database number (got <redacted>)',
    ]);
  });

  it('refuses URLs that ioredis cannot read or reads as garbage, without echoing them', () => {
    for (const url of [
      'redis://:Pw-9@redis:notaport',
      'redis://:Pw-9@redis:99999',
      'redis://:Pw-9@[bad',
      'redis://:Pw-9%zz@redis:6379',
      'redis://:Pw-9@redis:6379/cache',
      'redis://:Pw-9@',
    ]) {
      const problems = problemsOf({ REDIS_URL: url });
      expect(problems).toEqual([expect.stringMatching(/^REDIS_URL must be a URL .*\(got <redacted>\)$/)]);
      expect(problems.join()).not.toContain('Pw-9');
    }
  });

  it('accepts the URL forms ioredis reads', () => {
    for (const url of ['redis://localhost', 'rediss://:p%40ss@redis:6380/2', 'redis://user:pw@[::1]:6379/']) {
      expect(loadConfig({ env: { SERVICE_NAME: 'user', REDIS_URL: url }, extend: redisEnv }).REDIS_URL).toBe(
        url,
      );
    }
  });

  it('does not echo credentials pasted into the sentinel list', () => {
    const problems = problemsOf({ REDIS_SENTINELS: ':Pw-9@redis-0:26379,redis-1:26379' });
    expect(problems.join()).not.toContain('Pw-9');
    expect(problems).toEqual([
      'REDIS_SENTINELS must be a comma-separated list of host:port (port 1-65535); ' +
        'bad entries: "<redacted>@redis-0:26379" (got "<redacted>@redis-0:26379,redis-1:26379")',
    ]);
  });
});
