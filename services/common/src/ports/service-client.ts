/** A call to another service's HTTP API. */
export interface ServiceRequest {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path and query, e.g. `/api/users/42`. */
  readonly path: string;
  readonly body?: unknown;
  /** Passed on as x-request-id, so logs of both services join up. */
  readonly requestId?: string;
  /** Passed on as Authorization. */
  readonly authorization?: string;
  /**
   * Authenticates as the calling service: sends X-Service-Token signed with the client's service key (for
   * /internal/ operations). The client must have been given one.
   */
  readonly asService?: boolean;
}

export interface ServiceResponse<T = unknown> {
  readonly status: number;
  readonly body: T;
}

/**
 * Another service, called with a timeout, retries with backoff for idempotent requests and a circuit
 * breaker. Resolves with any HTTP status (the caller decides what a 404 means); rejects with
 * DependencyError when the service cannot be reached, times out, answers 5xx after the retries, or the
 * breaker is open.
 */
export interface ServiceClient {
  request<T = unknown>(request: ServiceRequest): Promise<ServiceResponse<T>>;
}
