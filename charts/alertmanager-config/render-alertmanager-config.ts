import { stringify } from 'yaml';
import type {
  AlertmanagerConfigProps,
  AlertmanagerSecretRef,
  ChatReceiver,
  PagingReceiver,
  RenderedAlertmanagerConfig,
  WebhookTarget,
} from './alertmanager-config-props';
import {
  authScheme,
  duration,
  durationMs,
  environment as checkEnvironment,
  fail,
  labelName,
  secretKey,
  secretName,
  slackChannel,
  webhookUrl,
} from './alertmanager-validation';
import {
  pagerDutyDescriptionTemplate,
  pagerDutyDetails,
  textTemplate,
  titleTemplate,
} from './message-templates';

export const DEFAULT_GROUP_BY: readonly string[] = ['alertname', 'namespace', 'service'];
export const DEFAULT_GROUP_WAIT = '30s';
export const DEFAULT_GROUP_INTERVAL = '5m';
export const DEFAULT_REPEAT_INTERVAL = '4h';
export const DEFAULT_RESOLVE_TIMEOUT = '5m';
export const DEFAULT_WATCHDOG_REPEAT_INTERVAL = '1m';
export const DEFAULT_SECRETS_MOUNT_PATH = '/etc/alertmanager/secrets';
export const DEFAULT_AUTHORIZATION_TYPE = 'Bearer';

/** Receiver names in the rendered config; amtool routes tests and the README refer to them. */
export const RECEIVER = { chat: 'chat', paging: 'paging', watchdog: 'watchdog', null: 'null' } as const;

// Matchers in the quoted form that Alertmanager 0.25's parser and the UTF-8 parser of 0.27+ both accept.
const WATCHDOG_MATCHER = 'alertname="Watchdog"';
const CRITICAL_MATCHER = 'severity="critical"';
const WARNING_MATCHER = 'severity="warning"';
const POD_SCOPE_MATCHER = 'scope="pod"';
// Symptoms of a service that is down anyway: its error rate, latency and SLO burn alerts.
const SERVICE_SYMPTOMS_MATCHER = 'alertname=~"ServiceHighErrorRate|ServiceHighLatency|SLO.+BurnRate.*"';

/**
 * Renders alertmanager.yaml for one environment. Receivers read their Slack URL, PagerDuty key or webhook
 * credential from files under `secretsMountPath`, so the document holds no secret and can be logged, diffed
 * and checked with `amtool check-config`.
 *
 * Routing: Watchdog -> watchdog (short repeat); critical -> paging (prod) and chat; warning -> chat; anything
 * else -> chat; a missing receiver becomes 'null'. Inhibition: NamespaceOutage mutes pod alerts of its
 * namespace; ServiceDown mutes its service's symptoms and pod alerts; a critical mutes the same warning.
 */
export function renderAlertmanagerConfig(props: AlertmanagerConfigProps): RenderedAlertmanagerConfig {
  const ctx = props.context ?? 'monitoring';
  const env = checkEnvironment(`${ctx}.environment`, props.environment);
  const mount = (props.secretsMountPath ?? DEFAULT_SECRETS_MOUNT_PATH).replace(/\/+$/, '');
  if (!mount.startsWith('/'))
    fail(`${ctx}.secretsMountPath`, 'must be an absolute path', props.secretsMountPath);

  const { chat, paging } = props.receivers;
  // Which environments page is the stacks' decision (platform:monitoring.paging, on in prod only): a paging
  // receiver here means this environment pages.

  const grouping = props.grouping ?? {};
  const groupBy = resolveGroupBy(`${ctx}.grouping.groupBy`, grouping.groupBy ?? DEFAULT_GROUP_BY);
  const groupWait = duration(`${ctx}.grouping.groupWait`, grouping.groupWait ?? DEFAULT_GROUP_WAIT, {
    positive: false,
  });
  const groupInterval = duration(
    `${ctx}.grouping.groupInterval`,
    grouping.groupInterval ?? DEFAULT_GROUP_INTERVAL,
    {
      positive: true,
    },
  );
  const repeatInterval = duration(
    `${ctx}.grouping.repeatInterval`,
    grouping.repeatInterval ?? DEFAULT_REPEAT_INTERVAL,
    { positive: true },
  );
  // Repeats are only sent at group_interval ticks, so a shorter repeat_interval would silently not apply.
  if (
    durationMs('', repeatInterval, { positive: true }) < durationMs('', groupInterval, { positive: true })
  ) {
    fail(
      `${ctx}.grouping.repeatInterval`,
      `must be at least groupInterval (${groupInterval})`,
      repeatInterval,
    );
  }
  const resolveTimeout = duration(`${ctx}.resolveTimeout`, props.resolveTimeout ?? DEFAULT_RESOLVE_TIMEOUT, {
    positive: true,
  });

  const secrets = new Set<string>();
  const file = (field: string, ref: AlertmanagerSecretRef): string => {
    const name = secretName(`${field}.name`, ref.name);
    const key = secretKey(`${field}.key`, ref.key);
    secrets.add(name);
    return `${mount}/${name}/${key}`;
  };

  const receivers: Record<string, unknown>[] = [{ name: RECEIVER.null }];
  if (chat !== undefined) receivers.push(chatReceiver(`${ctx}.receivers.chat`, chat, env, file));
  if (paging !== undefined) receivers.push(pagingReceiver(`${ctx}.receivers.paging`, paging, env, file));

  let watchdogRepeat: string | undefined;
  if (props.watchdog !== undefined) {
    const field = `${ctx}.watchdog`;
    watchdogRepeat = duration(
      `${field}.repeatInterval`,
      props.watchdog.repeatInterval ?? DEFAULT_WATCHDOG_REPEAT_INTERVAL,
      { positive: true },
    );
    // Only firing pings: a "resolved" Watchdog would look like a heartbeat to most services.
    receivers.push({
      name: RECEIVER.watchdog,
      webhook_configs: [{ ...webhook(field, props.watchdog, file), send_resolved: false }],
    });
  }

  const chatName = chat !== undefined ? RECEIVER.chat : RECEIVER.null;
  const routes: Record<string, unknown>[] = [
    watchdogRepeat !== undefined
      ? {
          receiver: RECEIVER.watchdog,
          matchers: [WATCHDOG_MATCHER],
          // group_interval as short as the repeat, or the repeat would wait for the next group tick.
          group_wait: '0s',
          group_interval: watchdogRepeat,
          repeat_interval: watchdogRepeat,
        }
      : { receiver: RECEIVER.null, matchers: [WATCHDOG_MATCHER] },
  ];
  if (paging !== undefined) {
    // continue: the next route delivers the same critical to chat as well.
    routes.push({ receiver: RECEIVER.paging, matchers: [CRITICAL_MATCHER], continue: true });
  }
  if (chat !== undefined) {
    routes.push({ receiver: RECEIVER.chat, matchers: [CRITICAL_MATCHER] });
    routes.push({ receiver: RECEIVER.chat, matchers: [WARNING_MATCHER] });
  }

  const config: Record<string, unknown> = {
    global: { resolve_timeout: resolveTimeout },
    route: {
      receiver: chatName,
      group_by: groupBy,
      group_wait: groupWait,
      group_interval: groupInterval,
      repeat_interval: repeatInterval,
      routes,
    },
    inhibit_rules: inhibitRules(),
    receivers,
  };

  return {
    config,
    yaml: stringify(config, { lineWidth: 0 }),
    secretNames: [...secrets].sort(),
  };
}

/** The inhibition rules, the same in every environment (they only depend on alert names and labels). */
export function inhibitRules(): Record<string, unknown>[] {
  return [
    // A whole namespace is down: its pods' alerts are noise.
    {
      source_matchers: ['alertname="NamespaceOutage"'],
      target_matchers: [POD_SCOPE_MATCHER],
      equal: ['namespace'],
    },
    // A service is down: its error rate, latency and SLO burn follow from that.
    {
      source_matchers: ['alertname="ServiceDown"'],
      target_matchers: [SERVICE_SYMPTOMS_MATCHER],
      equal: ['namespace', 'service'],
    },
    // ... and so do its pods' alerts (those carry the service label).
    {
      source_matchers: ['alertname="ServiceDown"'],
      target_matchers: [POD_SCOPE_MATCHER],
      equal: ['namespace', 'service'],
    },
    // The critical form of an alert mutes its warning form.
    {
      source_matchers: [CRITICAL_MATCHER],
      target_matchers: [WARNING_MATCHER],
      equal: ['alertname', 'namespace', 'service'],
    },
  ];
}

function resolveGroupBy(field: string, groupBy: readonly string[]): string[] {
  if (groupBy.length === 1 && groupBy[0] === '...') return ['...'];
  if (groupBy.length === 0)
    fail(field, "must name at least one label (or be ['...'] for all labels)", groupBy);
  groupBy.forEach((label, i) => labelName(`${field}[${i}]`, label));
  const duplicate = groupBy.find((label, i) => groupBy.indexOf(label) !== i);
  if (duplicate !== undefined) fail(field, 'must not repeat a label', duplicate);
  return [...groupBy];
}

type SecretFile = (field: string, ref: AlertmanagerSecretRef) => string;

function webhook(field: string, target: WebhookTarget, file: SecretFile): Record<string, unknown> {
  const path = file(`${field}.secret`, target.secret);
  if (target.url === undefined) {
    if (target.authorizationType !== undefined) {
      fail(
        `${field}.authorizationType`,
        'needs url (without url the Secret holds the URL)',
        target.authorizationType,
      );
    }
    return { url_file: path };
  }
  return {
    url: webhookUrl(`${field}.url`, target.url),
    http_config: {
      authorization: {
        type: authScheme(
          `${field}.authorizationType`,
          target.authorizationType ?? DEFAULT_AUTHORIZATION_TYPE,
        ),
        credentials_file: path,
      },
    },
  };
}

function chatReceiver(
  field: string,
  chat: ChatReceiver,
  env: string,
  file: SecretFile,
): Record<string, unknown> {
  switch (chat.kind) {
    case 'slack':
      return {
        name: RECEIVER.chat,
        slack_configs: [
          {
            api_url_file: file(`${field}.secret`, chat.secret),
            ...(chat.channel !== undefined && { channel: slackChannel(`${field}.channel`, chat.channel) }),
            send_resolved: true,
            title: titleTemplate(env),
            text: textTemplate(env),
          },
        ],
      };
    case 'webhook':
      return {
        name: RECEIVER.chat,
        webhook_configs: [{ ...webhook(field, chat, file), send_resolved: true }],
      };
    default:
      return fail(`${field}.kind`, "must be 'slack' or 'webhook'", (chat as { kind: unknown }).kind);
  }
}

function pagingReceiver(
  field: string,
  paging: PagingReceiver,
  env: string,
  file: SecretFile,
): Record<string, unknown> {
  switch (paging.kind) {
    case 'pagerduty':
      return {
        name: RECEIVER.paging,
        pagerduty_configs: [
          {
            // Events API v2: resolved notifications close the incident.
            routing_key_file: file(`${field}.secret`, paging.secret),
            send_resolved: true,
            severity: 'critical',
            description: pagerDutyDescriptionTemplate(env),
            details: pagerDutyDetails(env),
          },
        ],
      };
    case 'webhook':
      return {
        name: RECEIVER.paging,
        webhook_configs: [{ ...webhook(field, paging, file), send_resolved: true }],
      };
    default:
      return fail(`${field}.kind`, "must be 'pagerduty' or 'webhook'", (paging as { kind: unknown }).kind);
  }
}
