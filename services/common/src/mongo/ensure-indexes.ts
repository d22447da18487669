import type { Db, IndexDescription } from 'mongodb';

/** One index of one collection; the name is required so a changed definition is a clear conflict. */
export interface IndexSpec extends IndexDescription {
  readonly collection: string;
  readonly name: string;
}

/**
 * Creates the indexes at start. Idempotent: an index that exists with the same definition is left alone;
 * one that exists under the same name with another definition fails the start (drop it in a migration),
 * with the collection and index named in the error.
 */
export async function ensureIndexes(db: Db, specs: readonly IndexSpec[]): Promise<void> {
  const byCollection = new Map<string, IndexDescription[]>();
  for (const { collection, ...index } of specs) {
    byCollection.set(collection, [...(byCollection.get(collection) ?? []), index]);
  }
  for (const [collection, indexes] of byCollection) {
    try {
      await db.collection(collection).createIndexes(indexes);
    } catch (error) {
      const names = indexes.map((i) => i.name).join(', ');
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`ensureIndexes: ${collection} (${names}): ${reason}`, { cause: error });
    }
  }
}
