import { LATENCY_BUCKETS } from '../../charts/slo';
import { show, type ConfigProblem } from './config-error';
import { CONFIG_NAMESPACE } from './config-namespace';
import type { TierDefaults } from './defaults';
import type { RawConfig, Tier } from './schema';
import type { MonitoringSpec, SloSpec } from './types';

const P = `${CONFIG_NAMESPACE}:monitoring`;

/**
 * Where alerts' runbook links point unless a stack says otherwise: this repository's README (its "Alerts"
 * table). A fork publishes its README elsewhere and sets platform:monitoring.runbookBaseUrl.
 */
export const RUNBOOK_BASE_URL = 'https://github.com/platform-team/platform/blob/main/README.md';

type RawMonitoring = NonNullable<RawConfig['monitoring']>;

const UNIT_SECONDS: Readonly<Record<string, number>> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400 };
/** Seconds of a schema-checked duration ("30s", "5m", "4h"). */
function seconds(duration: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(duration);
  return match ? Number(match[1]) * (UNIT_SECONDS[match[2] ?? 's'] ?? 1) : Number.NaN;
}
type RawSlo = NonNullable<RawMonitoring['slo']>;

/** The key each receiver type reads from its Secret unless the stack names another. */
const DEFAULT_KEYS = { slack: 'url', webhook: 'url', pagerduty: 'routing-key' } as const;

function resolveSlo(base: SloSpec, raw: Omit<RawSlo, 'services'> | undefined): SloSpec {
  return {
    availability: raw?.availability ?? base.availability,
    latency: {
      objective: raw?.latency?.objective ?? base.latency.objective,
      thresholdSeconds: raw?.latency?.thresholdSeconds ?? base.latency.thresholdSeconds,
    },
  };
}

/**
 * `platform:monitoring` with the tier's defaults, every deployed service's SLO resolved (stack default, then
 * the service's override), and the rules between the keys: receivers need Alertmanager, paging needs a paging
 * receiver, overrides name deployed services, latency thresholds are histogram bucket bounds.
 */
export function resolveMonitoring(
  tier: Tier,
  defaults: TierDefaults,
  raw: RawMonitoring | undefined,
  services: readonly string[],
  alertNames: readonly string[],
  problems: ConfigProblem[],
): MonitoringSpec {
  const d = defaults.monitoring;
  const at = (path: string, message: string) => problems.push({ path: `${P}.${path}`, message });
  const level = raw?.level ?? d.level;
  const paging = raw?.paging ?? d.paging;

  const stackSlo = resolveSlo(d.slo, raw?.slo);
  const overrides = raw?.slo?.services ?? {};
  for (const name of Object.keys(overrides)) {
    if (!services.includes(name)) {
      at(`slo.services.${name}`, `is not a service of this stack; allowed: ${services.join(', ') || 'none'}`);
    }
  }
  const slo: Record<string, SloSpec> = {};
  for (const name of services) slo[name] = resolveSlo(stackSlo, overrides[name]);
  const thresholdPath = (name?: string) =>
    name === undefined ? 'slo.latency.thresholdSeconds' : `slo.services.${name}.latency.thresholdSeconds`;
  const checkThreshold = (value: number | undefined, name?: string) => {
    if (value !== undefined && !LATENCY_BUCKETS.includes(value)) {
      at(
        thresholdPath(name),
        `must be a bound of the services' latency histogram: ${LATENCY_BUCKETS.join(', ')} (got ${show(value)})`,
      );
    }
  };
  checkThreshold(raw?.slo?.latency?.thresholdSeconds);
  for (const [name, o] of Object.entries(overrides)) checkThreshold(o.latency?.thresholdSeconds, name);

  const r = raw?.receivers;
  // A webhook with a plain endpoint reads a bearer token from its Secret; otherwise the Secret is the URL.
  const keyOf = (type: keyof typeof DEFAULT_KEYS, url: string | undefined) =>
    url !== undefined ? 'token' : DEFAULT_KEYS[type];
  const receivers: MonitoringSpec['receivers'] = {
    ...(r?.chat && { chat: { ...r.chat, key: r.chat.key ?? keyOf(r.chat.type, r.chat.url) } }),
    ...(r?.paging && { paging: { ...r.paging, key: r.paging.key ?? keyOf(r.paging.type, r.paging.url) } }),
    ...(r?.watchdog && {
      watchdog: { ...r.watchdog, key: r.watchdog.key ?? keyOf('webhook', r.watchdog.url) },
    }),
  };
  for (const [role, receiver] of [
    ['chat', r?.chat],
    ['paging', r?.paging],
  ] as const) {
    if (receiver?.url !== undefined && receiver.type !== 'webhook') {
      at(
        `receivers.${role}.url`,
        `applies to type "webhook" only (got type ${show(receiver.type)}): its Secret holds the endpoint`,
      );
    }
  }
  if (level === 'basic' && Object.keys(receivers).length > 0) {
    at(
      'receivers',
      `need Alertmanager, which runs from level "alerting" (got level "basic" with receivers ${Object.keys(receivers).join(', ')})`,
    );
  }
  if (paging && receivers.paging === undefined) {
    at(
      'receivers.paging',
      'is required when monitoring.paging is true: {type: pagerduty | webhook, secret, key?}',
    );
  }
  if (!paging && receivers.paging !== undefined) {
    at(
      'paging',
      'must be true when receivers.paging is set (got false): pages go out only where paging is on',
    );
  }

  // On EKS Loki and Tempo write to S3 buckets the stack creates; without one they keep data on a volume
  // (a config warning). On prem there is no bucket to create.
  for (const store of ['logs', 'traces'] as const) {
    const bucket = raw?.[store]?.bucket;
    if (tier === 'onprem' && bucket !== undefined) {
      at(
        `${store}.bucket`,
        `applies to EKS only: on prem ${store === 'logs' ? 'Loki' : 'Tempo'} keeps its data on a volume (got ${show(bucket)})`,
      );
    }
  }
  const grouping = { ...d.grouping, ...raw?.grouping };
  // Alertmanager re-sends only on group_interval ticks: a shorter repeat would silently not apply.
  if (seconds(grouping.repeatInterval) < seconds(grouping.groupInterval)) {
    at(
      'grouping.repeatInterval',
      `must be at least grouping.groupInterval (${grouping.groupInterval}) (got ${show(grouping.repeatInterval)})`,
    );
  }

  const disabledAlerts = [...new Set(raw?.disabledAlerts ?? [])];
  disabledAlerts.forEach((name, i) => {
    if (!alertNames.includes(name)) {
      at(
        `disabledAlerts[${i}]`,
        `is not an alert of the platform (got ${show(name)}); allowed: ${alertNames.join(', ')}`,
      );
    }
  });

  return {
    level,
    paging,
    retention: raw?.retention ?? d.retention,
    storage: raw?.storage ?? d.storage,
    scrapeInterval: raw?.scrapeInterval ?? d.scrapeInterval,
    evaluationInterval: raw?.evaluationInterval ?? d.evaluationInterval,
    prometheusReplicas: raw?.prometheusReplicas ?? d.prometheusReplicas,
    alertmanagerReplicas: raw?.alertmanagerReplicas ?? d.alertmanagerReplicas,
    runbookBaseUrl: raw?.runbookBaseUrl ?? RUNBOOK_BASE_URL,
    logs: { ...d.logs, ...raw?.logs },
    traces: { ...d.traces, ...raw?.traces },
    receivers,
    grouping,
    disabledAlerts,
    slo,
  };
}
