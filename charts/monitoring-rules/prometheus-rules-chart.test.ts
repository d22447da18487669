import { synthesize } from '../lib';
import type { AlertingRule, RuleGroup } from '../slo';
import { isAlertingRule } from '../slo';
import { ALERT_NAMES, ALERTS, alertInfo } from './alert-catalogue';
import type { AlertName } from './alert-catalogue';
import { alertTableMarkdown } from './alert-table';
import { KSM_BACKUP_CUSTOM_RESOURCE_STATE } from './backup-age-metrics';
import { PrometheusRulesChart } from './prometheus-rules-chart';
import type { PrometheusRulesProps } from './prometheus-rules-props';
import { PROPS, RUNBOOK } from './rules-fixture';

function render(props: PrometheusRulesProps = PROPS) {
  return synthesize((app) => new PrometheusRulesChart(app, 'rules', props));
}

function alertsOf(props: PrometheusRulesProps = PROPS): AlertingRule[] {
  return render(props)
    .flatMap((o) => (o.spec as { groups: RuleGroup[] }).groups)
    .flatMap((g) => g.rules)
    .filter(isAlertingRule);
}

describe('PrometheusRulesChart', () => {
  it('renders PrometheusRules our Prometheus selects, with the standard labels', () => {
    const objects = render();
    expect(objects.length).toBe(PROPS.slos.length + 6);
    for (const o of objects) {
      expect(o).toMatchObject({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule' });
      expect(o.metadata.namespace).toBe('monitoring');
      expect(o.metadata.labels).toMatchObject({
        'platform.io/monitoring': 'platform',
        'app.kubernetes.io/managed-by': 'platform',
        'platform.io/environment': 'prod',
      });
    }
  });

  it('renders every catalogued alert, and nothing outside the catalogue', () => {
    const names = new Set(alertsOf().map((a) => a.alert));
    expect([...names].sort()).toEqual([...ALERT_NAMES].sort());
  });

  it('gives every alert its catalogue severity, a summary, a description and its README anchor', () => {
    for (const a of alertsOf()) {
      const info = alertInfo(a.alert as AlertName);
      expect({ alert: a.alert, severity: a.labels.severity }).toEqual({
        alert: a.alert,
        severity: info.severity,
      });
      expect(a.annotations.summary).toBe(info.summary);
      expect(a.annotations.description?.length ?? 0).toBeGreaterThan(10);
      expect(a.annotations.runbook_url).toBe(`${RUNBOOK}#alert-${a.alert.toLowerCase()}`);
    }
  });

  it('marks per-pod alerts with scope=pod and service alerts with namespace and service', () => {
    const byName = (n: string) => alertsOf().filter((a) => a.alert === n);
    for (const n of [
      'PodCrashLooping',
      'ContainerCpuThrottled',
      'ContainerMemoryNearLimit',
      'RedisReplicaDisconnected',
    ]) {
      for (const a of byName(n)) expect(a.labels.scope).toBe('pod');
    }
    expect(byName('ServiceDown').map((a) => a.labels.service)).toEqual(PROPS.services);
    expect(byName('Watchdog')[0]?.labels.severity).toBe('none');
  });

  it('leaves disabled alerts out, keeping the rest', () => {
    const alerts = alertsOf({
      ...PROPS,
      disabledAlerts: ['MongodbBackupTooOld', 'SLOLatencyBurnRateElevated'],
    });
    const names = new Set(alerts.map((a) => a.alert));
    expect(names.has('MongodbBackupTooOld')).toBe(false);
    expect(names.has('SLOLatencyBurnRateElevated')).toBe(false);
    expect(names.size).toBe(ALERT_NAMES.length - 2);
  });

  it('refuses an unknown alert name, naming it and listing the allowed ones', () => {
    const props = { ...PROPS, disabledAlerts: ['ServiceDwn'] as unknown as AlertName[] };
    expect(() => render(props)).toThrow(
      /disabledAlerts\[0\] is not an alert; allowed: SLOAvailabilityBurnRateHigh, .*Watchdog \(got "ServiceDwn"\)/,
    );
  });

  it('refuses a bad SLO with its field path', () => {
    const slos = PROPS.slos.map((s) =>
      s.service === 'order' ? { ...s, objectives: { ...s.objectives, availability: 1.5 } } : s,
    );
    expect(() => render({ ...PROPS, slos })).toThrow(
      'slo.order.availability must be a number in (0, 1) (got 1.5)',
    );
  });

  it('refuses an SLO for a service it does not know and bad datastore numbers', () => {
    const stray = { ...PROPS.slos[0]!, service: 'billing' };
    expect(() => render({ ...PROPS, slos: [stray] })).toThrow(
      'monitoringRules.slos[0].service must be one of services',
    );
    const datastores = { ...PROPS.datastores, mongodb: { cluster: 'mongodb', backupMaxAgeMinutes: 0 } };
    expect(() => render({ ...PROPS, datastores })).toThrow(
      'monitoringRules.datastores.mongodb.backupMaxAgeMinutes must be an integer >= 1 (got 0)',
    );
    expect(() => render({ ...PROPS, runbookBaseUrl: 'README.md#alerts' })).toThrow(
      'monitoringRules.runbookBaseUrl',
    );
  });
});

describe('PrometheusRulesChart MirrorMaker 2 alerts (DR standby only)', () => {
  const withoutMirror: PrometheusRulesProps = {
    ...PROPS,
    datastores: { ...PROPS.datastores, kafka: { cluster: 'kafka' } },
  };

  it('renders the KafkaMirror alerts only where a mirrorMaker target is given', () => {
    const mirrorAlerts = (props: PrometheusRulesProps) =>
      alertsOf(props)
        .map((a) => a.alert)
        .filter((n) => n.startsWith('KafkaMirror'))
        .sort();
    expect(mirrorAlerts(withoutMirror)).toEqual([]);
    expect(mirrorAlerts(PROPS)).toEqual([
      'KafkaMirrorCheckpointLagHigh',
      'KafkaMirrorConnectorFailed',
      'KafkaMirrorReplicationLagHigh',
    ]);
    const lag = alertsOf(PROPS).find((a) => a.alert === 'KafkaMirrorReplicationLagHigh');
    expect(lag?.expr).toContain('job="data/mirror-mirror-maker"');
    expect(lag?.expr).toMatch(/\/ 1000 > 60$/);
  });

  it('refuses a zero lag budget with its field path', () => {
    const kafka = {
      cluster: 'kafka',
      mirrorMaker: { name: 'mirror', replicationLagBudgetSeconds: 0, checkpointLagBudgetSeconds: 120 },
    };
    expect(() => render({ ...PROPS, datastores: { ...PROPS.datastores, kafka } })).toThrow(
      'monitoringRules.datastores.kafka.mirrorMaker.replicationLagBudgetSeconds must be an integer >= 1 (got 0)',
    );
  });
});

describe('PrometheusRulesChart Redis snapshot alert (where the DR snapshot job runs)', () => {
  const redis = PROPS.datastores.redis;
  const withRedis = (r: PrometheusRulesProps['datastores']['redis']): PrometheusRulesProps => ({
    ...PROPS,
    datastores: { ...PROPS.datastores, redis: r },
  });
  const snapshotRule = (props: PrometheusRulesProps) =>
    alertsOf(props).filter((a) => a.alert === 'RedisSnapshotMissing');

  it('renders RedisSnapshotMissing only with a snapshot target, reading the CronJob by name and age', () => {
    expect(snapshotRule(withRedis({ name: 'redis', sentinelQuorum: 2 }))).toEqual([]);
    const [rule] = snapshotRule(PROPS);
    expect(rule?.for).toBe('10m');
    expect(rule?.expr).toContain(
      'kube_cronjob_status_last_successful_time{namespace="data", cronjob="redis-snapshot"}) > 93600',
    );
    expect(rule?.expr).toContain('absent(kube_cronjob_created{namespace="data", cronjob="redis-snapshot"})');
  });

  it('refuses a snapshot target without a CronJob name or with no age, naming the field', () => {
    expect(() =>
      render(withRedis({ ...redis, snapshot: { cronJob: 'Redis_Snapshot', maxAgeHours: 26 } })),
    ).toThrow(
      'monitoringRules.datastores.redis.snapshot.cronJob must be a DNS-1123 label (lowercase letters, digits, -) (got "Redis_Snapshot")',
    );
    expect(() =>
      render(withRedis({ ...redis, snapshot: { cronJob: 'redis-snapshot', maxAgeHours: 0 } })),
    ).toThrow('monitoringRules.datastores.redis.snapshot.maxAgeHours must be an integer >= 1 (got 0)');
  });
});

describe('alertTableMarkdown', () => {
  it('has one anchored row per alert, in catalogue order', () => {
    const lines = alertTableMarkdown().trim().split('\n');
    expect(lines[0]).toBe('| Alert | Severity | Meaning | First thing to check |');
    const rows = lines.slice(2);
    expect(rows.length).toBe(ALERTS.length);
    rows.forEach((row, i) => {
      const a = ALERTS[i]!;
      expect(
        row.startsWith(`| <a id="alert-${a.name.toLowerCase()}"></a>\`${a.name}\` | ${a.severity} |`),
      ).toBe(true);
    });
  });
});

describe('KSM_BACKUP_CUSTOM_RESOURCE_STATE', () => {
  it('exports the metric the backup alert reads, with the labels it selects by', () => {
    const [resource] = KSM_BACKUP_CUSTOM_RESOURCE_STATE.spec.resources;
    const metric = `${resource?.metricNamePrefix}_${resource?.metrics[0]?.name}`;
    const rule = alertsOf().find((a) => a.alert === 'MongodbBackupTooOld');
    expect(rule?.expr).toContain(`${metric}{namespace="data", cluster="mongodb", state="ready"}`);
    expect(Object.keys(resource?.labelsFromPath ?? {})).toEqual(
      expect.arrayContaining(['namespace', 'cluster', 'state']),
    );
  });
});
