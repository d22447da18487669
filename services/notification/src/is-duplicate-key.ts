import { MongoServerError } from '@platform/common';

/** A MongoDB write refused by a unique index. */
export function isDuplicateKey(err: unknown): boolean {
  return err instanceof MongoServerError && err.code === 11000;
}
