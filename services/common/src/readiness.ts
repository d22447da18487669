/** Resolves when the dependency is usable, rejects (or aborts on `signal`) when it is not. */
export type ReadinessCheck = (signal: AbortSignal) => Promise<unknown>;

export type CheckOutcome = 'ok' | 'failed' | 'timeout';

export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: Record<string, CheckOutcome>;
  readonly errors: Record<string, unknown>;
}

async function runOne(
  check: ReadinessCheck,
  timeoutMs: number,
): Promise<{ outcome: CheckOutcome; error?: unknown }> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error(`readiness check timed out after ${timeoutMs}ms`));
      resolve('timeout');
    }, timeoutMs);
  });
  try {
    const winner = await Promise.race([check(controller.signal).then(() => 'ok' as const), timeout]);
    return { outcome: winner };
  } catch (error) {
    return { outcome: 'failed', error };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs all checks in parallel, each bounded by `timeoutMs`, so one hung dependency cannot hang the probe. */
export async function runReadinessChecks(
  checks: Readonly<Record<string, ReadinessCheck>>,
  timeoutMs: number,
): Promise<ReadinessReport> {
  const results = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => ({ name, ...(await runOne(check, timeoutMs)) })),
  );
  const outcomes: Record<string, CheckOutcome> = {};
  const errors: Record<string, unknown> = {};
  for (const { name, outcome, error } of results) {
    outcomes[name] = outcome;
    if (error !== undefined) errors[name] = error;
  }
  return { ready: results.every((r) => r.outcome === 'ok'), checks: outcomes, errors };
}
