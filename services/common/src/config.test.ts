import { ConfigError, envEnum, loadConfig } from './config';
import { intString } from './validation';

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the documented defaults when only SERVICE_NAME is set', () => {
    const config = loadConfig({ env: { SERVICE_NAME: 'product' } });
    expect(config).toEqual({
      serviceName: 'product',
      serviceVersion: '0.0.0-dev',
      track: 'stable',
      port: 8080,
      logLevel: 'info',
      shutdownGraceMs: 10_000,
    });
  });

  it('reads and converts every common variable', () => {
    const config = loadConfig({
      env: {
        SERVICE_NAME: 'order',
        SERVICE_VERSION: '1.4.2+sha.abc',
        TRACK: 'canary',
        PORT: '3000',
        LOG_LEVEL: 'debug',
        SHUTDOWN_GRACE_MS: '2500',
      },
    });
    expect(config).toMatchObject({ serviceVersion: '1.4.2+sha.abc', track: 'canary', port: 3000 });
    expect(config.logLevel).toBe('debug');
    expect(config.shutdownGraceMs).toBe(2500);
  });

  it('treats empty variables as unset so defaults still apply', () => {
    const config = loadConfig({ env: { SERVICE_NAME: 'product', PORT: '', TRACK: '  ' } });
    expect(config.port).toBe(8080);
    expect(config.track).toBe('stable');
  });

  it('lists every bad variable at once with its value and what is allowed', () => {
    const problems = problemsOf(() =>
      loadConfig({
        env: {
          PORT: 'abc',
          TRACK: 'beta',
          LOG_LEVEL: 'loud',
          SHUTDOWN_GRACE_MS: '-5',
          SERVICE_VERSION: 'v 1',
        },
      }),
    );
    expect(problems).toHaveLength(6);
    expect(problems).toEqual(
      expect.arrayContaining([
        'PORT must be an integer 1-65535 (got "abc")',
        'TRACK must be one of stable|canary|preview|blue|green (got "beta")',
        'LOG_LEVEL must be one of fatal|error|warn|info|debug|trace|silent (got "loud")',
        'SHUTDOWN_GRACE_MS must be an integer 0-600000 (got "-5")',
        expect.stringMatching(/^SERVICE_VERSION must be a version .* \(got "v 1"\)$/),
        expect.stringMatching(/^SERVICE_NAME is required \(a lowercase name/),
      ]),
    );
  });

  it('rejects numbers with trailing junk or in other notations instead of coercing them', () => {
    for (const port of ['8080abc', '1e3', '0x50', '80.5', '70000']) {
      expect(problemsOf(() => loadConfig({ env: { SERVICE_NAME: 'a', PORT: port } }))).toEqual([
        `PORT must be an integer 1-65535 (got "${port}")`,
      ]);
    }
  });

  it('puts all problems in the error message, one per line', () => {
    expect(() => loadConfig({ env: { PORT: '0' } })).toThrow(
      /Invalid configuration:\n {2}- .*SERVICE_NAME.*\n {2}- PORT must be an integer 1-65535 \(got "0"\)/,
    );
  });

  it('validates and returns the service variables added with extend', () => {
    const extend = { CACHE_TTL_S: intString(1, 3600).default(60), REGION: envEnum(['eu', 'us']) };
    const config = loadConfig({ env: { SERVICE_NAME: 'product', REGION: 'eu' }, extend });
    expect(config.CACHE_TTL_S).toBe(60);
    expect(config.REGION).toBe('eu');
    expect(config.serviceName).toBe('product');

    expect(
      problemsOf(() => loadConfig({ env: { SERVICE_NAME: 'product', CACHE_TTL_S: '0' }, extend })),
    ).toEqual(['CACHE_TTL_S must be an integer 1-3600 (got "0")', 'REGION is required (one of eu|us)']);
  });

  it('does not echo values of variables that may hold credentials', () => {
    const extend = { MONGO_URL: envEnum(['never']) };
    const problems = problemsOf(() =>
      loadConfig({ env: { SERVICE_NAME: 'a', MONGO_URL: 'mongodb://admin:hunter2@db' }, extend }),
    );
    expect(problems).toEqual(['MONGO_URL must be one of never (got <redacted>)']);
    expect(problems.join()).not.toContain('hunter2');
  });

  it('hides credentials before an "@" and secrets of the environment in any other variable', () => {
    const extend = { BROKERS: envEnum(['never']), MODE: envEnum(['never']) };
    const problems = problemsOf(() =>
      loadConfig({
        env: {
          SERVICE_NAME: 'a',
          BROKERS: 'svc:hunter22@kafka:9092',
          MODE: 'pasted-Secret-9',
          KAFKA_PASSWORD: 'pasted-Secret-9',
        },
        extend,
      }),
    );
    expect(problems).toEqual([
      'BROKERS must be one of never (got "<redacted>@kafka:9092")',
      'MODE must be one of never (got "<redacted>")',
    ]);
  });
});
