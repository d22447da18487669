import type { ClientSession, MongoClient } from 'mongodb';

/**
 * Runs `fn` in a transaction that commits with majority write concern, passing the session every
 * operation (and OutboxStore.add) must use. The driver retries `fn` on transient errors such as write
 * conflicts, so `fn` must not have side effects outside the database; errors it throws abort the
 * transaction and reject with that error.
 */
export async function withTransaction<T>(
  client: MongoClient,
  fn: (session: ClientSession) => Promise<T>,
): Promise<T> {
  const session = client.startSession();
  try {
    return await session.withTransaction(fn, {
      readConcern: { level: 'majority' },
      writeConcern: { w: 'majority', journal: true },
      readPreference: 'primary',
    });
  } finally {
    await session.endSession();
  }
}
