/** Share of requests that must be faster than `thresholdSeconds` over the SLO period. */
export interface LatencyObjective {
  /** Target share of fast requests, in (0, 1), e.g. 0.99. */
  readonly objective: number;
  /** A request slower than this is "slow"; must be one of LATENCY_BUCKETS so the histogram can tell. */
  readonly thresholdSeconds: number;
}

export interface SloObjectives {
  /** Target share of non-5xx requests, in (0, 1), e.g. 0.999. */
  readonly availability: number;
  readonly latency: LatencyObjective;
}

/** One service's objectives; the SLIs come from its http_requests_total / http_request_duration_seconds. */
export interface ServiceSlo {
  /** The `service` label the service's metrics carry (its name, e.g. `order`). */
  readonly service: string;
  /** Namespace the service's pods run in (the `namespace` target label of its series). */
  readonly namespace: string;
  readonly objectives: SloObjectives;
}
