import type { CloseHook } from '../server';

/**
 * Runs `hooks` one after the other, in their order, ignoring their failures: for a failed start, where
 * every opened client must still be closed and the start's own error is the one to report.
 */
export async function closeAll(hooks: readonly CloseHook[]): Promise<void> {
  for (const hook of hooks) await hook.close().catch(() => undefined);
}

/**
 * Opens the next adapter after the ones behind `opened`; when that fails, closes them (closeAll), so a
 * failed start leaves no reconnecting client keeping the process alive, and rethrows.
 */
export async function openOrClose<T>(opened: readonly CloseHook[], open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    await closeAll(opened);
    throw error;
  }
}
