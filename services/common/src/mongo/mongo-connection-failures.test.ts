import { randomUUID } from 'node:crypto';
import type { ConnectionCheckOutFailedEvent, ServerHeartbeatFailedEvent } from 'mongodb';
import { MongoClient } from 'mongodb';
import { Registry } from 'prom-client';
import { captureLogger } from '../testing/capture-logger';
import { freePort } from '../testing/free-port';
import { sampleValue } from '../testing/metric-samples';
import { datastoreFailureRecorder } from '../store-metrics/datastore-failures';
import { connectMongo } from './connect-mongo';
import { monitorMongoFailures } from './monitor-mongo-failures';

const MONGO_URL = process.env.MONGO_URL;

async function mongoFailures(registry: Registry): Promise<number | undefined> {
  return sampleValue(await registry.metrics(), 'datastore_connection_failures_total', { store: 'mongodb' });
}

// The driver's monitoring events as MongoClient emits them; their constructors are internal to the driver.
const heartbeatFailed = {
  connectionId: '127.0.0.1:27017',
  duration: 5,
  failure: new Error('connect ECONNREFUSED 127.0.0.1:27017'),
  awaited: false,
} as unknown as ServerHeartbeatFailedEvent;
const checkOutFailed = (reason: string): ConnectionCheckOutFailedEvent =>
  ({ address: '127.0.0.1:27017', reason }) as unknown as ConnectionCheckOutFailedEvent;

describe('monitorMongoFailures on a MongoClient (its events emitted by hand)', () => {
  // Never connected: only its event emitter is used.
  const client = new MongoClient('mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=100');
  afterAll(() => client.close());

  it('counts failed heartbeats and check-outs failing on connection errors or timeouts, not a closing pool', async () => {
    const registry = new Registry();
    const detach = monitorMongoFailures(client, datastoreFailureRecorder(registry, 'mongodb'));
    expect(await mongoFailures(registry)).toBe(0);

    client.emit('serverHeartbeatFailed', heartbeatFailed);
    client.emit('serverHeartbeatFailed', heartbeatFailed);
    client.emit('connectionCheckOutFailed', checkOutFailed('connectionError'));
    client.emit('connectionCheckOutFailed', checkOutFailed('timeout'));
    client.emit('connectionCheckOutFailed', checkOutFailed('poolClosed'));
    expect(await mongoFailures(registry)).toBe(4);

    detach();
    client.emit('serverHeartbeatFailed', heartbeatFailed);
    expect(await mongoFailures(registry)).toBe(4);
    expect(client.listenerCount('serverHeartbeatFailed')).toBe(0);
    expect(client.listenerCount('connectionCheckOutFailed')).toBe(0);
  });
});

describe('connectMongo with a registry, against a port nothing listens on', () => {
  it('counts the heartbeats that failed while it looked for a primary, then rejects', async () => {
    const port = await freePort();
    const registry = new Registry();
    await expect(
      connectMongo({
        uri: `mongodb://127.0.0.1:${port}/orders?replicaSet=rs0`,
        appName: 'order',
        logger: captureLogger().logger,
        serverSelectionTimeoutMS: 1500,
        registry,
      }),
    ).rejects.toThrow(/ECONNREFUSED|Server selection timed out/);
    // The real driver's monitor: refused connects are failed heartbeats (retried every 500 ms while unknown).
    expect(await mongoFailures(registry)).toBeGreaterThanOrEqual(2);
  });
});

(MONGO_URL ? describe : describe.skip)('connectMongo against MONGO_URL (skipped without it)', () => {
  it('starts the series at 0 and counts nothing on a healthy connection nor when closing it', async () => {
    const registry = new Registry();
    const mongo = await connectMongo({
      uri: MONGO_URL!,
      database: `common_test_${randomUUID().slice(0, 8)}`,
      appName: 'common-test',
      logger: captureLogger().logger,
      registry,
    });
    await mongo.ping();
    expect(await mongoFailures(registry)).toBe(0);
    await mongo.close();
    expect(await mongoFailures(registry)).toBe(0);
  });
});
