import { ConfigError, loadConfig } from '../config';
import { mongoEnv } from './mongo-env';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig({ env: { SERVICE_NAME: 'order', ...env }, extend: mongoEnv });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('mongoEnv', () => {
  it('reads the URI and the database', () => {
    const config = loadConfig({
      env: {
        SERVICE_NAME: 'order',
        MONGODB_URI: 'mongodb://a:b@h1:27017,h2:27017/order',
        MONGODB_DATABASE: 'order',
      },
      extend: mongoEnv,
    });
    expect(config.MONGODB_URI).toBe('mongodb://a:b@h1:27017,h2:27017/order');
    expect(config.MONGODB_DATABASE).toBe('order');
  });

  it('leaves the database unset when MONGODB_DATABASE is empty', () => {
    const config = loadConfig({
      env: {
        SERVICE_NAME: 'order',
        MONGODB_URI: 'mongodb+srv://cluster.example/order',
        MONGODB_DATABASE: '',
      },
      extend: mongoEnv,
    });
    expect(config.MONGODB_DATABASE).toBeUndefined();
  });

  it('requires MONGODB_URI and says what it must look like', () => {
    expect(problemsOf({})).toEqual([
      'MONGODB_URI is required (a connection string starting with mongodb:// or mongodb+srv://)',
    ]);
  });

  it('refuses other schemes without echoing the URI, and bad database names with their value', () => {
    expect(problemsOf({ MONGODB_URI: 'postgres://admin:hunter2@db/x', MONGODB_DATABASE: 'my db' })).toEqual([
      'MONGODB_URI must be a connection string starting with mongodb:// or mongodb+srv:// (got <redacted>)',
      'MONGODB_DATABASE must be a database name of A-Z, a-z, 0-9, "_", "-" (max 63) (got "my db")',
    ]);
  });
});
