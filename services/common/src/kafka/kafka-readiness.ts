import type { Admin, Kafka } from 'kafkajs';
import { abortable } from '../abortable';
import type { ReadinessCheck } from '../readiness';

/** A /ready check holding an admin connection; `close` it at shutdown (a CloseHook). */
export interface KafkaReadinessCheck extends ReadinessCheck {
  close(): Promise<void>;
}

/**
 * A /ready check: asks the cluster for its brokers (admin describeCluster) over one kept admin
 * connection, without kafkajs' retries, so an unreachable cluster fails the probe rather than delaying
 * it; rejects with the probe's reason when its signal aborts first. A failed check reconnects next time.
 */
export function kafkaReadiness(kafka: Pick<Kafka, 'admin'>): KafkaReadinessCheck {
  let connecting: Promise<Admin> | undefined;

  const reset = (admin: Promise<Admin>): void => {
    if (connecting !== admin) return;
    connecting = undefined;
    admin.then((a) => a.disconnect()).catch(() => undefined);
  };

  const describe = async (): Promise<void> => {
    const current = (connecting ??= (async () => {
      const admin = kafka.admin({ retry: { retries: 0 } });
      try {
        await admin.connect();
      } catch (error) {
        await admin.disconnect().catch(() => undefined);
        throw error;
      }
      return admin;
    })());
    try {
      const cluster = await (await current).describeCluster();
      if (cluster.brokers.length === 0) throw new Error('kafka cluster reports no brokers');
    } catch (error) {
      reset(current);
      throw error;
    }
  };

  const check = (signal: AbortSignal): Promise<void> => abortable(describe(), signal);
  return Object.assign(check, {
    async close() {
      const current = connecting;
      connecting = undefined;
      if (current) await (await current.catch(() => undefined))?.disconnect();
    },
  });
}
