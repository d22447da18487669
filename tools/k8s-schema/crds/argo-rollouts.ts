/**
 * Argo Rollouts v1.9.0 (manifests/crds/rollout-crd.yaml and analysis-template-crd.yaml of that tag, plus the
 * rules its controller enforces in pkg/apis/rollouts/validation and utils/analysis ValidateMetric):
 * Rollout and AnalysisTemplate in argoproj.io/v1alpha1.
 *
 * Only what the platform uses is modelled, so anything else fails the plan instead of reaching the controller:
 * - traffic routing only through the Gateway API plugin `argoproj-labs/gatewayAPI` (v0.16.0 config:
 *   httpRoute | httpRoutes, namespace); the built-in routers (istio, nginx, alb, ...) are refused;
 * - canary steps setWeight, pause, analysis, setCanaryScale and plugin (no experiment, header or mirror routes);
 * - metric providers prometheus and web (job, datadog, ... are refused, naming the allowed ones);
 * - no antiAffinity, pingPong, authentication, rangeQuery or ClusterAnalysisTemplate objects.
 * Stricter than the CRD where the controller only fails later: exactly one strategy, one kind per step, a query
 * and an address on every Prometheus metric, Go durations where Argo parses them with time.ParseDuration.
 */
import type { JsonSchema } from '../schema-types';
import {
  annotations,
  array,
  bool,
  customResource,
  enumOf,
  excludes,
  forbid,
  freeForm,
  integer,
  k8s,
  labels,
  object,
  only,
  requires,
  str,
  string,
  whenField,
} from './schema-builders';
import type { CrdSchema } from './schema-builders';
import { kubernetesRef } from '../ajv-setup';

export const ARGO_ROLLOUTS_API_VERSION = 'argoproj.io/v1alpha1';
/** The one traffic-router plugin the platform registers (argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi). */
export const GATEWAY_API_PLUGIN = 'argoproj-labs/gatewayAPI';
/** The metric providers the platform's AnalysisTemplates may use. */
export const ANALYSIS_PROVIDERS = ['prometheus', 'web'] as const;
/** The canary step kinds the platform may render. */
export const CANARY_STEP_KINDS = ['setWeight', 'pause', 'analysis', 'setCanaryScale', 'plugin'] as const;

/** Go's time.ParseDuration, e.g. "30s", "1m", "1h30m", "500ms". */
const GO_DURATION = '([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+';
const duration = string({ pattern: `^(0|${GO_DURATION})$` });
/** An Argo `{{args.x}}` placeholder, resolved by the controller before the value is used. */
const PLACEHOLDER = '\\{\\{[^{}]+\\}\\}';

/** int-or-string counts of a metric: a number >= `minimum`, its decimal string, or an args placeholder. */
function countOrArg(minimum: number): JsonSchema {
  const digits = minimum < 0 ? '-?[0-9]+' : '[0-9]+';
  return { type: ['integer', 'string'], minimum, pattern: `^(${digits}|${PLACEHOLDER})$` };
}

/** A pause: seconds as an integer (or its string), or a Go duration string. */
const pauseDuration: JsonSchema = {
  type: ['integer', 'string'],
  minimum: 0,
  pattern: `^([0-9]+|${GO_DURATION})$`,
};

/** maxSurge / maxUnavailable: a number of pods or a percentage. */
const podCountOrPercent: JsonSchema = { type: ['integer', 'string'], minimum: 0, pattern: '^[0-9]+%$' };

const name = string({ minLength: 1, maxLength: 253 });
const seconds = integer(0);
const int32 = integer(0, 2147483647);

/** "Exactly one of `fields`": each missing one is named when none is set; each later one is refused when several are. */
function exactlyOne(...fields: readonly string[]): JsonSchema {
  return {
    anyOf: fields.map((field) => requires(field)),
    allOf: fields.slice(0, -1).map((field, i) => excludes(field, ...fields.slice(i + 1))),
  };
}

/** `{labels, annotations}` Argo copies onto pods, ReplicaSets or AnalysisRuns. */
const podMetadata = object({ labels, annotations });

const analysisTemplateRef = object({ templateName: name, clusterScope: bool }, ['templateName']);

/** An argument a Rollout passes to its analysis: a literal, a pod field or the stable/latest pod-template hash. */
const rolloutAnalysisArg = object(
  {
    name,
    value: str,
    valueFrom: object(
      {
        fieldRef: object({ fieldPath: string({ minLength: 1 }) }, ['fieldPath']),
        podTemplateHashValue: enumOf('Stable', 'Latest'),
      },
      [],
      exactlyOne('fieldRef', 'podTemplateHashValue'),
    ),
  },
  ['name'],
  exactlyOne('value', 'valueFrom'),
);

const rolloutAnalysisFields: Readonly<Record<string, JsonSchema>> = {
  templates: array(analysisTemplateRef, { minItems: 1 }),
  args: array(rolloutAnalysisArg),
  dryRun: array(object({ metricName: name }, ['metricName'])),
  measurementRetention: array(object({ metricName: name, limit: integer(0) }, ['metricName', 'limit'])),
  analysisRunMetadata: podMetadata,
};

/** RolloutAnalysis: a canary step's analysis and blue-green pre/post-promotion analysis. */
const rolloutAnalysis = object(rolloutAnalysisFields, ['templates']);

/** RolloutAnalysisBackground: the canary's analysis running beside the steps from `startingStep` on. */
const backgroundAnalysis = object({ ...rolloutAnalysisFields, startingStep: integer(0) }, ['templates']);

const canaryStep = object(
  {
    setWeight: integer(0, 100),
    pause: object({ duration: pauseDuration }),
    analysis: rolloutAnalysis,
    setCanaryScale: object(
      { weight: integer(0, 100), replicas: int32, matchTrafficWeight: bool },
      [],
      exactlyOne('weight', 'replicas', 'matchTrafficWeight'),
    ),
    plugin: object({ name: string({ minLength: 1 }), config: freeForm }, ['name']),
  },
  [],
  exactlyOne(...CANARY_STEP_KINDS),
);

/** The plugin's config (GatewayAPITrafficRouting): the HTTPRoute(s) whose backend weights it sets. */
const gatewayApiPluginConfig = object(
  {
    httpRoute: name,
    httpRoutes: array(object({ name, useHeaderRoutes: bool }, ['name']), { minItems: 1 }),
    namespace: string({ minLength: 1, maxLength: 63, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' }),
  },
  [],
  exactlyOne('httpRoute', 'httpRoutes'),
);

/** Keys other than the Gateway API plugin are refused as keys, so the message names the allowed one. */
const trafficRouterPlugins: JsonSchema = {
  type: 'object',
  propertyNames: enumOf(GATEWAY_API_PLUGIN),
  properties: { [GATEWAY_API_PLUGIN]: gatewayApiPluginConfig },
  required: [GATEWAY_API_PLUGIN],
  additionalProperties: true,
};

const trafficRouting = object(
  {
    plugins: trafficRouterPlugins,
    managedRoutes: array(object({ name }, ['name'])),
    maxTrafficWeight: integer(1),
  },
  ['plugins'],
);

const canary = object(
  {
    canaryService: name,
    stableService: name,
    canaryMetadata: podMetadata,
    stableMetadata: podMetadata,
    maxSurge: podCountOrPercent,
    maxUnavailable: podCountOrPercent,
    dynamicStableScale: bool,
    scaleDownDelaySeconds: seconds,
    scaleDownDelayRevisionLimit: seconds,
    abortScaleDownDelaySeconds: seconds,
    minPodsPerReplicaSet: integer(1),
    steps: array(canaryStep),
    trafficRouting,
    analysis: backgroundAnalysis,
  },
  [],
  {
    allOf: [
      // validation.go: traffic routing needs both Services (InvalidTrafficRoutingMessage).
      { if: requires('trafficRouting'), then: requires('canaryService', 'stableService') },
      // InvalidCanaryScaleDownDelay / InvalidCanaryDynamicStableScale: only with traffic routing.
      { if: requires('scaleDownDelaySeconds'), then: requires('trafficRouting') },
      { if: whenField('dynamicStableScale', true), then: requires('trafficRouting') },
      // InvalidCanaryDynamicStableScaleWithScaleDownDelay.
      { if: whenField('dynamicStableScale', true), then: forbid('scaleDownDelaySeconds') },
      // InvalidSetCanaryScaleTrafficPolicy.
      {
        if: only({ steps: { type: 'array', contains: requires('setCanaryScale') } }),
        then: requires('trafficRouting'),
      },
    ],
  },
);

const blueGreen = object(
  {
    activeService: name,
    previewService: name,
    autoPromotionEnabled: bool,
    autoPromotionSeconds: seconds,
    scaleDownDelaySeconds: seconds,
    scaleDownDelayRevisionLimit: seconds,
    abortScaleDownDelaySeconds: seconds,
    previewReplicaCount: seconds,
    maxUnavailable: podCountOrPercent,
    prePromotionAnalysis: rolloutAnalysis,
    postPromotionAnalysis: rolloutAnalysis,
    activeMetadata: podMetadata,
    previewMetadata: podMetadata,
  },
  ['activeService'],
);

const rollout = customResource(
  object(
    {
      replicas: int32,
      selector: k8s.labelSelector,
      template: kubernetesRef('core.v1.PodTemplateSpec'),
      workloadRef: object(
        {
          apiVersion: string({ minLength: 1 }),
          kind: string({ minLength: 1 }),
          name,
          scaleDown: enumOf('never', 'onsuccess', 'progressively'),
        },
        ['kind', 'name'],
      ),
      revisionHistoryLimit: int32,
      minReadySeconds: int32,
      progressDeadlineSeconds: integer(1, 2147483647),
      progressDeadlineAbort: bool,
      paused: bool,
      restartAt: str,
      rollbackWindow: object({ revisions: int32 }),
      analysis: object({ successfulRunHistoryLimit: int32, unsuccessfulRunHistoryLimit: int32 }),
      strategy: object({ canary, blueGreen }, [], exactlyOne('canary', 'blueGreen')),
    },
    ['strategy'],
    {
      allOf: [
        // "template must be empty for workload reference rollout"; without a reference a template is needed.
        exactlyOne('template', 'workloadRef'),
        // validation.go: a selector is required unless the pods come from a referenced workload.
        { if: { not: requires('workloadRef') }, then: requires('selector') },
      ],
    },
  ),
);

/** An AnalysisTemplate argument: a default value, a Secret key or a field of the Rollout; or none (passed in). */
const templateArg = object(
  {
    name,
    value: str,
    valueFrom: object(
      {
        secretKeyRef: object({ name, key: string({ minLength: 1 }) }, ['name', 'key']),
        fieldRef: object({ fieldPath: string({ minLength: 1 }) }, ['fieldPath']),
      },
      [],
      exactlyOne('secretKeyRef', 'fieldRef'),
    ),
  },
  ['name'],
  excludes('value', 'valueFrom'),
);

const header = object({ key: string({ minLength: 1 }), value: str }, ['key', 'value']);

const prometheus = object(
  {
    // The platform sets no controller-wide default address, so each metric names its Prometheus.
    address: string({ pattern: '^https?://[^\\s]+$' }),
    query: string({ minLength: 1 }),
    timeout: integer(1),
    insecure: bool,
    headers: array(header),
  },
  ['address', 'query'],
);

const web = object(
  {
    url: string({ minLength: 1 }),
    method: enumOf('GET', 'POST', 'PUT'),
    headers: array(header),
    body: str,
    jsonBody: freeForm,
    jsonPath: string({ minLength: 1 }),
    timeoutSeconds: integer(1),
    insecure: bool,
  },
  ['url'],
  excludes('body', 'jsonBody'),
);

/** Other providers (job, datadog, ...) are refused as keys, so the message names the allowed ones. */
const provider: JsonSchema = {
  type: 'object',
  propertyNames: enumOf(...ANALYSIS_PROVIDERS),
  properties: { prometheus, web },
  additionalProperties: true,
  ...exactlyOne(...ANALYSIS_PROVIDERS),
};

const metric = object(
  {
    name,
    interval: duration,
    initialDelay: duration,
    count: countOrArg(0),
    failureLimit: countOrArg(-1),
    inconclusiveLimit: countOrArg(0),
    consecutiveErrorLimit: countOrArg(0),
    consecutiveSuccessLimit: countOrArg(0),
    successCondition: string({ minLength: 1 }),
    failureCondition: string({ minLength: 1 }),
    provider,
  },
  ['name', 'provider'],
  // ValidateMetric: "interval must be specified when count > 1".
  {
    if: { required: ['count'], ...only({ count: { type: 'integer', minimum: 2 } }) },
    then: requires('interval'),
  },
);

const analysisTemplate = customResource(
  object(
    {
      args: array(templateArg),
      metrics: array(metric, { minItems: 1 }),
      dryRun: array(object({ metricName: name }, ['metricName'])),
      measurementRetention: array(object({ metricName: name, limit: integer(0) }, ['metricName', 'limit'])),
    },
    ['metrics'],
  ),
);

export const ARGO_ROLLOUTS_SCHEMAS: readonly CrdSchema[] = [
  { apiVersion: ARGO_ROLLOUTS_API_VERSION, kind: 'Rollout', schema: rollout },
  { apiVersion: ARGO_ROLLOUTS_API_VERSION, kind: 'AnalysisTemplate', schema: analysisTemplate },
];
