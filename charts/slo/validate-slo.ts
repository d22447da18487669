import { LATENCY_BUCKETS } from './latency-buckets';
import type { ServiceSlo } from './slo-types';

/** The `service` label value and a Kubernetes namespace: both DNS-1123 labels on this platform. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function fail(path: string, rule: string, got: unknown): never {
  throw new Error(`${path} ${rule} (got ${JSON.stringify(got)})`);
}

function requireRatio(path: string, value: unknown): void {
  // Exactly 1 would leave no error budget (every burn rate infinite); 0 would make the SLO meaningless.
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value >= 1) {
    fail(path, 'must be a number in (0, 1)', value);
  }
}

/**
 * Throws on the first field that would render rules that never or always fire. Paths read
 * `slo.<service>.<field>`, the way the stack config names them.
 */
export function validateSlo(slo: ServiceSlo): void {
  if (typeof slo.service !== 'string' || !DNS_LABEL.test(slo.service)) {
    fail('slo.service', 'must be a DNS-1123 label (lowercase letters, digits, -)', slo.service);
  }
  const path = `slo.${slo.service}`;
  if (typeof slo.namespace !== 'string' || !DNS_LABEL.test(slo.namespace)) {
    fail(`${path}.namespace`, 'must be a DNS-1123 label (lowercase letters, digits, -)', slo.namespace);
  }
  requireRatio(`${path}.availability`, slo.objectives.availability);
  requireRatio(`${path}.latency.objective`, slo.objectives.latency.objective);
  const threshold = slo.objectives.latency.thresholdSeconds;
  if (!LATENCY_BUCKETS.includes(threshold)) {
    fail(
      `${path}.latency.thresholdSeconds`,
      `must be a histogram bucket bound, one of ${LATENCY_BUCKETS.join(', ')}`,
      threshold,
    );
  }
}
