/**
 * Realistic Argo Rollouts objects shaped like the platform renders them (issue 14 contract: Services `<svc>`,
 * `<svc>-canary`, `<svc>-preview`, track label platform.io/track, AnalysisTemplates `<svc>-slo` and
 * `<svc>-smoke`). Shared by the schema tests, the published-model cross-check and the policy tests; each call
 * returns a fresh copy to mutate.
 */

export type ExampleObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec: Record<string, unknown>;
};

const PROMETHEUS = 'http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090';

function podTemplate(service: string): Record<string, unknown> {
  return {
    metadata: {
      labels: { 'app.kubernetes.io/name': service, 'app.kubernetes.io/version': '1.4.2' },
    },
    spec: {
      serviceAccountName: service,
      // As the microservice chart renders it: no API token, replicas spread over zones.
      automountServiceAccountToken: false,
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: 'topology.kubernetes.io/zone',
          whenUnsatisfiable: 'DoNotSchedule',
          labelSelector: { matchLabels: { 'app.kubernetes.io/name': service } },
        },
      ],
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: service,
          image: `registry.local/${service}@sha256:${'a'.repeat(64)}`,
          imagePullPolicy: 'IfNotPresent',
          ports: [{ name: 'http', containerPort: 8080 }],
          resources: {
            requests: { cpu: '250m', memory: '256Mi' },
            limits: { cpu: '500m', memory: '512Mi' },
          },
          securityContext: {
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            runAsNonRoot: true,
            capabilities: { drop: ['ALL'] },
          },
          livenessProbe: { httpGet: { path: '/health', port: 'http' } },
          readinessProbe: { httpGet: { path: '/ready', port: 'http' } },
        },
      ],
    },
  };
}

/** A canary Rollout: traffic split by the Gateway API plugin, 10 % → 50 % → 100 %, background SLO analysis. */
export function canaryRollout(service = 'product', namespace = 'apps'): ExampleObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: service, namespace, labels: { 'app.kubernetes.io/name': service } },
    spec: {
      replicas: 2,
      revisionHistoryLimit: 3,
      minReadySeconds: 5,
      progressDeadlineSeconds: 600,
      progressDeadlineAbort: true,
      selector: { matchLabels: { 'app.kubernetes.io/name': service } },
      template: podTemplate(service),
      strategy: {
        canary: {
          canaryService: `${service}-canary`,
          stableService: service,
          canaryMetadata: { labels: { 'platform.io/track': 'canary' } },
          stableMetadata: { labels: { 'platform.io/track': 'stable' } },
          maxSurge: '25%',
          maxUnavailable: 0,
          dynamicStableScale: true,
          abortScaleDownDelaySeconds: 30,
          trafficRouting: {
            plugins: { 'argoproj-labs/gatewayAPI': { httpRoute: service, namespace } },
          },
          steps: [
            { setWeight: 10 },
            { pause: { duration: '5m' } },
            { setWeight: 50 },
            { pause: { duration: 300 } },
            { setWeight: 100 },
          ],
          analysis: {
            templates: [{ templateName: `${service}-slo` }],
            args: [{ name: 'track', value: 'canary' }],
            startingStep: 1,
          },
        },
      },
    },
  };
}

/** A blue-green Rollout with manual promotion, smoke checks before and SLO analysis after promotion. */
export function blueGreenRollout(service = 'order', namespace = 'apps'): ExampleObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: { name: service, namespace },
    spec: {
      replicas: 3,
      selector: { matchLabels: { 'app.kubernetes.io/name': service } },
      template: podTemplate(service),
      strategy: {
        blueGreen: {
          activeService: service,
          previewService: `${service}-preview`,
          autoPromotionEnabled: false,
          scaleDownDelaySeconds: 30,
          previewReplicaCount: 1,
          activeMetadata: { labels: { 'platform.io/track': 'stable' } },
          previewMetadata: { labels: { 'platform.io/track': 'preview' } },
          prePromotionAnalysis: { templates: [{ templateName: `${service}-smoke` }] },
          postPromotionAnalysis: {
            templates: [{ templateName: `${service}-slo` }],
            args: [
              { name: 'track', value: 'stable' },
              { name: 'hash', valueFrom: { podTemplateHashValue: 'Latest' } },
            ],
          },
        },
      },
    },
  };
}

/** The SLO analysis of one track: error ratio and p99 latency from Prometheus, inconclusive on too little traffic. */
export function sloAnalysisTemplate(service = 'product', namespace = 'apps'): ExampleObject {
  const selector = `service="${service}",track="{{args.track}}"`;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisTemplate',
    metadata: { name: `${service}-slo`, namespace },
    spec: {
      args: [{ name: 'track' }],
      metrics: [
        {
          name: 'error-ratio',
          interval: '1m',
          count: 5,
          failureLimit: 1,
          inconclusiveLimit: 2,
          consecutiveErrorLimit: 3,
          successCondition: 'len(result) > 0 && result[0] <= 0.01',
          failureCondition: 'len(result) > 0 && result[0] > 0.01',
          provider: {
            prometheus: {
              address: PROMETHEUS,
              timeout: 30,
              query: `sum(rate(http_requests_total{${selector},status=~"5.."}[1m])) / sum(rate(http_requests_total{${selector}}[1m]))`,
            },
          },
        },
        {
          name: 'p99-latency',
          initialDelay: '30s',
          interval: '1m',
          count: '5',
          failureLimit: 1,
          inconclusiveLimit: 2,
          successCondition: 'len(result) > 0 && result[0] <= 0.5',
          provider: {
            prometheus: {
              address: PROMETHEUS,
              query: `histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{${selector}}[1m])))`,
            },
          },
        },
      ],
    },
  };
}

/** Smoke checks of the preview Service before a blue-green promotion. */
export function smokeAnalysisTemplate(service = 'order', namespace = 'apps'): ExampleObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisTemplate',
    metadata: { name: `${service}-smoke`, namespace },
    spec: {
      metrics: [
        {
          name: 'ready',
          count: 3,
          interval: '10s',
          failureLimit: 0,
          inconclusiveLimit: 1,
          successCondition: 'result == "ready"',
          provider: {
            web: {
              url: `http://${service}-preview.${namespace}.svc.cluster.local/ready`,
              method: 'GET',
              headers: [{ key: 'Accept', value: 'application/json' }],
              jsonPath: '{$.status}',
              timeoutSeconds: 5,
            },
          },
        },
      ],
    },
  };
}
