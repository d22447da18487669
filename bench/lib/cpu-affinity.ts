import { cpus } from 'node:os';
import { canPin, pin } from './processes';

/**
 * Runs `work` with this process (the load generator) on CPU 0, so servers pinned to CPU 1 have a core of
 * their own; children started meanwhile inherit CPU 0 unless pinned elsewhere. Afterwards every CPU again.
 */
export async function onLoadGeneratorCpu<T>(work: () => Promise<T>): Promise<T> {
  if (!canPin()) return work();
  pin(process.pid, 0);
  try {
    return await work();
  } finally {
    pin(process.pid, `0-${cpus().length - 1}`);
  }
}

/** The CPU for servers under test: 1 when the machine has two or more, else undefined (no pinning). */
export function serverCpu(): number | undefined {
  return canPin() ? 1 : undefined;
}
