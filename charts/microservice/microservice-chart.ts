import { ApiObject, Chart } from 'cdk8s';
import type { DeploymentSpec } from 'kubernetes-types/apps/v1';
import type { Probe } from 'kubernetes-types/core/v1';
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
import type { MicroserviceProps, TopologySpread } from './microservice-props';

const DEFAULT_SPREAD: readonly TopologySpread[] = [
  { topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' },
];
/** Numeric so that the kubelet can prove runAsNonRoot without inspecting the image. */
const RUN_AS_USER = 10001;

/**
 * One Express service: ServiceAccount, Deployment, Service, HorizontalPodAutoscaler (autoscaling/v2),
 * PodDisruptionBudget, a PodMonitor for its /metrics, and a NetworkPolicy that admits only declared callers
 * and monitoring, and lets the pods reach only declared dependencies and DNS.
 */
/** Port of the service's ClusterIP Service (to the container's `http` port): what callers and routes use. */
export const SERVICE_HTTP_PORT = 80;
/** The container's `http` port (PORT in the app): where the Service forwards and Prometheus scrapes. */
export const SERVICE_CONTAINER_PORT = 8080;

export class MicroserviceChart extends Chart {
  constructor(scope: Construct, id: string, props: MicroserviceProps) {
    super(scope, id);
    const track = props.track ?? 'stable';
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
    const selector = { [NAME_LABEL]: name, [TRACK_LABEL]: track };
    const podLabels = { ...labels, ...selector };
    const annotations =
      props.description !== undefined ? { 'platform.io/description': props.description } : undefined;
    const meta = (objectName: string) => ({
      name: objectName,
      namespace,
      labels: { ...labels, [TRACK_LABEL]: track },
      ...(annotations && { annotations }),
    });

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

    // A plain ApiObject typed with kubernetes-types: cdk8s-plus-27's Deployment class predates the
    // native `sleep` preStop action (Kubernetes 1.30) and would drop it.
    const deploymentSpec: DeploymentSpec = {
      // With an HPA the Deployment starts at the HPA's floor; Pulumi leaves later counts to the HPA.
      replicas: props.autoscaling?.minReplicas ?? props.replicas,
      revisionHistoryLimit: 5,
      selector: { matchLabels: selector },
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' },
      },
      template: {
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
                { name: 'TRACK', value: track },
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
      },
    };
    new ApiObject(this, 'deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(workloadName),
      spec: deploymentSpec,
    });

    new k8s.KubeService(this, 'service', {
      metadata: meta(workloadName),
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

    if (props.autoscaling) {
      const hpa = props.autoscaling;
      const utilization = (resource: 'cpu' | 'memory', average: number): k8s.MetricSpecV2 => ({
        type: 'Resource',
        resource: { name: resource, target: { type: 'Utilization', averageUtilization: average } },
      });
      new k8s.KubeHorizontalPodAutoscalerV2(this, 'hpa', {
        metadata: meta(workloadName),
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: workloadName },
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

    // A PodMonitor per copy, selecting exactly this copy's pods: stable and canary (blue and green) are
    // scraped once each. The app labels its own series with service/version/track (honorLabels keeps
    // them); the relabelings give the target itself (`up`, scrape_*) the same labels from the pod.
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
            honorLabels: true,
            relabelings: [
              { action: 'replace', sourceLabels: [podLabel(NAME_LABEL)], targetLabel: 'service' },
              {
                action: 'replace',
                sourceLabels: [podLabel('app.kubernetes.io/version')],
                targetLabel: 'version',
              },
              { action: 'replace', sourceLabels: [podLabel(TRACK_LABEL)], targetLabel: 'track' },
            ],
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
