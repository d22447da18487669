import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTool } from '../../tools/prom-tools';
import type { AlertmanagerConfigProps } from './alertmanager-config-props';
import { EXAMPLE_SHAPES } from './example-shapes';
import { renderAlertmanagerConfig } from './render-alertmanager-config';

// Debian's amtool 0.25 (tools/run installs it). Receivers only name secret files; amtool check-config and
// routes test do not open them, so the YAML is checked exactly as rendered (the mount path does not exist here).
const DEFAULT_TEMPLATES = '/usr/share/prometheus/alertmanager/default.tmpl';

let dir = '';
const files: Record<string, string> = {};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'alertmanager-config-'));
  for (const [env, props] of Object.entries(EXAMPLE_SHAPES)) {
    files[env] = join(dir, `${env}.yaml`);
    writeFileSync(files[env], renderAlertmanagerConfig(props).yaml);
  }
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function configFile(env: string): string {
  const file = files[env];
  if (file === undefined) throw new Error(`no rendered config for ${env}`);
  return file;
}

/** The receivers amtool resolves for a label set, in routing-tree order. */
function routes(env: string, labels: Record<string, string>): string[] {
  const args = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  const result = runTool('amtool', ['config', 'routes', 'test', `--config.file=${configFile(env)}`, ...args]);
  expect(result.code).toBe(0);
  return result.stdout.trim().split(',');
}

/** amtool's own verdict: exit code 0 only when the label set resolves to exactly these receivers. */
function verify(env: string, receivers: string[], labels: Record<string, string>): number {
  const args = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  return runTool('amtool', [
    'config',
    'routes',
    'test',
    `--config.file=${configFile(env)}`,
    `--verify.receivers=${receivers.join(',')}`,
    ...args,
  ]).code;
}

const serviceAlert = (env: string, alertname: string, severity: string) => ({
  alertname,
  severity,
  environment: env,
  namespace: 'apps',
  service: 'order',
});

describe('amtool 0.25 check-config', () => {
  it('is really amtool 0.25 that checks', () => {
    expect(runTool('amtool', ['--version']).stdout + runTool('amtool', ['--version']).stderr).toMatch(
      /version 0\.25\./,
    );
    expect(existsSync('/etc/alertmanager/secrets')).toBe(false);
  });

  it.each(['dev', 'qat', 'uat', 'prod'])('accepts the %s config', (env) => {
    const result = runTool('amtool', ['check-config', configFile(env)]);
    expect(result.stdout).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });

  it('rejects a broken config, so the checks above can fail', () => {
    const file = join(dir, 'broken.yaml');
    writeFileSync(
      file,
      renderAlertmanagerConfig(EXAMPLE_SHAPES.prod).yaml.replace('routing_key_file', 'routing_key_path'),
    );
    const result = runTool('amtool', ['check-config', file]);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toContain('routing_key_path');
  });

  it('rejects webhook url_file (Alertmanager >= 0.26): why webhooks default to url + credentials_file', () => {
    const props: AlertmanagerConfigProps = {
      ...EXAMPLE_SHAPES.qat,
      watchdog: { secret: { name: 'alertmanager-heartbeat', key: 'url' } },
    };
    const rendered = renderAlertmanagerConfig(props);
    expect(rendered.yaml).toContain('url_file: /etc/alertmanager/secrets/alertmanager-heartbeat/url');
    const file = join(dir, 'url-file.yaml');
    writeFileSync(file, rendered.yaml);
    const result = runTool('amtool', ['check-config', file]);
    expect(result.code).not.toBe(0);
    expect(result.stdout).toMatch(/field url_file not found/);
  });
});

describe('amtool 0.25 config routes test', () => {
  it('sends a prod critical to paging and to chat', () => {
    const labels = serviceAlert('prod', 'ServiceDown', 'critical');
    expect(routes('prod', labels)).toEqual(['paging', 'chat']);
    expect(verify('prod', ['paging', 'chat'], labels)).toBe(0);
  });

  it('sends a prod SLO fast burn (critical) to paging and chat, and the slow burn (warning) to chat only', () => {
    expect(routes('prod', serviceAlert('prod', 'SLOAvailabilityBurnRateHigh', 'critical'))).toEqual([
      'paging',
      'chat',
    ]);
    expect(routes('prod', serviceAlert('prod', 'SLOAvailabilityBurnRateElevated', 'warning'))).toEqual([
      'chat',
    ]);
  });

  it('sends a prod warning to chat only', () => {
    const labels = serviceAlert('prod', 'ContainerMemoryNearLimit', 'warning');
    expect(routes('prod', labels)).toEqual(['chat']);
    expect(verify('prod', ['chat'], labels)).toBe(0);
    expect(verify('prod', ['paging', 'chat'], labels)).not.toBe(0);
  });

  it.each(['qat', 'uat'])('never pages from %s: a critical goes to chat', (env) => {
    const labels = serviceAlert(env, 'ServiceDown', 'critical');
    expect(routes(env, labels)).toEqual(['chat']);
    expect(verify(env, ['chat'], labels)).toBe(0);
  });

  it('never pages from dev: every alert goes to null', () => {
    for (const severity of ['critical', 'warning', 'none']) {
      expect(routes('dev', serviceAlert('dev', 'ServiceDown', severity))).toEqual(['null']);
    }
    expect(routes('dev', { alertname: 'Watchdog', severity: 'none' })).toEqual(['null']);
  });

  it.each(['qat', 'uat', 'prod'])('sends Watchdog from %s to the watchdog receiver only', (env) => {
    const labels = { alertname: 'Watchdog', severity: 'none', environment: env };
    expect(routes(env, labels)).toEqual(['watchdog']);
    expect(verify(env, ['watchdog'], labels)).toBe(0);
  });

  it('routes a critical without service or namespace labels', () => {
    expect(routes('prod', { alertname: 'KafkaOfflinePartitions', severity: 'critical' })).toEqual([
      'paging',
      'chat',
    ]);
    expect(routes('uat', { alertname: 'KafkaOfflinePartitions', severity: 'critical' })).toEqual(['chat']);
  });

  it('sends alerts without a known severity to chat, never to paging', () => {
    expect(routes('prod', { alertname: 'Unexpected', namespace: 'apps' })).toEqual(['chat']);
    expect(routes('prod', { alertname: 'Unexpected', severity: 'page' })).toEqual(['chat']);
  });
});

describe('amtool 0.25 template render of the chat and PagerDuty texts', () => {
  const data = join(tmpdir(), `alertmanager-template-data-${process.pid}.json`);
  const alert = {
    status: 'firing',
    labels: {
      alertname: 'ServiceDown',
      severity: 'critical',
      environment: 'prod',
      namespace: 'apps',
      service: 'order',
    },
    annotations: {
      summary: 'order has no healthy target',
      description: 'Every order target failed its scrape for 2m.',
      runbook_url: 'https://runbooks.platform.internal/ServiceDown',
    },
    startsAt: '2024-01-01T00:00:00Z',
    endsAt: '0001-01-01T00:00:00Z',
  };

  beforeAll(() => {
    writeFileSync(
      data,
      JSON.stringify({
        receiver: 'chat',
        status: 'firing',
        alerts: [alert, { ...alert, labels: { ...alert.labels, environment: undefined } }],
        groupLabels: { alertname: 'ServiceDown' },
        commonLabels: alert.labels,
        commonAnnotations: {},
        externalURL: 'http://127.0.0.1:9093',
      }),
    );
  });
  afterAll(() => rmSync(data, { force: true }));

  function render(text: string): string {
    const result = runTool('amtool', [
      'template',
      'render',
      `--template.glob=${DEFAULT_TEMPLATES}`,
      `--template.data=${data}`,
      `--template.text=${text}`,
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    return result.stdout;
  }

  type Receiver = {
    name: string;
    slack_configs?: Record<string, unknown>[];
    pagerduty_configs?: Record<string, unknown>[];
  };
  const receivers = (renderAlertmanagerConfig(EXAMPLE_SHAPES.prod).config.receivers ?? []) as Receiver[];
  const slack = receivers.find((r) => r.name === 'chat')?.slack_configs?.[0] ?? {};
  // uat's templates fall back to "uat" for an alert without the environment label.
  const uatReceivers = (renderAlertmanagerConfig(EXAMPLE_SHAPES.uat).config.receivers ?? []) as Receiver[];
  const uatSlack = uatReceivers.find((r) => r.name === 'chat')?.slack_configs?.[0] ?? {};
  const pagerduty = receivers.find((r) => r.name === 'paging')?.pagerduty_configs?.[0] ?? {};

  it('titles a Slack message with status, count, environment and alert name', () => {
    expect(render(String(slack.title))).toBe('[FIRING:2] prod ServiceDown');
  });

  it('lists environment, summary, description and runbook of every alert', () => {
    const text = render(String(slack.text));
    expect(text).toContain('*FIRING* [critical] prod namespace=apps service=order');
    expect(text).toContain('Summary: order has no healthy target');
    expect(text).toContain('Every order target failed its scrape for 2m.');
    expect(text).toContain('Runbook: https://runbooks.platform.internal/ServiceDown');
    expect(text.match(/Runbook: /g)).toHaveLength(2);
  });

  it("takes the environment from the alert's label and falls back to the rendered environment", () => {
    const text = render(String(uatSlack.text));
    expect(text.match(/\[critical\] prod /g)).toHaveLength(1);
    expect(text.match(/\[critical\] uat /g)).toHaveLength(1);
  });

  it('describes a PagerDuty incident and fills its details', () => {
    expect(render(String(pagerduty.description))).toBe('[prod] ServiceDown: order has no healthy target');
    const details = pagerduty.details as Record<string, string>;
    expect(render(details.runbook_url ?? '')).toBe('https://runbooks.platform.internal/ServiceDown');
    expect(render(details.firing ?? '')).toContain('summary = order has no healthy target');
    expect(render(details.num_firing ?? '')).toBe('2');
  });
});
