import { createHash } from 'node:crypto';
import type { Request } from 'express';
import type { Logger } from '@platform/common';
import { ConflictError, HttpError, parseInput } from '@platform/common';
import type { IdempotencyScope, OrderRepository, StoredResponse } from './order-repository';
import { idempotencyKey } from './order-schemas';

export const REPLAYED_HEADER = 'Idempotent-Replayed';

/** The validated Idempotency-Key header, or undefined when the client sent none. */
export function readIdempotencyKey(req: Request): string | undefined {
  const raw = req.headers['idempotency-key'];
  return raw === undefined ? undefined : parseInput(idempotencyKey, raw, 'Idempotency-Key');
}

/** Identifies a request's meaning (operation and validated input), so a reused key can be told apart. */
export function fingerprint(operation: string, input: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify([operation, input]))
    .digest('hex');
}

/** The claim an idempotent request holds while it runs; its writes complete it in their transaction. */
export interface IdempotencyAttempt {
  readonly scope: IdempotencyScope;
  readonly token: string;
}

export interface IdempotentRequest {
  readonly scope: IdempotencyScope;
  readonly fingerprint: string;
}

export interface IdempotentResult {
  readonly response: StoredResponse;
  readonly replayed: boolean;
}

/** The attempt lost its key to another one (it ran past the lock timeout); its writes must not commit. */
export function keyTakenOver(): ConflictError {
  return new ConflictError(
    'Another request with this Idempotency-Key took over while this one was running; retry to get its answer',
    'idempotency_in_progress',
  );
}

/**
 * Runs `run` at most once per (user, Idempotency-Key): a repeat of a finished request gets the stored
 * response back, a repeat of a running one 409 `idempotency_in_progress`, and another request under the
 * same key 422 `idempotency_key_reused`. Only successes are stored (by `run`, in its transaction): when
 * `run` fails the key is freed, so the client may retry with it.
 */
export async function runIdempotently(
  repository: OrderRepository,
  request: IdempotentRequest | undefined,
  log: Logger,
  run: (attempt: IdempotencyAttempt | undefined) => Promise<StoredResponse>,
): Promise<IdempotentResult> {
  if (request === undefined) return { response: await run(undefined), replayed: false };

  const claim = await repository.beginIdempotent(request.scope, request.fingerprint);
  if (claim.state !== 'started') {
    if (claim.fingerprint !== request.fingerprint) {
      throw new HttpError(
        422,
        'idempotency_key_reused',
        'This Idempotency-Key was already used for a different request; send a new key with a new request',
      );
    }
    if (claim.state === 'in_progress') {
      throw new ConflictError(
        'A request with this Idempotency-Key is still being processed; retry shortly',
        'idempotency_in_progress',
      );
    }
    return { response: claim.response, replayed: true };
  }

  try {
    return { response: await run({ scope: request.scope, token: claim.token }), replayed: false };
  } catch (err) {
    await repository.abandonIdempotent(request.scope, claim.token).catch((abandonErr: unknown) => {
      log.warn({ err: abandonErr }, 'could not free Idempotency-Key; it frees itself after the lock timeout');
    });
    throw err;
  }
}
