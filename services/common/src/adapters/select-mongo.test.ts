import type { Db } from 'mongodb';
import { ConfigError } from '../config';
import type { MongoConnection } from '../mongo/connect-mongo';
import { connectMongo } from '../mongo/connect-mongo';
import { captureLogger } from '../testing/capture-logger';
import type { MongoSwitch } from './select-mongo';
import { selectMongo } from './select-mongo';

// No MongoDB server on the test machines: connectMongo is stubbed, so the mongo path's wiring (readiness,
// close hook, closing on a failed open) is tested here and the real connection in connect-mongo.test.ts.
jest.mock('../mongo/connect-mongo', () => ({ connectMongo: jest.fn() }));
const connect = jest.mocked(connectMongo);

/** A stand-in connection whose ping and close are recorded. */
function fakeConnection(): MongoConnection & { ping: jest.Mock; close: jest.Mock } {
  return {
    client: {} as MongoConnection['client'],
    db: { databaseName: 'shop' } as Db,
    ping: jest.fn(() => Promise.resolve()),
    close: jest.fn(() => Promise.resolve()),
  };
}

const mongoConfig: MongoSwitch = {
  STORAGE: 'mongo',
  MONGODB_URI: 'mongodb://127.0.0.1:27017/?replicaSet=rs0',
  MONGODB_DATABASE: 'shop',
  serviceName: 'product',
};

beforeEach(() => connect.mockReset());

describe('selectMongo with STORAGE=memory', () => {
  it('builds the in-memory adapter, warns, connects nothing and has nothing to check or close', async () => {
    const { logger, lines } = captureLogger();
    const part = await selectMongo({ STORAGE: 'memory', serviceName: 'product' }, logger, {
      memory: () => 'in-memory',
      open: () => Promise.reject(new Error('must not open')),
      memoryWarning: 'STORAGE=memory: products live in this process only',
    });
    expect(part).toEqual({ value: 'in-memory', readinessChecks: {}, closeHooks: [] });
    expect(lines).toEqual([
      expect.objectContaining({ level: 'warn', msg: 'STORAGE=memory: products live in this process only' }),
    ]);
    expect(connect).not.toHaveBeenCalled();
  });
});

describe('selectMongo with STORAGE=mongo (connectMongo stubbed)', () => {
  it('connects with the config, opens the adapter on it, checks readiness by ping and closes as `mongodb`', async () => {
    const mongo = fakeConnection();
    connect.mockResolvedValue(mongo);
    const { logger } = captureLogger();
    const part = await selectMongo(mongoConfig, logger, {
      memory: () => 'in-memory',
      open: (connection) => Promise.resolve(`repository on ${connection.db.databaseName}`),
    });
    expect(connect).toHaveBeenCalledWith({
      uri: mongoConfig.MONGODB_URI,
      database: 'shop',
      appName: 'product',
      logger,
    });
    expect(part.value).toBe('repository on shop');
    expect(Object.keys(part.readinessChecks)).toEqual(['mongodb']);
    const signal = new AbortController().signal;
    await part.readinessChecks.mongodb?.(signal);
    expect(mongo.ping).toHaveBeenCalledWith(signal);
    expect(part.closeHooks.map((h) => h.name)).toEqual(['mongodb']);
    await part.closeHooks[0]?.close();
    expect(mongo.close).toHaveBeenCalledTimes(1);
  });

  it('leaves the readiness check out with readiness: false, still closing the connection', async () => {
    connect.mockResolvedValue(fakeConnection());
    const part = await selectMongo(mongoConfig, captureLogger().logger, {
      memory: () => 'in-memory',
      open: () => Promise.resolve('repository'),
      readiness: false,
    });
    expect(part.readinessChecks).toEqual({});
    expect(part.closeHooks.map((h) => h.name)).toEqual(['mongodb']);
  });

  it('closes the connection when opening fails (e.g. an index build) and rethrows that error', async () => {
    const mongo = fakeConnection();
    mongo.close.mockRejectedValue(new Error('already closing'));
    connect.mockResolvedValue(mongo);
    const failure = new Error('index build failed');
    await expect(
      selectMongo(mongoConfig, captureLogger().logger, {
        memory: () => 'in-memory',
        open: () => Promise.reject(failure),
      }),
    ).rejects.toBe(failure);
    expect(mongo.close).toHaveBeenCalledTimes(1);
  });

  it('passes a failed connection on, with nothing opened to close', async () => {
    const failure = new Error('no primary within 10000 ms');
    connect.mockRejectedValue(failure);
    const open = jest.fn(() => Promise.resolve('repository'));
    await expect(
      selectMongo(mongoConfig, captureLogger().logger, { memory: () => 'in-memory', open }),
    ).rejects.toBe(failure);
    expect(open).not.toHaveBeenCalled();
  });

  it('refuses a missing MONGODB_URI with the ConfigError of requireAdapterSettings, before connecting', async () => {
    const attempt = selectMongo({ ...mongoConfig, MONGODB_URI: undefined }, captureLogger().logger, {
      memory: () => 'in-memory',
      open: () => Promise.resolve('repository'),
    });
    await expect(attempt).rejects.toThrow(ConfigError);
    await expect(attempt).rejects.toThrow(/MONGODB_URI is required when STORAGE=mongo/);
    expect(connect).not.toHaveBeenCalled();
  });
});
