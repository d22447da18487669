import { HttpError } from '../errors';

/** Why a call to another service failed; for logs and metrics, never shown to the client. */
export type DependencyFailure = 'timeout' | 'network' | 'server_error' | 'invalid_response' | 'circuit_open';

/**
 * Another service could not give an answer. The error handler turns it into 503
 * `dependency_unavailable`; the message names the service only, never its URL or what it answered.
 */
export class DependencyError extends HttpError {
  constructor(
    readonly dependency: string,
    readonly reason: DependencyFailure,
    /** The last HTTP status the dependency answered, when it answered at all. */
    readonly upstreamStatus?: number,
    options: { cause?: unknown } = {},
  ) {
    super(503, 'dependency_unavailable', `The ${dependency} service is unavailable; try again later`);
    if (options.cause !== undefined) this.cause = options.cause;
  }
}
