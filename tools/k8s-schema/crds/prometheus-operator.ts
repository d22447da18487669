/**
 * Prometheus Operator v0.85.0: ServiceMonitor, PodMonitor and PrometheusRule (monitoring.coreos.com/v1) and the
 * common parts of AlertmanagerConfig (v1alpha1: routes, inhibit rules, webhook/Slack/PagerDuty/e-mail receivers).
 * OAuth2 and proxy-connect-header scrape settings are not modelled.
 */
import type { JsonSchema } from '../schema-types';
import {
  array,
  bool,
  customResource,
  enumOf,
  excludes,
  freeForm,
  intOrString,
  integer,
  k8s,
  mapOf,
  object,
  requires,
  str,
  string,
  stringMap,
  strings,
} from './schema-builders';
import type { CrdSchema } from './schema-builders';

/** Prometheus duration, e.g. "30s", "1h30m", "0". */
const duration = string({
  pattern: '^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$',
});
const labelName = string({ pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$' });

/** The CRD accepts both spellings of every action. */
const RELABEL_ACTIONS = [
  ['replace', 'Replace'],
  ['keep', 'Keep'],
  ['drop', 'Drop'],
  ['hashmod', 'HashMod'],
  ['labelmap', 'LabelMap'],
  ['labeldrop', 'LabelDrop'],
  ['labelkeep', 'LabelKeep'],
  ['lowercase', 'Lowercase'],
  ['uppercase', 'Uppercase'],
  ['keepequal', 'KeepEqual'],
  ['dropequal', 'DropEqual'],
].flat();
const relabelConfig = object({
  action: enumOf(...RELABEL_ACTIONS),
  sourceLabels: array(labelName),
  separator: str,
  targetLabel: str,
  regex: str,
  modulus: integer(),
  replacement: str,
});

const safeTlsConfig = {
  ca: secretOrConfigMap(),
  cert: secretOrConfigMap(),
  keySecret: k8s.secretKeySelector,
  serverName: str,
  insecureSkipVerify: bool,
  minVersion: enumOf('TLS10', 'TLS11', 'TLS12', 'TLS13'),
  maxVersion: enumOf('TLS10', 'TLS11', 'TLS12', 'TLS13'),
};

function secretOrConfigMap(): JsonSchema {
  return object(
    { secret: k8s.secretKeySelector, configMap: k8s.configMapKeySelector },
    [],
    excludes('secret', 'configMap'),
  );
}

const basicAuth = object({ username: k8s.secretKeySelector, password: k8s.secretKeySelector });
const authorization = object({ type: str, credentials: k8s.secretKeySelector });
const scrapeProtocol = enumOf(
  'PrometheusProto',
  'OpenMetricsText0.0.1',
  'OpenMetricsText1.0.0',
  'PrometheusText0.0.4',
  'PrometheusText1.0.0',
);

/** Fields shared by ServiceMonitor endpoints and PodMonitor podMetricsEndpoints. */
const endpointFields: Record<string, JsonSchema> = {
  port: str,
  targetPort: intOrString,
  path: str,
  scheme: enumOf('http', 'https'),
  params: mapOf(strings),
  interval: duration,
  scrapeTimeout: duration,
  honorLabels: bool,
  honorTimestamps: bool,
  trackTimestampsStaleness: bool,
  relabelings: array(relabelConfig),
  metricRelabelings: array(relabelConfig),
  followRedirects: bool,
  enableHttp2: bool,
  filterRunning: bool,
  basicAuth,
  authorization,
  bearerTokenSecret: k8s.secretKeySelector,
  tlsConfig: object(safeTlsConfig),
  proxyUrl: string({ pattern: '^(http|https|socks5)://.+$' }),
  noProxy: str,
  proxyFromEnvironment: bool,
};

/** Fields shared by ServiceMonitor and PodMonitor specs. */
const monitorFields: Record<string, JsonSchema> = {
  jobLabel: str,
  podTargetLabels: strings,
  selector: k8s.labelSelector,
  selectorMechanism: enumOf('RelabelConfig', 'RoleSelector'),
  namespaceSelector: object({ any: bool, matchNames: strings }),
  attachMetadata: object({ node: bool }),
  scrapeClass: string({ minLength: 1 }),
  scrapeProtocols: array(scrapeProtocol),
  fallbackScrapeProtocol: scrapeProtocol,
  sampleLimit: integer(0),
  targetLimit: integer(0),
  labelLimit: integer(0),
  labelNameLengthLimit: integer(0),
  labelValueLengthLimit: integer(0),
  keepDroppedTargets: integer(0),
  scrapeClassicHistograms: bool,
  convertClassicHistogramsToNHCB: bool,
  nativeHistogramBucketLimit: integer(0),
  bodySizeLimit: string({ pattern: '(^0|([0-9]*[.])?[0-9]+((K|M|G|T|E|P)i?)?B)$' }),
};

const serviceMonitor = customResource(
  object({ ...monitorFields, targetLabels: strings, endpoints: array(object(endpointFields)) }, [
    'selector',
    'endpoints',
  ]),
);

const podMonitor = customResource(
  object(
    {
      ...monitorFields,
      podMetricsEndpoints: array(object({ ...endpointFields, portNumber: integer(1, 65535) })),
    },
    ['selector'],
  ),
);

const rule = object(
  {
    record: str,
    alert: str,
    expr: intOrString,
    for: duration,
    keep_firing_for: { ...duration, minLength: 1 },
    labels: stringMap,
    annotations: stringMap,
  },
  ['expr'],
  // Prometheus refuses to load a rule that is neither (or both) an alerting and a recording rule.
  { oneOf: [requires('alert'), requires('record')] },
);

const prometheusRule = customResource(
  object({
    groups: array(
      object(
        {
          name: string({ minLength: 1 }),
          labels: stringMap,
          interval: duration,
          query_offset: duration,
          limit: integer(0),
          // ThanosRuler only; the CRD's pattern is case-insensitive.
          partial_response_strategy: string({ pattern: '^([aA][bB][oO][rR][tT]|[wW][aA][rR][nN])?$' }),
          rules: array(rule),
        },
        ['name'],
      ),
    ),
  }),
);

const matcher = object(
  { name: string({ minLength: 1 }), value: str, matchType: enumOf('!=', '=', '=~', '!~'), regex: bool },
  ['name'],
);

/**
 * The CRD leaves child routes free-form, but the operator decodes them as routes and silently drops unknown
 * fields; nesting the route schema a few levels catches typos there too.
 */
function route(depth: number): JsonSchema {
  return object({
    receiver: str,
    groupBy: strings,
    groupWait: str,
    groupInterval: str,
    repeatInterval: str,
    matchers: array(matcher),
    continue: bool,
    muteTimeIntervals: strings,
    activeTimeIntervals: strings,
    routes: array(depth > 0 ? route(depth - 1) : freeForm),
  });
}

const httpConfig = object({
  authorization,
  basicAuth,
  bearerTokenSecret: k8s.secretKeySelector,
  tlsConfig: object(safeTlsConfig),
  followRedirects: bool,
  proxyUrl: string({ pattern: '^(http|https|socks5)://.+$' }),
  noProxy: str,
  proxyFromEnvironment: bool,
});

const keyValue = object({ key: string({ minLength: 1 }), value: str }, ['key', 'value']);

const receiver = object(
  {
    name: string({ minLength: 1 }),
    webhookConfigs: array(
      object({
        url: str,
        urlSecret: k8s.secretKeySelector,
        sendResolved: bool,
        httpConfig,
        maxAlerts: integer(0),
        timeout: duration,
      }),
    ),
    slackConfigs: array(
      object({
        apiURL: k8s.secretKeySelector,
        channel: str,
        username: str,
        color: str,
        title: str,
        titleLink: str,
        pretext: str,
        text: str,
        footer: str,
        fallback: str,
        iconEmoji: str,
        iconURL: str,
        linkNames: bool,
        sendResolved: bool,
        httpConfig,
      }),
    ),
    pagerdutyConfigs: array(
      object({
        routingKey: k8s.secretKeySelector,
        serviceKey: k8s.secretKeySelector,
        url: str,
        client: str,
        clientURL: str,
        description: str,
        severity: str,
        class: str,
        group: str,
        component: str,
        source: str,
        details: array(keyValue),
        sendResolved: bool,
        httpConfig,
      }),
    ),
    emailConfigs: array(
      object({
        to: str,
        from: str,
        hello: str,
        smarthost: str,
        authUsername: str,
        authPassword: k8s.secretKeySelector,
        authSecret: k8s.secretKeySelector,
        authIdentity: str,
        headers: array(keyValue),
        html: str,
        text: str,
        requireTLS: bool,
        tlsConfig: object(safeTlsConfig),
        sendResolved: bool,
      }),
    ),
  },
  ['name'],
);

const alertmanagerConfig = customResource(
  object({
    route: route(4),
    receivers: array(receiver),
    inhibitRules: array(object({ sourceMatch: array(matcher), targetMatch: array(matcher), equal: strings })),
  }),
);

export const PROMETHEUS_OPERATOR_SCHEMAS: readonly CrdSchema[] = [
  { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', schema: serviceMonitor },
  { apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor', schema: podMonitor },
  { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', schema: prometheusRule },
  { apiVersion: 'monitoring.coreos.com/v1alpha1', kind: 'AlertmanagerConfig', schema: alertmanagerConfig },
];
