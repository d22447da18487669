/** Thresholds of a service's analysis, resolved by the stack from Pulumi.<env>.yaml (shared contract). */
export interface AnalysisThresholds {
  /** Argo duration between measurements, e.g. "1m"; also the PromQL rate window of every query. */
  readonly interval: string;
  /** Measurements per run. */
  readonly count: number;
  /** Failed measurements tolerated (the metric fails at failureLimit + 1). */
  readonly failureLimit: number;
  /** Inconclusive measurements tolerated before the run is Inconclusive (the Rollout pauses). */
  readonly inconclusiveLimit: number;
  /** Requests of the track within `interval` below which a measurement is inconclusive. */
  readonly minRequests: number;
  /** 5xx share above which a measurement fails. */
  readonly maxErrorRatio: number;
  /** p99 latency (seconds) above which a measurement fails. */
  readonly maxP99Seconds: number;
}

/**
 * A duration both Argo (Go's time.ParseDuration) and PromQL read the same way: whole numbers of ms, s, m or
 * h (Go has no d/w/y, PromQL no fractions or µs).
 */
const DURATION = /^([0-9]+(ms|s|m|h))+$/;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Milliseconds of an interval in the form above; NaN when it is not one. */
export function analysisDurationMs(text: string): number {
  if (typeof text !== 'string' || !DURATION.test(text)) return NaN;
  return [...text.matchAll(/([0-9]+)(ms|s|m|h)/g)].reduce(
    (sum, [, n, unit]) => sum + Number(n) * (UNIT_MS[unit ?? ''] ?? NaN),
    0,
  );
}

function fail(path: string, rule: string, got: unknown): never {
  throw new Error(`${path} ${rule} (got ${JSON.stringify(got)})`);
}

function integer(path: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    fail(path, `must be an integer >= ${min}`, value);
  }
  return value;
}

/**
 * Throws on the first threshold that is malformed or would make the analysis unable to fail, to pause, or
 * to tell a silent canary from a healthy one. Paths read `<path>.<field>`, e.g. `analysis.maxErrorRatio`.
 */
export function validateAnalysisThresholds(thresholds: AnalysisThresholds, path = 'analysis'): void {
  const t = thresholds;
  if (!(analysisDurationMs(t.interval) > 0)) {
    fail(
      `${path}.interval`,
      'must be a duration of whole ms, s, m or h that Argo and PromQL both read, e.g. 30s, 1m, 1m30s',
      t.interval,
    );
  }
  const count = integer(`${path}.count`, t.count, 1);
  // Argo accepts failureLimit = count, but then a canary failing every measurement would still pass.
  const failureLimit = integer(`${path}.failureLimit`, t.failureLimit, 0);
  if (failureLimit >= count) fail(`${path}.failureLimit`, `must be below count (${count})`, failureLimit);
  // With inconclusiveLimit >= count a canary without traffic reaches `count` and is promoted by silence.
  const inconclusiveLimit = integer(`${path}.inconclusiveLimit`, t.inconclusiveLimit, 0);
  if (inconclusiveLimit >= count) {
    fail(`${path}.inconclusiveLimit`, `must be below count (${count})`, inconclusiveLimit);
  }
  integer(`${path}.minRequests`, t.minRequests, 1);
  const ratio = t.maxErrorRatio;
  if (typeof ratio !== 'number' || !Number.isFinite(ratio) || ratio <= 0 || ratio >= 1) {
    fail(`${path}.maxErrorRatio`, 'must be a number in (0, 1)', ratio);
  }
  const p99 = t.maxP99Seconds;
  if (typeof p99 !== 'number' || !Number.isFinite(p99) || p99 <= 0) {
    fail(`${path}.maxP99Seconds`, 'must be a number > 0 (seconds)', p99);
  }
}
