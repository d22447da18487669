import { setTimeout as sleep } from 'node:timers/promises';
import { SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import CircuitBreaker from 'opossum';
import type { Logger } from 'pino';
import type { Histogram, Registry } from 'prom-client';
import type { ServiceClient, ServiceRequest, ServiceResponse } from '../ports';
import { REQUEST_ID_HEADER } from '../request-context';
import type { ServiceTokenIssuer } from '../service-auth';
import { SERVICE_TOKEN_HEADER } from '../service-auth';
import type { BackoffOptions } from './backoff';
import { DEFAULT_BACKOFF, backoffDelay } from './backoff';
import type { DependencyFailure } from './dependency-error';
import { DependencyError } from './dependency-error';
import type { DependencyLabel, DependencyOutcome } from './dependency-metrics';
import { dependencyDurationHistogram } from './dependency-metrics';
import { fetchTransport, httpTransport, type Transport } from './http-transport';

export interface BreakerOptions {
  /** Share of failed attempts (percent) in the rolling window above which the breaker opens. Default 50. */
  readonly errorThresholdPercentage?: number;
  /** How long the breaker stays open before it lets one trial attempt through. Default 10000 ms. */
  readonly resetTimeout?: number;
  /** Attempts needed in the window before the breaker may open, so one early failure cannot. Default 10. */
  readonly volumeThreshold?: number;
  /** Length of the rolling window the percentage is computed over. Default 10000 ms. */
  readonly rollingCountTimeout?: number;
}

export interface HttpServiceClientOptions {
  /** The called service, as it appears in logs, metrics and DependencyError messages. */
  readonly name: string;
  /** e.g. `http://user.shop.svc:8080`; request paths are appended to it. */
  readonly baseUrl: string;
  /** Per attempt, including reading the body. Default 2000. */
  readonly timeoutMs?: number;
  /** Extra attempts for GET/PUT/DELETE after a network error, a timeout or 502/503/504. Default 2. */
  readonly retries?: number;
  readonly backoff?: BackoffOptions;
  readonly breaker?: BreakerOptions;
  readonly logger: Logger;
  /** Where `dependency_request_duration_seconds` goes; no metrics without it. */
  readonly registry?: Registry;
  /** Injected in tests; without it, node:http with keep-alive agents (http-transport.ts). */
  readonly fetch?: typeof fetch;
  /** Signs X-Service-Token for requests with `asService` (SERVICE_TOKEN_KEY of the calling service). */
  readonly serviceTokens?: ServiceTokenIssuer;
  /** The `aud` of those tokens: the called service's SERVICE_NAME. Defaults to `name`. */
  readonly audience?: string;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

type Method = ServiceRequest['method'];
type Attempt = (url: string, init: RequestInit) => Promise<ServiceResponse>;

// Repeating these cannot apply a change twice; POST and PATCH may have been applied before the failure.
const IDEMPOTENT = new Set<Method>(['GET', 'PUT', 'DELETE']);
// Gateways and overloaded services; a 500 is a bug that answers the same way the next time.
const RETRYABLE_STATUSES = new Set([502, 503, 504]);
const NAME_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;

/** One attempt's failure, as the breaker counts it. */
class AttemptFailure extends Error {
  constructor(
    readonly reason: Exclude<DependencyFailure, 'circuit_open'>,
    readonly retryable: boolean,
    readonly status?: number,
    options: { cause?: unknown } = {},
  ) {
    super(status === undefined ? reason : `${reason} (HTTP ${status})`);
    this.name = 'AttemptFailure';
    if (options.cause !== undefined) this.cause = options.cause;
  }
}

function transportFailure(err: unknown): AttemptFailure {
  // Duck-typed: the DOMException may come from another realm (test runners), failing instanceof Error.
  const timedOut =
    typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'TimeoutError';
  return new AttemptFailure(timedOut ? 'timeout' : 'network', true, undefined, { cause: err });
}

function checkInt(field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${field} must be an integer ${min}-${max} (got ${String(value)})`);
  }
  return value;
}

/** The base URL without a trailing slash; refused when it is not plain http(s) or carries credentials. */
function checkBaseUrl(raw: string): string {
  const allowed = 'an http(s) URL without credentials, query or fragment';
  // Credentials must not reach logs through this error either.
  const shown = raw.includes('@') ? '<redacted>' : JSON.stringify(raw);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TypeError(`baseUrl must be ${allowed} (got ${shown})`);
  }
  if (
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.username !== '' ||
    url.password !== '' ||
    url.search !== '' ||
    url.hash !== ''
  ) {
    throw new TypeError(`baseUrl must be ${allowed} (got ${shown})`);
  }
  return url.href.replace(/\/+$/, '');
}

/**
 * ServiceClient over HTTP: JSON in and out, a timeout per attempt, retries with backoff for idempotent
 * requests and a circuit breaker over all attempts. 4xx answers resolve and count as successes for the
 * breaker: the service is up, the caller asked for something it cannot have. It is a CloseHook, so
 * `start(..., { closeHooks: [client] })` stops the breaker's timers at shutdown.
 */
export class HttpServiceClient implements ServiceClient {
  readonly name: string;
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoff: Required<BackoffOptions>;
  private readonly logger: Logger;
  private readonly transport: Transport;
  private readonly breaker: CircuitBreaker<Parameters<Attempt>, ServiceResponse>;
  private readonly duration: Histogram<DependencyLabel> | undefined;
  private readonly serviceTokens: ServiceTokenIssuer | undefined;
  private readonly audience: string;

  constructor(options: HttpServiceClientOptions) {
    if (!NAME_PATTERN.test(options.name)) {
      throw new TypeError(
        `name must be a lowercase name of a-z, 0-9 and "-" (max 63) (got ${JSON.stringify(options.name)})`,
      );
    }
    this.name = options.name;
    this.baseUrl = checkBaseUrl(options.baseUrl);
    this.timeoutMs = checkInt('timeoutMs', options.timeoutMs ?? 2000, 1, 600_000);
    this.retries = checkInt('retries', options.retries ?? 2, 0, 10);
    const baseMs = checkInt('backoff.baseMs', options.backoff?.baseMs ?? DEFAULT_BACKOFF.baseMs, 0, 60_000);
    const capMs = checkInt('backoff.capMs', options.backoff?.capMs ?? DEFAULT_BACKOFF.capMs, 0, 60_000);
    this.backoff = { baseMs, capMs };
    this.logger = options.logger.child({ dependency: this.name });
    this.transport = options.fetch ? fetchTransport(options.fetch) : httpTransport;
    this.duration = options.registry ? dependencyDurationHistogram(options.registry) : undefined;
    this.serviceTokens = options.serviceTokens;
    this.audience = options.audience ?? this.name;

    const breaker = options.breaker ?? {};
    const resetTimeout = checkInt('breaker.resetTimeout', breaker.resetTimeout ?? 10_000, 1, 3_600_000);
    this.breaker = new CircuitBreaker<Parameters<Attempt>, ServiceResponse>(
      (url, init) => this.attempt(url, init),
      {
        name: this.name,
        // Our own AbortSignal.timeout ends the attempt; opossum's timeout would leave the request running.
        timeout: false,
        errorThresholdPercentage: checkInt(
          'breaker.errorThresholdPercentage',
          breaker.errorThresholdPercentage ?? 50,
          0,
          100,
        ),
        resetTimeout,
        volumeThreshold: checkInt('breaker.volumeThreshold', breaker.volumeThreshold ?? 10, 0, 1_000_000),
        rollingCountTimeout: checkInt(
          'breaker.rollingCountTimeout',
          breaker.rollingCountTimeout ?? 10_000,
          10,
          3_600_000,
        ),
      },
    );
    this.breaker.on('open', () =>
      this.logger.warn({ resetTimeoutMs: resetTimeout }, 'circuit breaker opened; failing fast'),
    );
    this.breaker.on('halfOpen', () => this.logger.info('circuit breaker half-open; trying one request'));
    this.breaker.on('close', () => this.logger.info('circuit breaker closed'));
  }

  breakerState(): BreakerState {
    if (this.breaker.opened) return 'open';
    if (this.breaker.halfOpen) return 'half-open';
    return 'closed';
  }

  async request<T = unknown>(request: ServiceRequest): Promise<ServiceResponse<T>> {
    const { method, path } = request;
    if (!path.startsWith('/') || path.startsWith('//')) {
      throw new TypeError(`path must start with a single "/" (got ${JSON.stringify(path)})`);
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    if (request.requestId !== undefined) headers[REQUEST_ID_HEADER] = request.requestId;
    if (request.authorization !== undefined) headers.authorization = request.authorization;
    if (request.asService === true) {
      if (this.serviceTokens === undefined) {
        throw new TypeError(`${this.name}: asService needs the client's serviceTokens option`);
      }
      // Signed (or reused) per request, so retries and long-lived clients never send an expired token.
      headers[SERVICE_TOKEN_HEADER] = this.serviceTokens.token(this.audience);
    }
    const init: RequestInit = {
      method,
      headers,
      ...(request.body !== undefined && { body: JSON.stringify(request.body) }),
    };
    const url = this.baseUrl + path;
    const attempts = IDEMPOTENT.has(method) ? this.retries + 1 : 1;
    // The query string may carry tokens or personal data; logs get the path only.
    const log = this.logger.child({ method, path: path.split('?')[0], requestId: request.requestId });
    const stopTimer = this.duration?.startTimer({ dependency: this.name, method });
    const observe = (outcome: DependencyOutcome): void => void stopTimer?.({ outcome });

    for (let attempt = 1; ; attempt += 1) {
      try {
        const response = await this.breaker.fire(url, init);
        observe(response.status < 400 ? 'success' : 'client_error');
        return response as ServiceResponse<T>;
      } catch (err) {
        const failure = this.classify(err);
        if (failure.retryable && attempt < attempts) {
          const delayMs = backoffDelay(attempt - 1, this.backoff);
          log.info(
            { attempt, reason: failure.reason, status: failure.status, delayMs },
            'dependency request failed; retrying',
          );
          await sleep(delayMs);
          continue;
        }
        log.warn({ attempt, reason: failure.reason, status: failure.status }, 'dependency request failed');
        observe(failure.reason);
        throw new DependencyError(this.name, failure.reason, failure.status, { cause: err });
      }
    }
  }

  /** Stops the breaker's timers; later requests reject with DependencyError. */
  close(): Promise<void> {
    this.breaker.shutdown();
    return Promise.resolve();
  }

  private classify(err: unknown): {
    reason: DependencyFailure;
    retryable: boolean;
    status: number | undefined;
  } {
    if (err instanceof AttemptFailure)
      return { reason: err.reason, retryable: err.retryable, status: err.status };
    // The breaker refused (open, or shut down): retrying now would be refused too.
    if (typeof err === 'object' && err !== null && CircuitBreaker.isOurError(err as Error)) {
      return { reason: 'circuit_open', retryable: false, status: undefined };
    }
    return { reason: 'network', retryable: false, status: undefined };
  }

  /**
   * One HTTP exchange in a CLIENT span (made here: the http instrumentation skips these requests); the span's
   * context goes out as traceparent, so the called service's server span is its child.
   */
  private attempt(url: string, init: RequestInit): Promise<ServiceResponse> {
    const target = new URL(url);
    const method = init.method ?? 'GET';
    const attributes = {
      'http.request.method': method,
      'server.address': target.hostname,
      'server.port': Number(target.port || (target.protocol === 'https:' ? 443 : 80)),
      // The path only: a query string may carry tokens or personal data.
      'url.path': target.pathname,
      'peer.service': this.name,
    };
    const tracer = trace.getTracer('@platform/common');
    return tracer.startActiveSpan(`${method}`, { kind: SpanKind.CLIENT, attributes }, async (span) => {
      try {
        const headers: Record<string, string> = { ...(init.headers as Record<string, string>) };
        propagation.inject(context.active(), headers);
        const response = await this.exchange(url, { ...init, headers }, span);
        return response;
      } catch (err) {
        span.setStatus({ code: SpanStatusCode.ERROR });
        span.setAttribute('error.type', err instanceof AttemptFailure ? err.reason : 'network');
        throw err;
      } finally {
        span.end();
      }
    });
  }

  /** Resolves for any status below 500, rejects with AttemptFailure otherwise. */
  private async exchange(url: string, init: RequestInit, span: Span): Promise<ServiceResponse> {
    // The signal also covers reading the body, so a service that stalls mid-answer times out too.
    const signal = AbortSignal.timeout(this.timeoutMs);
    let response;
    try {
      response = await this.transport(url, {
        method: init.method ?? 'GET',
        headers: init.headers as Record<string, string>,
        signal,
        ...(typeof init.body === 'string' && { body: init.body }),
      });
    } catch (err) {
      throw transportFailure(err);
    }
    const { status, text } = response;
    span.setAttribute('http.response.status_code', status);
    if (status >= 500) throw new AttemptFailure('server_error', RETRYABLE_STATUSES.has(status), status);
    if (text === '') return { status, body: undefined };
    try {
      return { status, body: JSON.parse(text) as unknown };
    } catch {
      // No cause: the parser's message quotes the body, which must not reach logs.
      throw new AttemptFailure('invalid_response', false, status);
    }
  }
}
