import {
  errorRatioQuery,
  errorShareQuery,
  latencyQuantileQuery,
  leMatcher,
  recordedErrorRatio,
  recordedSlowRatio,
  requestCountQuery,
  SLO_WINDOWS,
  slowRatioQuery,
} from './sli-queries';
import type { ServiceSlo } from './slo-types';

const slo: ServiceSlo = {
  service: 'order',
  namespace: 'apps',
  objectives: { availability: 0.999, latency: { objective: 0.99, thresholdSeconds: 1 } },
};

describe('SLI queries', () => {
  it('reads 5xx over all requests of the service, without the probe and scrape routes', () => {
    const q = errorRatioQuery(slo, '5m');
    expect(q).toContain(
      'rate(http_requests_total{namespace="apps", service="order", route!~"/health|/ready|/metrics", status=~"5.."}[5m])',
    );
    expect(q).toContain(
      'rate(http_requests_total{namespace="apps", service="order", route!~"/health|/ready|/metrics"}[5m])',
    );
    expect(q).toMatch(/^sum by \(namespace, service\)/);
  });

  it('narrows both sides to a track and version when asked (the canary analysis)', () => {
    const q = errorRatioQuery(slo, '10m', { track: 'canary', version: '1.2.3' });
    expect(q.match(/track="canary", version="1.2.3"/g)).toHaveLength(2);
    const s = slowRatioQuery(slo, '10m', { track: 'canary' });
    expect(s.match(/track="canary"/g)).toHaveLength(2);
  });

  it('reads the bucket at the threshold in both the Prometheus 2 and 3 spelling of le', () => {
    expect(slowRatioQuery(slo, '1h')).toContain('le=~"1(\\\\.0)?"');
    expect(leMatcher(0.25)).toBe('le=~"0\\\\.25"');
  });

  it('refuses a window that is not a Prometheus duration', () => {
    expect(() => errorRatioQuery(slo, '5 minutes')).toThrow('window must be a Prometheus duration');
  });

  it('names the recorded series per window', () => {
    expect(SLO_WINDOWS.map(recordedErrorRatio)).toContain('slo:sli_error:ratio_rate5m');
    expect(recordedSlowRatio('3d')).toBe('slo:sli_latency:ratio_rate3d');
  });

  describe('per-track analysis queries', () => {
    const canary = { track: '{{args.track}}' };
    const sel =
      '{namespace="apps", service="order", track="{{args.track}}", route!~"/health|/ready|/metrics"}';

    it("counts the track's requests within the window as one sample", () => {
      expect(requestCountQuery(slo, '1m', canary)).toBe(`sum(increase(http_requests_total${sel}[1m]))`);
    });

    it('reads the 5xx share as 0 when no 5xx series exists, and as nothing without requests', () => {
      const q = errorShareQuery(slo, '2m', canary);
      expect(q).toContain(
        `(sum(rate(http_requests_total${sel.slice(0, -1)}, status=~"5.."}[2m])) or on() vector(0))`,
      );
      expect(q.endsWith(`/\nsum(rate(http_requests_total${sel}[2m]))`)).toBe(true);
    });

    it('reads a latency quantile from the histogram buckets and refuses a quantile outside (0, 1)', () => {
      expect(latencyQuantileQuery(slo, 0.99, '1m', canary)).toBe(
        `histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket${sel}[1m])))`,
      );
      expect(() => latencyQuantileQuery(slo, 1, '1m')).toThrow('quantile must be a number in (0, 1) (got 1)');
      expect(() => requestCountQuery(slo, '1 m')).toThrow('window must be a Prometheus duration');
    });
  });
});
