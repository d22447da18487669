import type { ServiceSlo } from '../slo';
import type { PrometheusRulesProps } from './prometheus-rules-props';

export const SERVICES = ['user', 'product', 'order', 'notification', 'analytics'] as const;
export const RUNBOOK = 'https://git.example.com/platform/blob/main/README.md';

function slo(service: string, availability: number, objective: number, thresholdSeconds: number): ServiceSlo {
  return {
    service,
    namespace: 'apps',
    objectives: { availability, latency: { objective, thresholdSeconds } },
  };
}

/** A prod-like environment: all five services with SLOs, every alert enabled. */
export const PROPS: PrometheusRulesProps = {
  namespace: 'monitoring',
  environment: 'prod',
  runbookBaseUrl: RUNBOOK,
  appsNamespace: 'apps',
  services: SERVICES,
  slos: [
    slo('user', 0.999, 0.99, 0.5),
    slo('product', 0.999, 0.99, 0.25),
    slo('order', 0.999, 0.99, 0.5),
    // Threshold 1 s: its bucket is le="1" in Prometheus 2 and le="1.0" in Prometheus 3.
    slo('notification', 0.995, 0.95, 1),
    slo('analytics', 0.99, 0.95, 2.5),
  ],
  datastores: {
    namespace: 'data',
    mongodb: { cluster: 'mongodb', backupMaxAgeMinutes: 1500 },
    // As in prod with DR, where the snapshot job runs.
    redis: { name: 'redis', sentinelQuorum: 2, snapshot: { cronJob: 'redis-snapshot', maxAgeHours: 26 } },
    // As on the DR standby, where MirrorMaker 2 runs: every alert is rendered.
    kafka: {
      cluster: 'kafka',
      mirrorMaker: { name: 'mirror', replicationLagBudgetSeconds: 60, checkpointLagBudgetSeconds: 120 },
    },
  },
};

export function runbook(name: string): string {
  return `${RUNBOOK}#alert-${name.toLowerCase()}`;
}
