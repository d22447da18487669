export type { BackoffOptions } from './backoff';
export { backoffDelay } from './backoff';
export type { DependencyFailure } from './dependency-error';
export { DependencyError } from './dependency-error';
export type { DependencyLabel, DependencyOutcome } from './dependency-metrics';
export type { BreakerOptions, BreakerState, HttpServiceClientOptions } from './http-service-client';
export { HttpServiceClient } from './http-service-client';
