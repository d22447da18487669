/**
 * Runs `work` and settles like it, or rejects with an error naming `what` once `ms` have passed. The work
 * itself runs on (the port cannot cancel it); its late outcome is ignored. A synchronous throw of `work`
 * becomes a rejection, so callers need one catch.
 */
export async function within<T>(ms: number, what: string, work: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms}ms`)), ms);
  });
  try {
    return await Promise.race([Promise.resolve().then(work), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
