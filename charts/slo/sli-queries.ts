import type { ServiceSlo } from './slo-types';

/** Windows the recording rules keep, the ones the multi-window multi-burn-rate alerts read. */
export const SLO_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;
export type SloWindow = (typeof SLO_WINDOWS)[number];
/** The error budget is spent over this many days; the burn-rate factors assume it. */
export const SLO_PERIOD_DAYS = 30;

/** Extra label matchers, e.g. the canary analysis compares `track="canary"` with `track="stable"`. */
export interface SliMatch {
  readonly track?: string;
  readonly version?: string;
}

/** Probes and the scrape itself are served by services/common/src/app.ts and are not user traffic. */
export const NON_SLI_ROUTES: readonly string[] = ['/health', '/ready', '/metrics'];

const PROM_DURATION = /^([0-9]+(ms|s|m|h|d|w|y))+$/;

/** A PromQL double-quoted string literal. */
export function promString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function selector(
  slo: ServiceSlo,
  window: string,
  match: SliMatch | undefined,
  extra: string[] = [],
): string {
  if (!PROM_DURATION.test(window)) {
    throw new Error(`window must be a Prometheus duration such as 5m or 1d (got ${JSON.stringify(window)})`);
  }
  const matchers = [
    `namespace=${promString(slo.namespace)}`,
    `service=${promString(slo.service)}`,
    ...(match?.track !== undefined ? [`track=${promString(match.track)}`] : []),
    ...(match?.version !== undefined ? [`version=${promString(match.version)}`] : []),
    `route!~${promString(NON_SLI_ROUTES.map(escapeRegex).join('|'))}`,
    ...extra,
  ];
  return `{${matchers.join(', ')}}`;
}

/**
 * Matches the histogram bucket at `seconds`: Prometheus 2 keeps prom-client's `le="1"`, Prometheus 3
 * normalises classic-histogram bounds to floats (`le="1.0"`), so whole numbers match both spellings.
 */
export function leMatcher(seconds: number): string {
  const text = String(seconds);
  const pattern = Number.isInteger(seconds) ? `${text}(\\.0)?` : escapeRegex(text);
  return `le=~${promString(pattern)}`;
}

/** Share of requests answered with a 5xx over `window`, per namespace and service (NaN without traffic). */
export function errorRatioQuery(slo: ServiceSlo, window: string, match?: SliMatch): string {
  const errors = selector(slo, window, match, ['status=~"5.."']);
  const all = selector(slo, window, match);
  return (
    `sum by (namespace, service) (rate(http_requests_total${errors}[${window}]))\n` +
    `/\n` +
    `sum by (namespace, service) (rate(http_requests_total${all}[${window}]))`
  );
}

/** Share of requests slower than the SLO's threshold over `window`, per namespace and service. */
export function slowRatioQuery(slo: ServiceSlo, window: string, match?: SliMatch): string {
  const fast = selector(slo, window, match, [leMatcher(slo.objectives.latency.thresholdSeconds)]);
  const all = selector(slo, window, match);
  return (
    `1 - (\n` +
    `  sum by (namespace, service) (rate(http_request_duration_seconds_bucket${fast}[${window}]))\n` +
    `  /\n` +
    `  sum by (namespace, service) (rate(http_request_duration_seconds_count${all}[${window}]))\n` +
    `)`
  );
}

/** Name of the recorded error ratio over `window`, e.g. `slo:sli_error:ratio_rate5m`. */
export function recordedErrorRatio(window: SloWindow): string {
  return `slo:sli_error:ratio_rate${window}`;
}

/** Name of the recorded slow-request ratio over `window`, e.g. `slo:sli_latency:ratio_rate5m`. */
export function recordedSlowRatio(window: SloWindow): string {
  return `slo:sli_latency:ratio_rate${window}`;
}

export const OBJECTIVE_AVAILABILITY = 'slo:objective:availability';
export const OBJECTIVE_LATENCY = 'slo:objective:latency';

/*
 * Per-track queries for canary analysis (charts/rollout-analysis). Unlike the ratios above they aggregate to
 * one label-less sample, since the selector already pins one namespace, service and track, and they keep
 * "no traffic" apart from "no errors": without requests there is no sample at all.
 */

/** Requests of the service (optionally one track) within `window`, one sample; none without series. */
export function requestCountQuery(slo: ServiceSlo, window: string, match?: SliMatch): string {
  return `sum(increase(http_requests_total${selector(slo, window, match)}[${window}]))`;
}

/**
 * Share of 5xx over `window` as one sample: 0 when requests came in and none failed (a service that never
 * answered a 5xx has no 5xx series to divide), no sample when there were no request series at all.
 */
export function errorShareQuery(slo: ServiceSlo, window: string, match?: SliMatch): string {
  const errors = selector(slo, window, match, ['status=~"5.."']);
  const all = selector(slo, window, match);
  return (
    `(sum(rate(http_requests_total${errors}[${window}])) or on() vector(0))\n` +
    `/\n` +
    `sum(rate(http_requests_total${all}[${window}]))`
  );
}

/** The `quantile` (e.g. 0.99) of request latency in seconds over `window`, one sample (NaN without requests). */
export function latencyQuantileQuery(
  slo: ServiceSlo,
  quantile: number,
  window: string,
  match?: SliMatch,
): string {
  if (!(Number.isFinite(quantile) && quantile > 0 && quantile < 1)) {
    throw new Error(`quantile must be a number in (0, 1) (got ${String(quantile)})`);
  }
  return (
    `histogram_quantile(${quantile}, sum by (le) ` +
    `(rate(http_request_duration_seconds_bucket${selector(slo, window, match)}[${window}])))`
  );
}
