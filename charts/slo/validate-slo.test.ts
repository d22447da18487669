import type { ServiceSlo } from './slo-types';
import { validateSlo } from './validate-slo';

const good: ServiceSlo = {
  service: 'order',
  namespace: 'apps',
  objectives: { availability: 0.999, latency: { objective: 0.99, thresholdSeconds: 0.5 } },
};

function withObjectives(objectives: Partial<ServiceSlo['objectives']>): ServiceSlo {
  return { ...good, objectives: { ...good.objectives, ...objectives } };
}

describe('validateSlo', () => {
  it('accepts a realistic SLO', () => {
    expect(() => validateSlo(good)).not.toThrow();
  });

  it('names the field path, the value and the allowed range for availability', () => {
    expect(() => validateSlo(withObjectives({ availability: 1.5 }))).toThrow(
      'slo.order.availability must be a number in (0, 1) (got 1.5)',
    );
    expect(() => validateSlo(withObjectives({ availability: 1 }))).toThrow('slo.order.availability');
    expect(() => validateSlo(withObjectives({ availability: 0 }))).toThrow('slo.order.availability');
    expect(() => validateSlo(withObjectives({ availability: Number.NaN }))).toThrow('slo.order.availability');
  });

  it('refuses a latency objective outside (0, 1)', () => {
    expect(() => validateSlo(withObjectives({ latency: { objective: 99, thresholdSeconds: 0.5 } }))).toThrow(
      'slo.order.latency.objective must be a number in (0, 1) (got 99)',
    );
  });

  it('refuses a latency threshold that is not a histogram bucket bound, listing the bounds', () => {
    expect(() =>
      validateSlo(withObjectives({ latency: { objective: 0.99, thresholdSeconds: 0.3 } })),
    ).toThrow(
      'slo.order.latency.thresholdSeconds must be a histogram bucket bound, one of 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 (got 0.3)',
    );
  });

  it('refuses service and namespace names that are not DNS labels', () => {
    expect(() => validateSlo({ ...good, service: 'Order' })).toThrow('slo.service must be a DNS-1123 label');
    expect(() => validateSlo({ ...good, namespace: '' })).toThrow(
      'slo.order.namespace must be a DNS-1123 label',
    );
  });
});
