import type { ReadinessCheck } from '../readiness';
import type { CloseHook } from '../server';

/** One adapter a service picked by its switches, with the readiness checks and close hooks it brings. */
export interface AdapterPart<T> {
  readonly value: T;
  readonly readinessChecks: Readonly<Record<string, ReadinessCheck>>;
  readonly closeHooks: readonly CloseHook[];
}

/** An in-process adapter: nothing to check, nothing to close. */
export function memoryPart<T>(value: T): AdapterPart<T> {
  return { value, readinessChecks: {}, closeHooks: [] };
}
