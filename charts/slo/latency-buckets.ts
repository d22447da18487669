/**
 * Upper bounds of the http_request_duration_seconds histogram in services/common/src/metrics.ts. A latency
 * threshold must be one of them: the SLI reads the `le` bucket at the threshold, and between bounds there is
 * no exact count. A test keeps this list equal to the services' buckets.
 */
export const LATENCY_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]);
