/**
 * Envoy Gateway v1.5.1, gateway.envoyproxy.io/v1alpha1: EnvoyProxy (the Kubernetes provider, logging,
 * shutdown and Prometheus metrics), and the common parts of ClientTrafficPolicy and BackendTrafficPolicy.
 * Fields outside that subset fail as unknown, which errs on the side of a failing plan rather than a pruned field.
 */
import type { JsonSchema } from '../schema-types';
import { GATEWAY_API_FIELDS, GATEWAY_DURATION } from './gateway-api';
import {
  annotations,
  array,
  bool,
  customResource,
  enumOf,
  excludes,
  forbid,
  freeForm,
  intOrString,
  integer,
  k8s,
  labels,
  object,
  requires,
  str,
  string,
  stringMap,
  whenField,
} from './schema-builders';
import type { CrdSchema } from './schema-builders';

const API_VERSION = 'gateway.envoyproxy.io/v1alpha1';
const duration = GATEWAY_DURATION;
const { group, kind, sectionName, header } = GATEWAY_API_FIELDS;

/**
 * How Envoy Gateway merges `value` into the resource it generates. The CRD types it as a string; the controller
 * only knows these two. `value` is an object: the controller rejects strings of literal JSON.
 */
const patch = object({ type: enumOf('StrategicMerge', 'JSONMerge'), value: freeForm }, ['value']);

const envoyService = object(
  {
    name: str,
    type: enumOf('ClusterIP', 'LoadBalancer', 'NodePort'),
    annotations,
    labels,
    loadBalancerClass: str,
    allocateLoadBalancerNodePorts: bool,
    loadBalancerSourceRanges: array(str),
    loadBalancerIP: string({
      pattern:
        '^(([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])\\.){3}([0-9]|[1-9][0-9]|1[0-9]{2}|2[0-4][0-9]|25[0-5])$',
    }),
    externalTrafficPolicy: enumOf('Local', 'Cluster'),
    patch,
  },
  [],
  {
    // CEL: these only make sense for a LoadBalancer, the default type.
    if: whenField('type', 'ClusterIP', 'NodePort'),
    then: forbid('allocateLoadBalancerNodePorts', 'loadBalancerSourceRanges', 'loadBalancerIP'),
  },
);

const envoyDeployment = object({
  name: str,
  replicas: integer(0),
  strategy: k8s.deploymentStrategy,
  pod: object({
    annotations,
    labels,
    affinity: k8s.affinity,
    tolerations: k8s.tolerations,
    topologySpreadConstraints: k8s.topologySpreadConstraints,
    nodeSelector: stringMap,
    securityContext: k8s.podSecurityContext,
    imagePullSecrets: k8s.imagePullSecrets,
    volumes: k8s.volumes,
  }),
  container: object(
    {
      image: string({
        pattern: '^[a-zA-Z0-9._-]+(:[0-9]+)?(/[a-zA-Z0-9._/-]+)?(:[a-zA-Z0-9._-]+)?(@sha256:[a-z0-9]+)?$',
      }),
      imageRepository: string({ pattern: '^[a-zA-Z0-9._-]+(:[0-9]+)?[a-zA-Z0-9._/-]+$' }),
      resources: k8s.resources,
      securityContext: k8s.securityContext,
      env: k8s.env,
      volumeMounts: k8s.volumeMounts,
    },
    [],
    excludes('image', 'imageRepository'),
  ),
  initContainers: k8s.containers,
  patch,
});

const envoyHpa = object(
  {
    name: str,
    minReplicas: integer(1),
    maxReplicas: integer(1),
    metrics: array(k8s.hpaMetric),
    behavior: k8s.hpaBehavior,
    patch,
  },
  ['maxReplicas'],
);

const envoyPdb = object(
  { name: str, minAvailable: intOrString, maxUnavailable: intOrString, patch },
  [],
  // CEL: exactly one of the two.
  { oneOf: [requires('minAvailable'), requires('maxUnavailable')] },
);

const kubernetesProvider = object({
  envoyDeployment,
  envoyService,
  envoyHpa,
  envoyPDB: envoyPdb,
  envoyServiceAccount: object({ name: str }),
  useListenerPortAsContainerPort: bool,
});

const compression = object(
  {
    type: enumOf('Gzip', 'Brotli'),
    gzip: object({}),
    brotli: object({}),
  },
  ['type'],
);

const logLevel = enumOf('trace', 'debug', 'info', 'warn', 'error');

const envoyProxy = customResource(
  object({
    provider: object({ type: enumOf('Kubernetes', 'Custom'), kubernetes: kubernetesProvider }, ['type']),
    logging: object({ level: { type: 'object', additionalProperties: logLevel } }),
    shutdown: object({ drainTimeout: duration, minDrainDuration: duration }),
    concurrency: integer(),
    mergeGateways: bool,
    ipFamily: enumOf('IPv4', 'IPv6', 'DualStack'),
    extraArgs: array(str),
    telemetry: object({
      metrics: object({
        prometheus: object({ disable: bool, compression }),
        enableVirtualHostStats: bool,
        enablePerEndpointStats: bool,
        enableRequestResponseSizesStats: bool,
        matches: array(
          object(
            {
              type: enumOf('Exact', 'Prefix', 'Suffix', 'RegularExpression'),
              value: string({ minLength: 1, maxLength: 1024 }),
            },
            ['value'],
          ),
        ),
      }),
    }),
  }),
  { specRequired: false },
);

/** Policy target references; the CRD's CEL rules narrow group and kind per policy. */
function targetReference(kinds: readonly string[], withSectionName: boolean): JsonSchema {
  return object(
    {
      group: { ...group, enum: ['gateway.networking.k8s.io'] },
      kind: { ...kind, enum: [...kinds] },
      name: string({ minLength: 1, maxLength: 253 }),
      ...(withSectionName ? { sectionName } : {}),
    },
    ['group', 'kind', 'name'],
  );
}

const targetSelector = object(
  {
    group: { ...group, enum: ['gateway.networking.k8s.io'] },
    kind,
    matchLabels: stringMap,
    matchExpressions: array(k8s.labelSelectorRequirement),
  },
  ['kind'],
);

/** CEL: a policy targets through targetRef, targetRefs or targetSelectors, never both targetRef and targetRefs. */
function targetProperties(kinds: readonly string[], withSectionName: boolean): Record<string, JsonSchema> {
  return {
    targetRef: targetReference(kinds, withSectionName),
    targetRefs: array(targetReference(kinds, withSectionName)),
    targetSelectors: array(targetSelector),
  };
}
const TARGET_RULES: JsonSchema = {
  anyOf: [requires('targetRef'), requires('targetRefs'), requires('targetSelectors')],
  ...excludes('targetRef', 'targetRefs'),
};

/** An IPv4 or IPv6 CIDR; looser than the CRD's pattern, which spells out every address form. */
const cidr = string({ pattern: '^([0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*)/[0-9]{1,3}$' });
const tlsVersion = enumOf('Auto', '1.0', '1.1', '1.2', '1.3');

const clientTrafficPolicy = customResource(
  object(
    {
      ...targetProperties(['Gateway'], true),
      clientIPDetection: object(
        {
          xForwardedFor: object(
            { numTrustedHops: integer(0), trustedCIDRs: array(cidr, { minItems: 1 }) },
            [],
            {
              ...excludes('numTrustedHops', 'trustedCIDRs'),
            },
          ),
          customHeader: object(
            { name: string({ minLength: 1, maxLength: 255, pattern: '^[A-Za-z0-9-]+$' }), failClosed: bool },
            ['name'],
          ),
        },
        [],
        excludes('xForwardedFor', 'customHeader'),
      ),
      connection: object({
        bufferLimit: intOrString,
        socketBufferLimit: intOrString,
        maxAcceptPerSocketEvent: integer(0),
        connectionLimit: object({ value: integer(1), closeDelay: duration }, ['value']),
      }),
      timeout: object({
        http: object({
          requestReceivedTimeout: duration,
          idleTimeout: duration,
          streamIdleTimeout: duration,
        }),
        tcp: object({ idleTimeout: duration }),
      }),
      tcpKeepalive: object({ probes: integer(0), idleTime: duration, interval: duration }),
      enableProxyProtocol: bool,
      proxyProtocol: object({ optional: bool }),
      http1: object({
        enableTrailers: bool,
        preserveHeaderCase: bool,
        http10: object({ useDefaultHost: bool }),
      }),
      http2: object({
        initialStreamWindowSize: intOrString,
        initialConnectionWindowSize: intOrString,
        maxConcurrentStreams: integer(1, 2147483647),
        onInvalidMessage: enumOf('TerminateConnection', 'TerminateStream'),
      }),
      path: object({
        disableMergeSlashes: bool,
        escapedSlashesAction: enumOf(
          'KeepUnchanged',
          'RejectRequest',
          'UnescapeAndForward',
          'UnescapeAndRedirect',
        ),
      }),
      headers: object({
        enableEnvoyHeaders: bool,
        disableRateLimitHeaders: bool,
        preserveXRequestID: bool,
        requestID: enumOf('PreserveOrGenerate', 'Preserve', 'Generate', 'Disable'),
        withUnderscoresAction: enumOf('Allow', 'RejectRequest', 'DropHeader'),
        xForwardedClientCert: object({
          mode: enumOf('Sanitize', 'ForwardOnly', 'AppendForward', 'SanitizeSet', 'AlwaysForwardOnly'),
          certDetailsToAdd: array(enumOf('Subject', 'Cert', 'Chain', 'DNS', 'URI'), { maxItems: 5 }),
        }),
        earlyRequestHeaders: object({
          set: array(header, { maxItems: 64 }),
          add: array(header, { maxItems: 64 }),
          remove: array(str, { maxItems: 64 }),
        }),
      }),
      tls: object({
        minVersion: tlsVersion,
        maxVersion: tlsVersion,
        ciphers: array(str),
        ecdhCurves: array(str),
        signatureAlgorithms: array(str),
        alpnProtocols: array(enumOf('http/1.0', 'http/1.1', 'h2')),
      }),
      healthCheck: object({ path: string({ minLength: 1, maxLength: 1024 }) }, ['path']),
    },
    [],
    TARGET_RULES,
  ),
);

const ROUTE_TARGET_KINDS = ['Gateway', 'HTTPRoute', 'GRPCRoute', 'UDPRoute', 'TCPRoute', 'TLSRoute'];
const retryTriggers = enumOf(
  '5xx',
  'gateway-error',
  'reset',
  'reset-before-request',
  'connect-failure',
  'retriable-4xx',
  'refused-stream',
  'retriable-status-codes',
  'cancelled',
  'deadline-exceeded',
  'internal',
  'resource-exhausted',
  'unavailable',
);
const uint32 = integer(0, 4294967295);

const loadBalancer = object(
  {
    type: enumOf('ConsistentHash', 'LeastRequest', 'Random', 'RoundRobin'),
    consistentHash: object(
      {
        type: enumOf('SourceIP', 'Header', 'Cookie'),
        header: object({ name: str }, ['name']),
        cookie: object({ name: str, ttl: duration, attributes: stringMap }, ['name']),
        tableSize: integer(2, 5000011),
      },
      ['type'],
      {
        allOf: [
          { if: whenField('type', 'Header'), then: requires('header') },
          { if: whenField('type', 'Cookie'), then: requires('cookie') },
        ],
      },
    ),
    slowStart: object({ window: duration }, ['window']),
  },
  ['type'],
  {
    // CEL: consistentHash goes with (and only with) type ConsistentHash; no slow start for Random/ConsistentHash.
    allOf: [
      {
        if: whenField('type', 'ConsistentHash'),
        then: requires('consistentHash'),
        else: forbid('consistentHash'),
      },
      { if: whenField('type', 'Random', 'ConsistentHash'), then: forbid('slowStart') },
    ],
  },
);

/** Rate limit rules (local or global): who is counted (client selectors) and how many requests per unit. */
const rateLimitRule = object(
  {
    clientSelectors: array(
      object(
        {
          headers: array(
            object(
              {
                type: enumOf('Exact', 'RegularExpression', 'Distinct'),
                name: string({ minLength: 1, maxLength: 256 }),
                value: string({ maxLength: 1024 }),
                invert: bool,
              },
              ['name'],
            ),
            { maxItems: 16 },
          ),
          methods: array(object({ value: str, invert: bool }, ['value'])),
          sourceCIDR: object(
            { type: enumOf('Exact', 'Distinct'), value: string({ minLength: 1, maxLength: 256 }) },
            ['value'],
          ),
        },
        [],
        // CEL: at least one condition.
        { anyOf: [requires('headers'), requires('methods'), requires('sourceCIDR')] },
      ),
      { maxItems: 8 },
    ),
    limit: object(
      { requests: integer(0), unit: enumOf('Second', 'Minute', 'Hour', 'Day', 'Month', 'Year') },
      ['requests', 'unit'],
    ),
    shared: bool,
  },
  ['limit'],
);

const rateLimit = object(
  {
    type: enumOf('Global', 'Local'),
    local: object({ rules: array(rateLimitRule, { maxItems: 16 }) }),
    global: object({ rules: array(rateLimitRule, { maxItems: 128 }) }, ['rules']),
  },
  [],
  {
    allOf: [
      { if: whenField('type', 'Local'), then: requires('local') },
      { if: whenField('type', 'Global'), then: requires('global') },
    ],
  },
);

const backendTrafficPolicy = customResource(
  object(
    {
      ...targetProperties(ROUTE_TARGET_KINDS, false),
      loadBalancer,
      retry: object({
        numRetries: integer(0),
        numAttemptsPerPriority: integer(),
        retryOn: object({ triggers: array(retryTriggers), httpStatusCodes: array(integer(100, 599)) }),
        perRetry: object({
          timeout: duration,
          backOff: object({ baseInterval: duration, maxInterval: duration }),
        }),
      }),
      timeout: object({
        http: object({
          requestTimeout: duration,
          connectionIdleTimeout: duration,
          maxConnectionDuration: duration,
        }),
        tcp: object({ connectTimeout: duration }),
      }),
      circuitBreaker: object({
        maxConnections: uint32,
        maxPendingRequests: uint32,
        maxParallelRequests: uint32,
        maxParallelRetries: uint32,
        maxRequestsPerConnection: uint32,
        perEndpoint: object({ maxConnections: uint32 }),
      }),
      healthCheck: object({
        panicThreshold: integer(0, 100),
        passive: object({
          splitExternalLocalOriginErrors: bool,
          interval: duration,
          consecutiveLocalOriginFailures: integer(),
          consecutiveGatewayErrors: integer(),
          consecutive5XxErrors: integer(),
          baseEjectionTime: duration,
          maxEjectionPercent: integer(),
        }),
      }),
      tcpKeepalive: object({ probes: integer(0), idleTime: duration, interval: duration }),
      connection: object({ bufferLimit: intOrString, socketBufferLimit: intOrString }),
      proxyProtocol: object({ version: enumOf('V1', 'V2') }, ['version']),
      compression: array(compression),
      useClientProtocol: bool,
      rateLimit,
    },
    [],
    // CEL: targetRef(s) of this policy carry no sectionName, hence targetProperties(..., false).
    TARGET_RULES,
  ),
);

export const ENVOY_GATEWAY_SCHEMAS: readonly CrdSchema[] = [
  { apiVersion: API_VERSION, kind: 'EnvoyProxy', schema: envoyProxy },
  { apiVersion: API_VERSION, kind: 'ClientTrafficPolicy', schema: clientTrafficPolicy },
  { apiVersion: API_VERSION, kind: 'BackendTrafficPolicy', schema: backendTrafficPolicy },
];
