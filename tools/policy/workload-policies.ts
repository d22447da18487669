/**
 * Pod and cluster-access policies over the rendered objects: pods stay off the node (no host namespaces, paths,
 * ports or privilege), only the gateway is exposed outside the cluster, pods get no API token they do not need,
 * services get no cluster-wide rights, images come from maintained sources (digests where the environment
 * demands them) and replicated workloads in protected environments survive the loss of a zone.
 */
import { DIGEST_ONLY_ENVIRONMENTS } from '../../stacks/spec/schema';
import {
  BITNAMI,
  customResourceImages,
  digestProblem,
  imageProblems,
  isCustomResource,
} from './image-references';
import type { K8sObject } from './policies';

type Dict = Record<string, unknown>;
const dict = (v: unknown): Dict =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Dict) : {};
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export type Report = (rule: string, o: K8sObject, message: string) => void;

export interface WorkloadPolicyOptions {
  /** The environment (stack) the objects belong to, e.g. "prod"; undefined when unknown. */
  readonly environment?: string;
  /**
   * The namespace of the services' pods, whose ServiceAccounts must never be bound cluster-wide.
   * @default 'apps'
   */
  readonly appsNamespace?: string;
}

/** Environments where an image must be pinned by digest and replicated workloads spread over zones. */
export const PROTECTED_ENVIRONMENTS: ReadonlySet<string> = new Set(DIGEST_ONLY_ENVIRONMENTS);

/**
 * How a workload declares that its pods call the Kubernetes API and so need a service-account token: the
 * annotation on the workload (not the pod template, so changing it does not restart pods), with the reason as
 * its value, e.g. `platform.io/needs-kube-api: "leader election through Leases"`.
 */
export const NEEDS_KUBE_API_ANNOTATION = 'platform.io/needs-kube-api';

/**
 * The gateway's Service is not rendered by the platform: Envoy Gateway creates it from the EnvoyProxy's
 * spec.provider.kubernetes.envoyService (LoadBalancer on EKS, NodePort on prem). Should such a Service ever be
 * among the checked objects (imported, or read from a live cluster), it is recognised by the labels Envoy Gateway
 * puts on the proxy Services it owns; no other Service may be a LoadBalancer or NodePort.
 */
export const GATEWAY_SERVICE_LABELS: Readonly<Record<string, string>> = {
  'app.kubernetes.io/managed-by': 'envoy-gateway',
  'app.kubernetes.io/component': 'proxy',
};

const ZONE_KEY = 'topology.kubernetes.io/zone';
const TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

interface PodTemplate {
  /** Where the pod spec sits in the object, e.g. `spec.template.spec`. */
  readonly field: string;
  readonly spec: Dict;
}

/** The pod spec an object runs, if any (a Rollout with a workloadRef has none: its Deployment's is checked). */
export function podTemplateOf(o: K8sObject): PodTemplate | undefined {
  const spec = dict(o.spec);
  if (o.kind === 'Pod') return o.spec === undefined ? undefined : { field: 'spec', spec };
  if (o.kind === 'CronJob') {
    const template = dict(dict(spec.jobTemplate).spec).template;
    return template === undefined
      ? undefined
      : { field: 'spec.jobTemplate.spec.template.spec', spec: dict(dict(template).spec) };
  }
  if (TEMPLATE_KINDS.has(o.kind) || o.kind === 'Rollout') {
    return spec.template === undefined
      ? undefined
      : { field: 'spec.template.spec', spec: dict(dict(spec.template).spec) };
  }
  return undefined;
}

function containersOf(pod: PodTemplate): { field: string; container: Dict }[] {
  return ['initContainers', 'containers', 'ephemeralContainers'].flatMap((key) =>
    list(pod.spec[key]).map((c, i) => ({ field: `${pod.field}.${key}[${i}]`, container: dict(c) })),
  );
}

export function checkWorkloadPolicies(
  objects: readonly K8sObject[],
  error: Report,
  options: WorkloadPolicyOptions = {},
): void {
  const appsNamespace = options.appsNamespace ?? 'apps';
  const protectedEnv = options.environment !== undefined && PROTECTED_ENVIRONMENTS.has(options.environment);
  for (const o of objects) {
    if (o.kind === 'Service') checkServiceExposure(o, error);
    if (o.kind === 'ClusterRoleBinding') checkClusterRoleBinding(o, appsNamespace, error);
    const pod = podTemplateOf(o);
    if (isCustomResource(o))
      checkCustomResourceImages(o, pod, protectedEnv ? options.environment : undefined, error);
    if (pod === undefined) continue;
    checkHostAccess(o, pod, error);
    checkToken(o, pod, objects, error);
    checkImages(o, pod, protectedEnv ? options.environment : undefined, error);
    if (protectedEnv) checkZoneSpread(o, pod, objects, String(options.environment), error);
  }
}

/**
 * Host namespaces, host paths and host ports put a pod on the node itself. A privileged container of a workload
 * with a template (Deployment, StatefulSet, DaemonSet, Rollout) is already refused by container-security, so it
 * is reported here only for the pods that rule does not see (bare Pods, Jobs, CronJobs): one fact, one rule.
 */
function checkHostAccess(o: K8sObject, pod: PodTemplate, error: Report): void {
  const why: Record<string, string> = {
    hostNetwork: "pods share the node's network",
    hostPID: "pods see the node's processes",
    hostIPC: "pods share the node's IPC",
  };
  for (const [key, reason] of Object.entries(why)) {
    if (pod.spec[key] === true)
      error('pod-host-access', o, `${pod.field}.${key} is true: ${reason}; remove it`);
  }
  list(pod.spec.volumes).forEach((v, i) => {
    const volume = dict(v);
    if (volume.hostPath !== undefined) {
      error(
        'pod-host-access',
        o,
        `${pod.field}.volumes[${i}] ("${String(volume.name)}") is a hostPath (${String(dict(volume.hostPath).path)}): it reads or writes the node's disk; use an emptyDir, a ConfigMap or a PersistentVolumeClaim`,
      );
    }
  });
  const privilegedChecked = o.kind !== 'Pod' && o.kind !== 'Job' && o.kind !== 'CronJob';
  for (const { field, container } of containersOf(pod)) {
    list(container.ports).forEach((p, j) => {
      const hostPort = dict(p).hostPort;
      if (hostPort !== undefined) {
        error(
          'pod-host-access',
          o,
          `${field}.ports[${j}].hostPort is ${String(hostPort)} (container "${String(container.name)}"): it binds the node's port; remove it and reach the pod through a Service`,
        );
      }
    });
    if (!privilegedChecked && dict(container.securityContext).privileged === true) {
      error(
        'pod-host-access',
        o,
        `${field}.securityContext.privileged is true (container "${String(container.name)}"): it has the node's devices and kernel; remove it`,
      );
    }
  }
}

function checkServiceExposure(o: K8sObject, error: Report): void {
  const type = dict(o.spec).type;
  if (type !== 'LoadBalancer' && type !== 'NodePort') return;
  const labels = dict(dict(o.metadata).labels);
  if (Object.entries(GATEWAY_SERVICE_LABELS).every(([k, v]) => labels[k] === v)) return;
  error(
    'service-exposure',
    o,
    `spec.type is ${type}: only the gateway is exposed outside the cluster; use ClusterIP and an HTTPRoute on the gateway`,
  );
}

/** A pod gets no API token unless its spec or ServiceAccount turns it off, or the workload says why it needs one. */
function checkToken(o: K8sObject, pod: PodTemplate, objects: readonly K8sObject[], error: Report): void {
  const reason = text(dict(dict(o.metadata).annotations)[NEEDS_KUBE_API_ANNOTATION]);
  if (reason !== undefined) return;
  const own = pod.spec.automountServiceAccountToken;
  if (own === false) return;
  const accountName = text(pod.spec.serviceAccountName) ?? 'default';
  const account = objects.find(
    (a) =>
      a.kind === 'ServiceAccount' &&
      a.metadata.name === accountName &&
      a.metadata.namespace === o.metadata.namespace,
  );
  const fix = `set ${pod.field}.automountServiceAccountToken: false, or annotate the workload ${NEEDS_KUBE_API_ANNOTATION}: "<why it calls the API>"`;
  if (own === true) {
    error(
      'service-account-token',
      o,
      `${pod.field}.automountServiceAccountToken is true but the workload has no ${NEEDS_KUBE_API_ANNOTATION} annotation; ${fix}`,
    );
  } else if (account?.automountServiceAccountToken !== false) {
    const which = account === undefined ? 'is not declared here' : 'does not set it to false';
    error(
      'service-account-token',
      o,
      `${pod.field}.automountServiceAccountToken is unset and ServiceAccount "${accountName}" ${which}, so the pod gets an API token; ${fix}`,
    );
  }
}

function checkClusterRoleBinding(o: K8sObject, appsNamespace: string, error: Report): void {
  list(dict(o).subjects).forEach((s, i) => {
    const subject = dict(s);
    if (subject.kind === 'ServiceAccount' && subject.namespace === appsNamespace) {
      error(
        'cluster-role-binding',
        o,
        `subjects[${i}] is ServiceAccount "${appsNamespace}/${String(subject.name)}", a service's account: services get no cluster-wide rights; bind a Role with a RoleBinding in namespace "${appsNamespace}" instead`,
      );
    }
  });
}

function checkImages(o: K8sObject, pod: PodTemplate, digestEnv: string | undefined, error: Report): void {
  for (const { field, container } of containersOf(pod)) {
    const image = String(container.image ?? '');
    if (BITNAMI.test(image)) {
      error(
        'image-source',
        o,
        `${field}.image "${image}" comes from bitnami/bitnamilegacy, frozen since 2025 (no more fixes); use the upstream image`,
      );
    }
    const digest = digestProblem({ path: `${field}.image`, image }, digestEnv);
    if (digest !== undefined) error('image-digest', o, digest);
  }
}

/**
 * Images an operator runs for a custom resource (a PerconaServerMongoDB's spec.image, backup and sidecar
 * images), held to the same sources, tags and digests as pod images. A pod template the CR carries (a
 * Rollout's) is left to checkImages, so no image is reported twice.
 */
function checkCustomResourceImages(
  o: K8sObject,
  pod: PodTemplate | undefined,
  digestEnv: string | undefined,
  error: Report,
): void {
  for (const ref of customResourceImages(o, pod?.field)) {
    for (const problem of imageProblems(ref)) error('image-source', o, problem);
    const digest = digestProblem(ref, digestEnv);
    if (digest !== undefined) error('image-digest', o, digest);
  }
}

/** The workload's HPA floor, when an HPA scales it. */
function hpaFloor(o: K8sObject, objects: readonly K8sObject[]): number | undefined {
  const hpa = objects.find(
    (h) =>
      h.kind === 'HorizontalPodAutoscaler' &&
      h.metadata.namespace === o.metadata.namespace &&
      dict(dict(h.spec).scaleTargetRef).kind === o.kind &&
      dict(dict(h.spec).scaleTargetRef).name === o.metadata.name,
  );
  if (hpa === undefined) return undefined;
  const min = dict(hpa.spec).minReplicas;
  return typeof min === 'number' ? min : 1;
}

/** Replicated workloads spread their pods over zones (a DaemonSet runs on every node, so it spreads already). */
function checkZoneSpread(
  o: K8sObject,
  pod: PodTemplate,
  objects: readonly K8sObject[],
  environment: string,
  error: Report,
): void {
  if (o.kind === 'DaemonSet' || o.kind === 'Pod' || o.kind === 'Job' || o.kind === 'CronJob') return;
  const replicas = typeof dict(o.spec).replicas === 'number' ? (dict(o.spec).replicas as number) : 1;
  const floor = hpaFloor(o, objects);
  if (replicas < 2 && (floor ?? 0) < 2) return;
  const spread = list(pod.spec.topologySpreadConstraints).some((c) => dict(c).topologyKey === ZONE_KEY);
  const antiAffinity = dict(dict(pod.spec.affinity).podAntiAffinity);
  const anti = [
    ...list(antiAffinity.requiredDuringSchedulingIgnoredDuringExecution),
    ...list(antiAffinity.preferredDuringSchedulingIgnoredDuringExecution).map((p) => dict(p).podAffinityTerm),
  ].some((term) => dict(term).topologyKey === ZONE_KEY);
  if (spread || anti) return;
  const count = floor !== undefined && floor > replicas ? `an HPA floor of ${floor}` : `${replicas} replicas`;
  error(
    'zone-spread',
    o,
    `runs ${count} in ${environment} but neither ${pod.field}.topologySpreadConstraints nor ${pod.field}.affinity.podAntiAffinity uses topologyKey ${ZONE_KEY}: one zone down may take every pod; add a topologySpreadConstraint over ${ZONE_KEY}`,
  );
}
