import { ApiObject, Chart } from 'cdk8s';
import type { DeploymentSpec } from 'kubernetes-types/apps/v1';
import type { EnvVar, PodTemplateSpec, Probe } from 'kubernetes-types/core/v1';
import { k8s } from 'cdk8s-plus-27';
import type { Construct } from 'constructs';
import {
  dnsEgressRule,
  hardenedContainer,
  labelValue,
  policyPeer,
  standardLabels,
  tcpPorts,
  TRACK_LABEL,
  NAME_LABEL,
  MONITORING_SELECTOR,
} from '../lib';
import type {
  MicroserviceDelivery,
  MicroserviceProps,
  RolloutAnalysisRef,
  TopologySpread,
} from './microservice-props';

const DEFAULT_SPREAD: readonly TopologySpread[] = [
  { topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' },
];
/** Numeric so that the kubelet can prove runAsNonRoot without inspecting the image. */
const RUN_AS_USER = 10001;

/** Port of the service's ClusterIP Service (to the container's `http` port): what callers and routes use. */
export const SERVICE_HTTP_PORT = 80;
/** The container's `http` port (PORT in the app): where the Service forwards and Prometheus scrapes. */
export const SERVICE_CONTAINER_PORT = 8080;

/** The Gateway API traffic-router plugin's name, as registered in the controller's `argo-rollouts-config`. */
export const GATEWAY_API_PLUGIN = 'argoproj-labs/gatewayAPI';
export const ROLLOUT_API_VERSION = 'argoproj.io/v1alpha1';

/** The second Service of a progressive rollout: the canary's, or the blue-green preview's. */
export function secondaryServiceName(name: string, delivery: MicroserviceDelivery): string | undefined {
  if (delivery.strategy === 'canary') return delivery.httpRoutes ? `${name}-canary` : undefined;
  if (delivery.strategy === 'blueGreen') return `${name}-preview`;
  return undefined;
}

/**
 * One Express service: ServiceAccount, the workload (a Deployment for rolling delivery, an Argo Rollout for
 * canary and blue-green), its Service(s), HorizontalPodAutoscaler (autoscaling/v2) on the workload,
 * PodDisruptionBudget, a PodMonitor for its /metrics, and a NetworkPolicy that admits only declared callers
 * and monitoring, and lets the pods reach only declared dependencies and DNS.
 */
export class MicroserviceChart extends Chart {
  constructor(scope: Construct, id: string, props: MicroserviceProps) {
    super(scope, id);
    const delivery = props.delivery ?? { strategy: 'rolling' };
    const progressive = delivery.strategy !== 'rolling';
    const track = props.track ?? 'stable';
    if (progressive && track !== 'stable') {
      throw new Error(
        `microservice ${props.name}: track must be "stable" (or unset) with delivery ${delivery.strategy}; the Argo Rollouts controller labels the tracks (got "${track}")`,
      );
    }
    if (delivery.strategy === 'canary') checkCanarySteps(props.name, delivery.steps);
    const port = props.port ?? SERVICE_CONTAINER_PORT;
    const partOf = props.partOf ?? 'platform';
    const spread = props.spread ?? DEFAULT_SPREAD;
    const livenessPath = props.livenessPath ?? '/health';
    const metricsPath = props.metricsPath ?? '/metrics';
    const readinessPath = props.readinessPath ?? '/ready';
    const grace = props.terminationGracePeriodSeconds ?? 30;
    const preStopSleep = props.preStopSleepSeconds ?? 5;
    if (preStopSleep + 5 > grace) {
      throw new Error(
        `microservice ${props.name}: terminationGracePeriodSeconds (${grace}) must exceed preStopSleepSeconds (${preStopSleep}) by at least 5`,
      );
    }
    const env = props.env ?? {};
    const envFromSecrets = props.envFromSecrets ?? [];
    const secretEnv = props.secretEnv ?? {};
    const allowFrom = props.allowFrom ?? [];
    const allowTo = props.allowTo ?? [];
    const { namespace, name } = props;
    // Copies of one service (stable/canary, blue/green) are separate workloads with their own names.
    const workloadName = track === 'stable' ? name : `${name}-${track}`;

    const labels = standardLabels(name, partOf, { component: 'api', version: labelValue(props.version) });
    // A Rollout's pods change track when promoted (Argo relabels them), so the track is not in its selector;
    // the controller adds a pod-template-hash to the selectors of the Services instead.
    const selector: Record<string, string> = progressive
      ? { [NAME_LABEL]: name }
      : { [NAME_LABEL]: name, [TRACK_LABEL]: track };
    const podLabels = { ...labels, ...selector };
    const annotations =
      props.description !== undefined ? { 'platform.io/description': props.description } : undefined;
    const meta = (objectName: string) => ({
      name: objectName,
      namespace,
      labels: progressive ? { ...labels } : { ...labels, [TRACK_LABEL]: track },
      ...(annotations && { annotations }),
    });
    // Rollout pods read their track from the label Argo puts on them at creation (canary, preview, stable).
    const trackEnv: EnvVar = progressive
      ? { name: 'TRACK', valueFrom: { fieldRef: { fieldPath: `metadata.labels['${TRACK_LABEL}']` } } }
      : { name: 'TRACK', value: track };

    new k8s.KubeServiceAccount(this, 'service-account', {
      metadata: meta(name),
      automountServiceAccountToken: false,
    });

    const probe = (path: string, periodSeconds: number, failureThreshold: number): Probe => ({
      httpGet: { path, port: 'http' },
      periodSeconds,
      timeoutSeconds: 2,
      failureThreshold,
    });

    const template: PodTemplateSpec = {
      metadata: { labels: podLabels },
      spec: {
        serviceAccountName: name,
        automountServiceAccountToken: false,
        terminationGracePeriodSeconds: grace,
        securityContext: {
          runAsNonRoot: true,
          runAsUser: RUN_AS_USER,
          runAsGroup: RUN_AS_USER,
          fsGroup: RUN_AS_USER,
          seccompProfile: { type: 'RuntimeDefault' },
        },
        topologySpreadConstraints: spread.map((s) => ({
          maxSkew: 1,
          topologyKey: s.topologyKey,
          whenUnsatisfiable: s.whenUnsatisfiable ?? 'ScheduleAnyway',
          labelSelector: { matchLabels: selector },
        })),
        containers: [
          {
            name,
            image: props.image,
            imagePullPolicy: 'IfNotPresent',
            ports: [{ name: 'http', containerPort: port, protocol: 'TCP' }],
            env: [
              { name: 'SERVICE_NAME', value: name },
              { name: 'SERVICE_VERSION', value: props.version },
              trackEnv,
              { name: 'PORT', value: String(port) },
              // SIGTERM arrives after the preStop sleep; the app must drain before the kubelet's SIGKILL.
              { name: 'SHUTDOWN_GRACE_MS', value: String((grace - preStopSleep - 3) * 1000) },
              ...Object.keys(env)
                .sort()
                .map((key) => ({ name: key, value: env[key] ?? '' })),
              ...Object.entries(secretEnv)
                .sort(([a], [b]) => a.localeCompare(b))
                .map(([key, ref]) => ({
                  name: key,
                  valueFrom: { secretKeyRef: { name: ref.secret, key: ref.key } },
                })),
            ],
            ...(envFromSecrets.length > 0 && {
              envFrom: envFromSecrets.map((secret) => ({ secretRef: { name: secret } })),
            }),
            resources: {
              requests: {
                cpu: props.resources.requests.cpu,
                memory: props.resources.requests.memory,
              },
              limits: {
                cpu: props.resources.limits.cpu,
                memory: props.resources.limits.memory,
              },
            },
            startupProbe: probe(livenessPath, 2, 30),
            livenessProbe: probe(livenessPath, 10, 3),
            readinessProbe: probe(readinessPath, 5, 2),
            securityContext: hardenedContainer(),
            volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            lifecycle: { preStop: { sleep: { seconds: preStopSleep } } },
          },
        ],
        // Writable scratch space, since the root filesystem is read-only.
        volumes: [{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }],
      },
    };
    // With an HPA the workload starts at the HPA's floor; Pulumi leaves later counts to the HPA.
    const replicas = props.autoscaling?.minReplicas ?? props.replicas;
    if (delivery.strategy === 'rolling') {
      // A plain ApiObject typed with kubernetes-types: cdk8s-plus-27's Deployment class predates the
      // native `sleep` preStop action (Kubernetes 1.30) and would drop it.
      const deploymentSpec: DeploymentSpec = {
        replicas,
        revisionHistoryLimit: 5,
        selector: { matchLabels: selector },
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' },
        },
        template,
      };
      new ApiObject(this, 'deployment', {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: meta(workloadName),
        spec: deploymentSpec,
      });
    } else {
      new ApiObject(this, 'rollout', {
        apiVersion: ROLLOUT_API_VERSION,
        kind: 'Rollout',
        metadata: meta(workloadName),
        spec: {
          replicas,
          revisionHistoryLimit: 5,
          // A version that never becomes healthy is aborted rather than left half rolled out.
          progressDeadlineSeconds: 600,
          progressDeadlineAbort: true,
          selector: { matchLabels: selector },
          template,
          strategy: rolloutStrategy(name, namespace, delivery),
        },
      });
    }

    const service = (id: string, serviceName: string) =>
      new k8s.KubeService(this, id, {
        metadata: meta(serviceName),
        spec: {
          type: 'ClusterIP',
          selector,
          ports: [
            {
              name: 'http',
              port: SERVICE_HTTP_PORT,
              targetPort: k8s.IntOrString.fromString('http'),
              protocol: 'TCP',
            },
          ],
        },
      });
    // Canary: the stable and canary Services; blue-green: the active and preview Services. Argo Rollouts
    // narrows each one's selector to its ReplicaSet (pod-template-hash).
    service('service', workloadName);
    const secondary = secondaryServiceName(name, delivery);
    if (secondary !== undefined) service('secondary-service', secondary);

    if (props.autoscaling) {
      const hpa = props.autoscaling;
      const utilization = (resource: 'cpu' | 'memory', average: number): k8s.MetricSpecV2 => ({
        type: 'Resource',
        resource: { name: resource, target: { type: 'Utilization', averageUtilization: average } },
      });
      new k8s.KubeHorizontalPodAutoscalerV2(this, 'hpa', {
        metadata: meta(workloadName),
        spec: {
          scaleTargetRef: progressive
            ? { apiVersion: ROLLOUT_API_VERSION, kind: 'Rollout', name: workloadName }
            : { apiVersion: 'apps/v1', kind: 'Deployment', name: workloadName },
          minReplicas: hpa.minReplicas,
          maxReplicas: hpa.maxReplicas,
          metrics: [
            utilization('cpu', hpa.cpuUtilization ?? 70),
            utilization('memory', hpa.memoryUtilization ?? 80),
          ],
          // Scale up quickly, scale down slowly, so a burst does not cause flapping.
          behavior: {
            scaleUp: { stabilizationWindowSeconds: 0 },
            scaleDown: {
              stabilizationWindowSeconds: 300,
              policies: [{ type: 'Percent', value: 50, periodSeconds: 60 }],
            },
          },
        },
      });
    }

    new k8s.KubePodDisruptionBudget(this, 'pdb', {
      metadata: meta(workloadName),
      spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector } },
    });

    // A PodMonitor per workload, selecting exactly its pods: rolling copies (stable, canary) are scraped
    // once each; a Rollout's pods of every track by one monitor. The relabelings take service/version/track
    // from the pod's labels, and those win over the app's own (honorLabels false): a Rollout pod's track
    // changes when Argo promotes it, and the analysis must see the label Argo set, not what the pod was
    // started with. The app's duplicates (exported_*) are dropped.
    const podLabel = (label: string) => `__meta_kubernetes_pod_label_${label.replace(/[^a-zA-Z0-9_]/g, '_')}`;
    new ApiObject(this, 'pod-monitor', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: {
        ...meta(workloadName),
        labels: { ...labels, [TRACK_LABEL]: track, ...MONITORING_SELECTOR },
      },
      spec: {
        selector: { matchLabels: selector },
        namespaceSelector: { matchNames: [namespace] },
        podMetricsEndpoints: [
          {
            port: 'http',
            path: metricsPath,
            honorLabels: false,
            relabelings: [
              { action: 'replace', sourceLabels: [podLabel(NAME_LABEL)], targetLabel: 'service' },
              {
                action: 'replace',
                sourceLabels: [podLabel('app.kubernetes.io/version')],
                targetLabel: 'version',
              },
              { action: 'replace', sourceLabels: [podLabel(TRACK_LABEL)], targetLabel: 'track' },
            ],
            metricRelabelings: [{ action: 'labeldrop', regex: 'exported_(service|version|track)' }],
          },
        ],
      },
    });

    new k8s.KubeNetworkPolicy(this, 'network-policy', {
      metadata: meta(workloadName),
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          ...allowFrom.map((peer) => ({ from: [policyPeer(peer)], ports: tcpPorts([port]) })),
          { from: [policyPeer({ namespace: props.monitoringNamespace })], ports: tcpPorts([port]) },
        ],
        egress: [
          ...allowTo.map((peer) => ({
            to: [policyPeer(peer)],
            ...(peer.ports !== undefined && { ports: tcpPorts(peer.ports) }),
          })),
          dnsEgressRule(),
        ],
      },
    });
  }
}

function checkCanarySteps(service: string, steps: readonly { weight: number; pause: string }[]): void {
  if (steps.length === 0) throw new Error(`microservice ${service}: canary steps must not be empty`);
  steps.forEach((step, i) => {
    const previous = i > 0 ? (steps[i - 1]?.weight ?? 0) : 0;
    if (!Number.isInteger(step.weight) || step.weight < 1 || step.weight > 99 || step.weight <= previous) {
      throw new Error(
        `microservice ${service}: canary steps[${i}].weight must be an integer in 1..99 above the previous step (got ${step.weight})`,
      );
    }
    if (step.pause !== 'manual' && !/^[1-9][0-9]*(s|m|h)$/.test(step.pause)) {
      throw new Error(
        `microservice ${service}: canary steps[${i}].pause must be a duration such as "5m" or "manual" (got ${JSON.stringify(step.pause)})`,
      );
    }
  });
}

function analysisRun(ref: RolloutAnalysisRef): Record<string, unknown> {
  const args = Object.entries(ref.args ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return {
    templates: [{ templateName: ref.templateName }],
    ...(args.length > 0 && { args: args.map(([argName, value]) => ({ name: argName, value })) }),
  };
}

/** The Rollout's strategy: Argo's canary (steps, background analysis, plugin) or blueGreen. */
function rolloutStrategy(
  name: string,
  namespace: string,
  delivery: Exclude<MicroserviceDelivery, { strategy: 'rolling' }>,
): Record<string, unknown> {
  const trackLabels = (track: string) => ({ labels: { [TRACK_LABEL]: track } });
  if (delivery.strategy === 'blueGreen') {
    return {
      blueGreen: {
        activeService: name,
        previewService: `${name}-preview`,
        autoPromotionEnabled: delivery.autoPromotion,
        scaleDownDelaySeconds: delivery.scaleDownDelaySeconds,
        activeMetadata: trackLabels('stable'),
        previewMetadata: trackLabels('preview'),
        ...(delivery.prePromotionAnalysis && {
          prePromotionAnalysis: analysisRun(delivery.prePromotionAnalysis),
        }),
        ...(delivery.postPromotionAnalysis && {
          postPromotionAnalysis: analysisRun(delivery.postPromotionAnalysis),
        }),
      },
    };
  }
  const routes = delivery.httpRoutes;
  return {
    canary: {
      ...(routes && { canaryService: `${name}-canary`, stableService: name }),
      canaryMetadata: trackLabels('canary'),
      stableMetadata: trackLabels('stable'),
      maxSurge: '25%',
      maxUnavailable: 0,
      steps: delivery.steps.flatMap((step) => [
        { setWeight: step.weight },
        { pause: step.pause === 'manual' ? {} : { duration: step.pause } },
      ]),
      // From the first step on, so that every weight the canary reaches is analysed.
      analysis: { ...analysisRun(delivery.analysis), startingStep: 1 },
      ...(routes && {
        trafficRouting: {
          plugins: {
            [GATEWAY_API_PLUGIN]: {
              namespace,
              httpRoutes: routes.map((route) => ({ name: route, useHeaderRoutes: false })),
            },
          },
        },
      }),
    },
  };
}
