import { parse } from 'yaml';
import type { AlertmanagerConfigProps } from './alertmanager-config-props';
import { EXAMPLE_SHAPES } from './example-shapes';
import { inhibitRules, renderAlertmanagerConfig } from './render-alertmanager-config';

type Route = {
  receiver: string;
  matchers?: string[];
  continue?: boolean;
  repeat_interval?: string;
  group_interval?: string;
};
type Receiver = { name: string } & Record<string, unknown>;

const render = (props: AlertmanagerConfigProps) => renderAlertmanagerConfig(props);
const routeOf = (props: AlertmanagerConfigProps) =>
  render(props).config.route as { receiver: string; group_by: string[]; routes: Route[] } & Record<
    string,
    unknown
  >;
const receiversOf = (props: AlertmanagerConfigProps) => render(props).config.receivers as Receiver[];

describe('renderAlertmanagerConfig', () => {
  it('renders the YAML of exactly the config object', () => {
    for (const props of Object.values(EXAMPLE_SHAPES)) {
      const { config, yaml } = render(props);
      expect(parse(yaml)).toEqual(config);
    }
  });

  it('lists every referenced Secret once, sorted, for alertmanagerSpec.secrets', () => {
    expect(render(EXAMPLE_SHAPES.prod).secretNames).toEqual([
      'alertmanager-heartbeat',
      'alertmanager-pagerduty',
      'alertmanager-slack',
    ]);
    expect(render(EXAMPLE_SHAPES.qat).secretNames).toEqual(['alertmanager-chat', 'alertmanager-heartbeat']);
    expect(render(EXAMPLE_SHAPES.dev).secretNames).toEqual([]);
    const shared = render({
      environment: 'prod',
      receivers: {
        chat: { kind: 'slack', secret: { name: 'alerting', key: 'slack-url' } },
        paging: { kind: 'pagerduty', secret: { name: 'alerting', key: 'pagerduty-key' } },
      },
    });
    expect(shared.secretNames).toEqual(['alerting']);
    expect(shared.yaml).toContain('/etc/alertmanager/secrets/alerting/slack-url');
    expect(shared.yaml).toContain('/etc/alertmanager/secrets/alerting/pagerduty-key');
  });

  it('reads every credential from a mounted file and carries no inline secret field', () => {
    const { yaml } = render(EXAMPLE_SHAPES.prod);
    expect(yaml).toMatch(/api_url_file: \/etc\/alertmanager\/secrets\/alertmanager-slack\/webhook-url/);
    expect(yaml).toMatch(
      /routing_key_file: \/etc\/alertmanager\/secrets\/alertmanager-pagerduty\/routing-key/,
    );
    expect(yaml).toMatch(/credentials_file: \/etc\/alertmanager\/secrets\/alertmanager-heartbeat\/api-key/);
    expect(yaml).not.toMatch(/^\s*(api_url|routing_key|service_key|credentials|bearer_token|password):/m);
  });

  it('honours secretsMountPath', () => {
    const { yaml } = render({ ...EXAMPLE_SHAPES.uat, secretsMountPath: '/run/secrets/' });
    expect(yaml).toContain('api_url_file: /run/secrets/alertmanager-slack/webhook-url');
  });

  it('pages only from prod: critical to paging (continue) and then chat, warning to chat', () => {
    const route = routeOf(EXAMPLE_SHAPES.prod);
    expect(route.receiver).toBe('chat');
    expect(route.group_by).toEqual(['alertname', 'namespace', 'service']);
    expect(route.routes.map((r) => [r.receiver, r.matchers, r.continue ?? false])).toEqual([
      ['watchdog', ['alertname="Watchdog"'], false],
      ['paging', ['severity="critical"'], true],
      ['chat', ['severity="critical"'], false],
      ['chat', ['severity="warning"'], false],
    ]);
    for (const env of ['qat', 'uat'] as const) {
      expect(routeOf(EXAMPLE_SHAPES[env]).routes.map((r) => r.receiver)).toEqual([
        'watchdog',
        'chat',
        'chat',
      ]);
      expect(receiversOf(EXAMPLE_SHAPES[env]).map((r) => r.name)).not.toContain('paging');
    }
  });

  it('sends everything to null without receivers, Watchdog included', () => {
    const route = routeOf(EXAMPLE_SHAPES.dev);
    expect(route.receiver).toBe('null');
    expect(route.routes).toEqual([{ receiver: 'null', matchers: ['alertname="Watchdog"'] }]);
    expect(receiversOf(EXAMPLE_SHAPES.dev)).toEqual([{ name: 'null' }]);
  });

  it('repeats the heartbeat at the watchdog interval, with a group interval no longer than it', () => {
    const watchdog = routeOf({
      ...EXAMPLE_SHAPES.qat,
      watchdog: { ...EXAMPLE_SHAPES.qat.watchdog!, repeatInterval: '5m' },
    }).routes[0];
    expect(watchdog).toMatchObject({
      receiver: 'watchdog',
      group_wait: '0s',
      group_interval: '5m',
      repeat_interval: '5m',
    });
    expect(routeOf(EXAMPLE_SHAPES.prod).routes[0]).toMatchObject({
      repeat_interval: '1m',
      group_interval: '1m',
    });
    const receiver = receiversOf(EXAMPLE_SHAPES.prod).find((r) => r.name === 'watchdog');
    expect(receiver).toEqual({
      name: 'watchdog',
      webhook_configs: [
        {
          url: 'https://api.opsgenie.com/v2/heartbeats/platform-prod/ping',
          http_config: {
            authorization: {
              type: 'GenieKey',
              credentials_file: '/etc/alertmanager/secrets/alertmanager-heartbeat/api-key',
            },
          },
          send_resolved: false,
        },
      ],
    });
  });

  it('sends resolved notifications to chat and paging', () => {
    const receivers = receiversOf(EXAMPLE_SHAPES.prod);
    const first = (name: string, field: string) =>
      ((receivers.find((r) => r.name === name)?.[field] as Record<string, unknown>[] | undefined) ?? [])[0];
    expect(first('chat', 'slack_configs')).toMatchObject({ send_resolved: true, channel: '#alerts-prod' });
    expect(first('paging', 'pagerduty_configs')).toMatchObject({ send_resolved: true, severity: 'critical' });
    expect(first('chat', 'slack_configs')?.title).toContain('.CommonLabels.environment');
    expect(String(first('chat', 'slack_configs')?.text)).toMatch(/summary[\s\S]*runbook_url/);
  });

  it('applies grouping overrides and the defaults', () => {
    const route = routeOf({
      ...EXAMPLE_SHAPES.uat,
      grouping: {
        groupBy: ['alertname', 'cluster'],
        groupWait: '10s',
        groupInterval: '2m',
        repeatInterval: '1d',
      },
    });
    expect(route).toMatchObject({
      group_by: ['alertname', 'cluster'],
      group_wait: '10s',
      group_interval: '2m',
      repeat_interval: '1d',
    });
    expect(routeOf(EXAMPLE_SHAPES.uat)).toMatchObject({
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
    });
    expect(routeOf({ ...EXAMPLE_SHAPES.uat, grouping: { groupBy: ['...'] } }).group_by).toEqual(['...']);
  });

  it('renders a webhook chat and paging receiver', () => {
    const receivers = receiversOf({
      environment: 'prod',
      receivers: {
        chat: {
          kind: 'webhook',
          url: 'https://chat.example.com/hook',
          secret: { name: 'chat', key: 'token' },
        },
        paging: { kind: 'webhook', secret: { name: 'pager', key: 'url' } },
      },
    });
    expect(receivers.find((r) => r.name === 'chat')).toEqual({
      name: 'chat',
      webhook_configs: [
        {
          url: 'https://chat.example.com/hook',
          http_config: {
            authorization: { type: 'Bearer', credentials_file: '/etc/alertmanager/secrets/chat/token' },
          },
          send_resolved: true,
        },
      ],
    });
    expect(receivers.find((r) => r.name === 'paging')).toEqual({
      name: 'paging',
      webhook_configs: [{ url_file: '/etc/alertmanager/secrets/pager/url', send_resolved: true }],
    });
  });
});

describe('inhibition rules', () => {
  // A small model of Alertmanager's inhibition (anchored regexes, equal labels compared with "" for missing),
  // applied to the rendered rules. amtool 0.25 cannot test inhibition: it has no command for it.
  type Labels = Record<string, string>;
  const matches = (matcher: string, labels: Labels): boolean => {
    const m = /^([a-z_]+)(=~|=)"(.*)"$/.exec(matcher);
    if (m === null) throw new Error(`unexpected matcher ${matcher}`);
    const [, name = '', op, value = ''] = m;
    const actual = labels[name] ?? '';
    return op === '=' ? actual === value : new RegExp(`^(?:${value})$`).test(actual);
  };
  const rules = render(EXAMPLE_SHAPES.prod).config.inhibit_rules as {
    source_matchers: string[];
    target_matchers: string[];
    equal: string[];
  }[];
  const mutes = (source: Labels, target: Labels): boolean =>
    rules.some(
      (rule) =>
        rule.source_matchers.every((m) => matches(m, source)) &&
        rule.target_matchers.every((m) => matches(m, target)) &&
        !rule.source_matchers.every((m) => matches(m, target)) &&
        rule.equal.every((label) => (source[label] ?? '') === (target[label] ?? '')),
    );

  const down = { alertname: 'ServiceDown', severity: 'critical', namespace: 'apps', service: 'order' };
  const outage = { alertname: 'NamespaceOutage', severity: 'critical', namespace: 'apps' };
  const pod = {
    alertname: 'PodCrashLooping',
    severity: 'warning',
    scope: 'pod',
    namespace: 'apps',
    service: 'order',
  };

  it('is the same list in every environment', () => {
    for (const props of Object.values(EXAMPLE_SHAPES))
      expect(render(props).config.inhibit_rules).toEqual(inhibitRules());
    expect(rules).toHaveLength(4);
  });

  it('lets NamespaceOutage mute pod alerts of its namespace only', () => {
    expect(mutes(outage, pod)).toBe(true);
    expect(mutes(outage, { ...pod, namespace: 'data' })).toBe(false);
    expect(mutes(outage, { ...pod, scope: undefined } as unknown as Labels)).toBe(false);
    expect(mutes(outage, down)).toBe(false);
  });

  it("lets ServiceDown mute its own service's symptoms, SLO burns and pod alerts", () => {
    for (const alertname of [
      'ServiceHighErrorRate',
      'ServiceHighLatency',
      'SLOAvailabilityBurnRateHigh',
      'SLOAvailabilityBurnRateElevated',
      'SLOLatencyBurnRateHigh',
      'SLOLatencyBurnRateElevated',
    ]) {
      expect(mutes(down, { ...down, alertname, severity: 'warning' })).toBe(true);
      expect(mutes(down, { ...down, alertname, service: 'user' })).toBe(false);
      expect(mutes(down, { ...down, alertname, namespace: 'data' })).toBe(false);
    }
    expect(mutes(down, pod)).toBe(true);
    expect(mutes(down, { ...pod, service: 'user' })).toBe(false);
    expect(
      mutes(down, {
        ...down,
        alertname: 'OutboxBacklogGrowing',
        severity: 'warning',
        scope: undefined,
      } as unknown as Labels),
    ).toBe(false);
  });

  it('lets a critical mute the same alert at warning for the same service only', () => {
    const high = {
      alertname: 'KafkaConsumerLagGrowing',
      severity: 'critical',
      namespace: 'data',
      service: 'order',
    };
    expect(mutes(high, { ...high, severity: 'warning' })).toBe(true);
    expect(mutes(high, { ...high, severity: 'warning', service: 'user' })).toBe(false);
    expect(mutes(high, { ...high, alertname: 'KafkaOfflinePartitions', severity: 'warning' })).toBe(false);
    expect(mutes({ ...high, severity: 'warning' }, high)).toBe(false);
  });
});

describe('renderAlertmanagerConfig errors', () => {
  const slack = { kind: 'slack', secret: { name: 'alertmanager-slack', key: 'url' } } as const;
  const pd = { kind: 'pagerduty', secret: { name: 'alertmanager-pagerduty', key: 'key' } } as const;
  const bad = (props: AlertmanagerConfigProps) => () => render(props);

  it("pages wherever a paging receiver is given: which environments page is the stack config's decision", () => {
    const rendered = render({ environment: 'staging', receivers: { chat: slack, paging: pd } });
    expect(JSON.stringify(rendered.config)).toContain('"paging"');
    expect(JSON.stringify(render({ environment: 'prod', receivers: { chat: slack } }).config)).not.toContain(
      'routing_key_file',
    );
  });

  it('refuses an environment that is not a DNS label and uses the given context', () => {
    expect(bad({ environment: 'Prod', receivers: {}, context: 'platform:monitoring' })).toThrow(
      'platform:monitoring.environment must be a DNS label such as "prod" (got "Prod")',
    );
    expect(bad({ environment: 'my env', receivers: {} })).toThrow(
      'monitoring.environment must be a DNS label such as "prod" (got "my env")',
    );
  });

  it.each([
    ['groupWait', '30', 'monitoring.grouping.groupWait must be an Alertmanager duration'],
    ['groupWait', '', 'monitoring.grouping.groupWait must be an Alertmanager duration'],
    ['groupInterval', '5 m', 'monitoring.grouping.groupInterval must be an Alertmanager duration'],
    ['groupInterval', '0s', 'monitoring.grouping.groupInterval must be longer than zero (got "0s")'],
    ['repeatInterval', '1m1h', 'monitoring.grouping.repeatInterval must be an Alertmanager duration'],
    ['repeatInterval', '1.5h', 'monitoring.grouping.repeatInterval must be an Alertmanager duration'],
    [
      'repeatInterval',
      '1m',
      'monitoring.grouping.repeatInterval must be at least groupInterval (5m) (got "1m")',
    ],
  ])('refuses grouping.%s %j', (field, value, message) => {
    expect(bad({ environment: 'dev', receivers: {}, grouping: { [field]: value } })).toThrow(message);
  });

  it('accepts compound durations', () => {
    expect(
      routeOf({ environment: 'dev', receivers: {}, grouping: { repeatInterval: '1d12h', groupWait: '0s' } }),
    ).toMatchObject({ repeat_interval: '1d12h', group_wait: '0s' });
  });

  it('refuses bad watchdog and resolve durations', () => {
    expect(
      bad({ ...EXAMPLE_SHAPES.qat, watchdog: { ...EXAMPLE_SHAPES.qat.watchdog!, repeatInterval: '60' } }),
    ).toThrow('monitoring.watchdog.repeatInterval must be an Alertmanager duration');
    expect(bad({ environment: 'dev', receivers: {}, resolveTimeout: '5min' })).toThrow(
      'monitoring.resolveTimeout must be an Alertmanager duration',
    );
  });

  it('refuses Secret names that are not DNS names and keys that are not Secret keys', () => {
    expect(
      bad({
        environment: 'uat',
        receivers: { chat: { ...slack, secret: { name: 'Slack_Secret', key: 'url' } } },
      }),
    ).toThrow(
      'monitoring.receivers.chat.secret.name must be a DNS subdomain name (lowercase a-z, 0-9, "-" and ".", at most 253 characters) (got "Slack_Secret")',
    );
    expect(
      bad({ environment: 'uat', receivers: { chat: { ...slack, secret: { name: 'slack', key: 'a/b' } } } }),
    ).toThrow(
      'monitoring.receivers.chat.secret.key must be a Secret key: 1..253 characters of [-._a-zA-Z0-9] (got "a/b")',
    );
    expect(
      bad({
        environment: 'prod',
        receivers: { chat: slack, paging: { ...pd, secret: { name: 'pd', key: '' } } },
      }),
    ).toThrow('monitoring.receivers.paging.secret.key must be a Secret key');
    expect(
      bad({ environment: 'qat', receivers: {}, watchdog: { secret: { name: '-hb', key: 'url' } } }),
    ).toThrow('monitoring.watchdog.secret.name must be a DNS subdomain name');
  });

  it('refuses bad webhook URLs, authorization types, channels and group_by labels', () => {
    const hook = (url: string) => ({
      environment: 'qat',
      receivers: {},
      watchdog: { url, secret: { name: 'hb', key: 't' } },
    });
    expect(bad(hook('ftp://hb.example.com'))).toThrow(
      'monitoring.watchdog.url must be an http or https URL (got "ftp://hb.example.com")',
    );
    expect(bad(hook('not a url'))).toThrow('monitoring.watchdog.url must be an http or https URL');
    expect(bad(hook('https://user:pw@hb.example.com/'))).toThrow(
      'monitoring.watchdog.url must not carry credentials; put them in the Secret',
    );
    expect(
      bad({
        ...hook('https://hb.example.com'),
        watchdog: {
          url: 'https://hb.example.com',
          authorizationType: 'Basic',
          secret: { name: 'hb', key: 't' },
        },
      }),
    ).toThrow(
      'monitoring.watchdog.authorizationType must be an HTTP authorization scheme token other than Basic',
    );
    expect(
      bad({
        environment: 'qat',
        receivers: {},
        watchdog: { authorizationType: 'Bearer', secret: { name: 'hb', key: 't' } },
      }),
    ).toThrow('monitoring.watchdog.authorizationType needs url');
    expect(bad({ environment: 'uat', receivers: { chat: { ...slack, channel: '#alerts prod' } } })).toThrow(
      'monitoring.receivers.chat.channel must be a Slack channel',
    );
    expect(
      bad({ environment: 'dev', receivers: {}, grouping: { groupBy: ['alertname', 'k8s-namespace'] } }),
    ).toThrow(
      'monitoring.grouping.groupBy[1] must be a label name [a-zA-Z_][a-zA-Z0-9_]* (got "k8s-namespace")',
    );
    expect(bad({ environment: 'dev', receivers: {}, grouping: { groupBy: [] } })).toThrow(
      'monitoring.grouping.groupBy must name at least one label',
    );
    expect(bad({ environment: 'dev', receivers: {}, grouping: { groupBy: ['service', 'service'] } })).toThrow(
      'monitoring.grouping.groupBy must not repeat a label (got "service")',
    );
    expect(bad({ environment: 'dev', receivers: {}, secretsMountPath: 'secrets' })).toThrow(
      'monitoring.secretsMountPath must be an absolute path',
    );
  });

  it('refuses an unknown receiver kind from untyped config', () => {
    const chat = { kind: 'teams', secret: { name: 'x', key: 'y' } } as unknown as typeof slack;
    expect(bad({ environment: 'uat', receivers: { chat } })).toThrow(
      `monitoring.receivers.chat.kind must be 'slack' or 'webhook' (got "teams")`,
    );
  });
});
