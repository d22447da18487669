/**
 * Runs `work` and settles like it, or rejects with an error naming `what` once `ms` have passed. The work
 * itself runs on (the port cannot cancel it); its late outcome is ignored. A synchronous throw of `work`
 * becomes a rejection, so callers need one catch. One promise and one timer per call (no Promise.race):
 * it wraps every cache call on the read path.
 */
export function within<T>(ms: number, what: string, work: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms}ms`)), ms);
    Promise.resolve()
      .then(work)
      .then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
  });
}
