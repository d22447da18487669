import type { Admin, Kafka } from 'kafkajs';
import { captureLogger } from '../testing/capture-logger';
import { freePort } from '../testing/free-port';
import { createKafka } from './create-kafka';
import { kafkaReadiness } from './kafka-readiness';

function fakeKafka(describeCluster: () => Promise<unknown>) {
  const admins: { disconnected: boolean }[] = [];
  const kafka: Pick<Kafka, 'admin'> = {
    admin: () => {
      const state = { disconnected: false };
      admins.push(state);
      return {
        connect: () => Promise.resolve(),
        describeCluster,
        disconnect: () => {
          state.disconnected = true;
          return Promise.resolve();
        },
      } as unknown as Admin;
    },
  };
  return { kafka, admins };
}

const signal = (): AbortSignal => new AbortController().signal;

describe('kafkaReadiness', () => {
  it('passes while the cluster lists brokers, reusing one admin connection', async () => {
    const { kafka, admins } = fakeKafka(() => Promise.resolve({ brokers: [{ nodeId: 0 }], controller: 0 }));
    const check = kafkaReadiness(kafka);
    await check(signal());
    await check(signal());
    expect(admins).toHaveLength(1);
    await check.close();
    expect(admins[0]!.disconnected).toBe(true);
  });

  it('fails when the cluster lists no broker, and reconnects on the next check', async () => {
    const { kafka, admins } = fakeKafka(() => Promise.resolve({ brokers: [], controller: null }));
    const check = kafkaReadiness(kafka);
    await expect(check(signal())).rejects.toThrow('kafka cluster reports no brokers');
    await expect(check(signal())).rejects.toThrow('kafka cluster reports no brokers');
    expect(admins).toHaveLength(2);
  });

  it('rejects with the probe reason when the signal aborts first', async () => {
    const { kafka } = fakeKafka(() => new Promise(() => undefined));
    const controller = new AbortController();
    const outcome = kafkaReadiness(kafka)(controller.signal);
    controller.abort(new Error('readiness check timed out after 2000ms'));
    await expect(outcome).rejects.toThrow('readiness check timed out after 2000ms');
  });

  it('fails within the probe timeout against a real kafkajs client when no broker listens', async () => {
    const port = await freePort();
    const kafka = createKafka(
      { KAFKA_BROKERS: [{ host: '127.0.0.1', port }], serviceName: 'test' },
      captureLogger().logger,
    );
    const check = kafkaReadiness(kafka);
    const started = Date.now();
    // kafkajs retries the first connection a few times; the probe's signal ends the wait regardless.
    await expect(check(AbortSignal.timeout(500))).rejects.toThrow(
      /aborted|timeout|ECONNREFUSED|Connection error/i,
    );
    expect(Date.now() - started).toBeLessThan(1500);
    await check.close();
  });
});
