import { createMetrics } from '../../services/common/src/metrics';
import { LATENCY_BUCKETS } from './latency-buckets';

describe('LATENCY_BUCKETS', () => {
  it('equals the bucket bounds of the services’ http_request_duration_seconds histogram', async () => {
    const metrics = createMetrics({ serviceName: 'probe', serviceVersion: '0.0.0', track: 'stable' });
    // The histogram records exemplars, so observations take the object form.
    metrics.httpRequestDuration.observe({
      labels: { method: 'GET', route: '/x', status: '200' },
      value: 0.2,
    });
    const text = await metrics.registry.getSingleMetricAsString('http_request_duration_seconds');
    const bounds = [...text.matchAll(/http_request_duration_seconds_bucket\{[^}]*le="([^"]+)"/g)]
      .map((m) => m[1])
      .filter((le) => le !== '+Inf')
      .map(Number);
    expect(bounds.length).toBeGreaterThan(0);
    expect(bounds).toEqual([...LATENCY_BUCKETS]);
  });
});
