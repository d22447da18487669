/** `platform:monitoring`: levels, Prometheus sizing, receivers, alert enablement and the services' SLOs. */
import { ConfigError, parseEnvironment } from '.';

const DIGEST = 'f'.repeat(64);
const ECR = '111122223333.dkr.ecr.eu-west-1.amazonaws.com';
const eks = (monitoring?: Record<string, unknown>) => ({
  tier: 'eks',
  cluster: { region: 'eu-west-1', vpcCidr: '10.20.0.0/16' },
  services: {
    product: { image: `${ECR}/platform/product@sha256:${DIGEST}` },
    order: { image: `${ECR}/platform/order@sha256:${DIGEST}` },
  },
  backup: { storage: { bucket: 'platform-uat-backups' } },
  ...(monitoring && { monitoring }),
});
const onprem = (monitoring?: Record<string, unknown>) => ({
  tier: 'onprem',
  cluster: {
    context: 'onprem-dev',
    storageClass: 'standard',
    loadBalancer: { mode: 'metallb', addressPool: 'public' },
    registry: 'registry.local/platform',
  },
  services: { product: { image: 'registry.local/platform/product:1.0.0' } },
  backup: {
    storage: { bucket: 'backups', endpointUrl: 'https://minio.local:9000', credentialsSecret: 'backup-s3' },
  },
  ...(monitoring && { monitoring }),
});

function problems(stack: string, raw: Record<string, unknown>): string[] {
  try {
    parseEnvironment(stack, raw);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.problems.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error('expected the config to be refused');
}

const CHAT = { type: 'slack', secret: 'alertmanager-chat' };
const PAGING = { type: 'pagerduty', secret: 'alertmanager-paging' };

describe('platform:monitoring', () => {
  it('gives on-prem stacks one Prometheus and no Alertmanager, and EKS stacks 2 Prometheus and 3 Alertmanagers', () => {
    const dev = parseEnvironment('dev', onprem()).monitoring;
    expect(dev).toMatchObject({ level: 'basic', prometheusReplicas: 1, retention: '7d', storage: '20Gi' });
    expect(dev.receivers).toEqual({});
    const uat = parseEnvironment('uat', eks()).monitoring;
    expect(uat).toMatchObject({
      level: 'full',
      prometheusReplicas: 2,
      alertmanagerReplicas: 3,
      retention: '30d',
    });
  });

  it('resolves every deployed service SLO from the tier, the stack default and the service override', () => {
    const spec = parseEnvironment(
      'prod',
      eks({ slo: { availability: 0.999, services: { order: { latency: { thresholdSeconds: 0.25 } } } } }),
    );
    expect(spec.monitoring.slo).toEqual({
      product: { availability: 0.999, latency: { objective: 0.99, thresholdSeconds: 0.5 } },
      order: { availability: 0.999, latency: { objective: 0.99, thresholdSeconds: 0.25 } },
    });
  });

  it('fills in the Secret key each receiver type reads', () => {
    const { receivers } = parseEnvironment(
      'prod',
      eks({ paging: true, receivers: { chat: CHAT, paging: PAGING, watchdog: { secret: 'heartbeat' } } }),
    ).monitoring;
    expect(receivers).toEqual({
      chat: { ...CHAT, key: 'url' },
      paging: { ...PAGING, key: 'routing-key' },
      watchdog: { secret: 'heartbeat', key: 'url' },
    });
  });

  it.each([
    [
      { retention: '30 days' },
      'platform:monitoring.retention: must be a duration such as "15d" or "12w" (got "30 days")',
    ],
    [{ slo: { availability: 1.5 } }, 'platform:monitoring.slo.availability: value must be < 1 (got 1.5)'],
    [
      { slo: { services: { product: { latency: { objective: 0 } } } } },
      'platform:monitoring.slo.services.product.latency.objective: value must be > 0 (got 0)',
    ],
    [
      { receivers: { email: { to: 'ops@example.com' } } },
      'platform:monitoring.receivers.email: unknown key; allowed keys: chat, paging, watchdog',
    ],
    [
      { receivers: { chat: { type: 'teams', secret: 'chat' } } },
      'platform:monitoring.receivers.chat.type: must be one of "slack" | "webhook" (got "teams")',
    ],
    [
      { storage: '100GB' },
      'platform:monitoring.storage: must be a size with a binary unit such as "256Mi" or "20Gi" (got "100GB")',
    ],
    [
      { scrapeInterval: '0s' },
      'platform:monitoring.scrapeInterval: must be a duration such as "30s", "5m" or "4h" (got "0s")',
    ],
  ])('refuses %j with the field path', (monitoring, expected) => {
    expect(problems('uat', eks(monitoring))).toContain(expected);
  });

  it('refuses an SLO override for a service the stack does not deploy', () => {
    expect(problems('uat', eks({ slo: { services: { billing: { availability: 0.99 } } } }))).toEqual([
      'platform:monitoring.slo.services.billing: is not a service of this stack; allowed: order, product',
    ]);
  });

  it('refuses a latency threshold between histogram buckets, since the SLI could not be measured', () => {
    expect(problems('uat', eks({ slo: { latency: { thresholdSeconds: 0.3 } } }))).toEqual([
      "platform:monitoring.slo.latency.thresholdSeconds: must be a bound of the services' latency histogram: 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 (got 0.3)",
    ]);
  });

  it('refuses receivers where no Alertmanager runs, and paging without a paging receiver or the reverse', () => {
    expect(problems('dev', onprem({ receivers: { chat: CHAT } }))).toEqual([
      'platform:monitoring.receivers: need Alertmanager, which runs from level "alerting" (got level "basic" with receivers chat)',
    ]);
    expect(problems('prod', eks({ paging: true }))).toEqual([
      'platform:monitoring.receivers.paging: is required when monitoring.paging is true: {type: pagerduty | webhook, secret, key?}',
    ]);
    expect(problems('uat', eks({ receivers: { paging: PAGING } }))).toEqual([
      'platform:monitoring.paging: must be true when receivers.paging is set (got false): pages go out only where paging is on',
    ]);
  });

  it('refuses a repeat interval shorter than the group interval, which Alertmanager would not honour', () => {
    expect(problems('uat', eks({ grouping: { groupInterval: '10m', repeatInterval: '5m' } }))).toEqual([
      'platform:monitoring.grouping.repeatInterval: must be at least grouping.groupInterval (10m) (got "5m")',
    ]);
  });

  it('disables alerts by name', () => {
    expect(
      parseEnvironment('uat', eks({ disabledAlerts: ['KafkaConsumerLagGrowing'] })).monitoring.disabledAlerts,
    ).toEqual(['KafkaConsumerLagGrowing']);
  });

  it('refuses to disable an alert that does not exist, naming the allowed ones', () => {
    const [problem] = problems('uat', eks({ disabledAlerts: ['ServiceDown', 'ServiceDwn'] }));
    expect(problem).toMatch(
      /^platform:monitoring\.disabledAlerts\[1\]: is not an alert of the platform \(got "ServiceDwn"\); allowed: .*ServiceDown/,
    );
  });
});

describe('platform:monitoring.logs and .traces', () => {
  it('keeps a week of logs and three days of every trace on prem, a month and a quarter of traces on EKS', () => {
    expect(parseEnvironment('dev', onprem()).monitoring).toMatchObject({
      logs: { retention: '7d', storage: '20Gi' },
      traces: { retention: '72h', storage: '10Gi', sampleRatio: 1 },
    });
    expect(
      parseEnvironment(
        'prod',
        eks({ logs: { bucket: 'p-loki' }, traces: { bucket: 'p-tempo', sampleRatio: 0.1 } }),
      ).monitoring,
    ).toMatchObject({
      logs: { retention: '30d', bucket: 'p-loki' },
      traces: { retention: '336h', bucket: 'p-tempo', sampleRatio: 0.1 },
    });
  });

  it('refuses a bucket on prem, a trace retention in days and a sampling ratio above 1', () => {
    expect(problems('dev', onprem({ logs: { bucket: 'dev-loki' } }))).toEqual([
      'platform:monitoring.logs.bucket: applies to EKS only: on prem Loki keeps its data on a volume (got "dev-loki")',
    ]);
    expect(problems('uat', eks({ traces: { retention: '14d', sampleRatio: 1.5 } }))).toEqual([
      'platform:monitoring.traces.retention: must be a duration in hours such as "72h" or "336h" (got "14d")',
      'platform:monitoring.traces.sampleRatio: value must be <= 1 (got 1.5)',
    ]);
  });
});
