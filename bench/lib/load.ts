/**
 * Load from this process with autocannon: a fixed number of connections for a fixed time, optionally at a
 * fixed offered rate. Every response's latency is kept, so p95 is exact (autocannon itself reports p90 and
 * p97.5 only).
 */
import autocannon from 'autocannon';
import { percentile } from './stats';

export interface LoadOptions {
  readonly url: string;
  readonly connections: number;
  readonly durationSeconds: number;
  readonly method?: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Per-request headers and body (merged over `headers`), e.g. a fresh idempotency key each time. */
  readonly perRequest?: () => { readonly headers?: Readonly<Record<string, string>>; readonly body?: string };
  /** Offered rate in requests/s over all connections; unthrottled when absent. */
  readonly rate?: number;
  /** Stops the load early when it settles (e.g. when the server under test has exited). */
  readonly until?: Promise<unknown>;
  /** Called for each request without a response, with its error code. */
  readonly onRequestError?: (code: string) => void;
}

export interface LoadResult {
  readonly requests: number;
  readonly seconds: number;
  /** 2xx responses per second. */
  readonly rps: number;
  /** Latency in milliseconds. */
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  /** Responses other than 2xx, by status. */
  readonly statuses: Readonly<Record<string, number>>;
  readonly non2xx: number;
  /** Requests without a response (connection errors, timeouts), by error code. */
  readonly errors: number;
  readonly errorCodes: Readonly<Record<string, number>>;
  /** Every response's latency (ms), ascending: for pooling rounds. */
  readonly latencies: readonly number[];
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const errorCodes: Record<string, number> = {};
  const { perRequest } = options;
  const opts: autocannon.Options = {
    url: options.url,
    connections: options.connections,
    duration: options.durationSeconds,
    method: options.method ?? 'GET',
    timeout: 10,
    headers: { ...options.headers },
    ...(options.body !== undefined && { body: options.body }),
    // autocannon's overallRate paces all connections together.
    ...(options.rate !== undefined && { overallRate: options.rate }),
    ...(perRequest !== undefined && {
      requests: [
        {
          setupRequest: (request: autocannon.Request) => {
            const extra = perRequest();
            return {
              ...request,
              headers: { ...request.headers, ...extra.headers },
              ...(extra.body !== undefined && { body: extra.body }),
            };
          },
        },
      ],
    }),
  };
  const started = process.hrtime.bigint();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(opts, (err: unknown, done: autocannon.Result) => {
      if (err) reject(err instanceof Error ? err : new Error(String(err)));
      else resolve(done);
    });
    instance.on('response', (_client, status, _bytes, responseTime) => {
      latencies.push(responseTime);
      if (status < 200 || status > 299) statuses[status] = (statuses[status] ?? 0) + 1;
    });
    instance.on('reqError', (err: Error & { code?: string }) => {
      const code = err.code ?? err.message;
      errorCodes[code] = (errorCodes[code] ?? 0) + 1;
      options.onRequestError?.(code);
    });
    void options.until?.then(() => instance.stop());
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    seconds,
    rps: result['2xx'] / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? Number.NaN,
    statuses,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    errorCodes,
    latencies,
  };
}
