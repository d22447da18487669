/**
 * Platform policies over the rendered Kubernetes objects of one environment. The schema says an object is
 * well-formed; these say it is acceptable here: closed namespaces, hardened pods, pinned images, sane
 * autoscaling. Errors fail the plan; warnings are printed.
 */
import { checkDataStores } from './data-store-policies';
import { checkRollouts, isRollout, type RolloutPolicyOptions } from './rollout-policies';
import { checkRoutes } from './route-policies';
import { checkWorkloadPolicies, type WorkloadPolicyOptions } from './workload-policies';

export { MANUAL_PROMOTION_ENVIRONMENTS, ROLLOUT_API_VERSION } from './rollout-policies';

export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly [key: string]: unknown;
}

export interface Finding {
  readonly rule: string;
  /** `<namespace>/<Kind>/<name>` or `<Kind>/<name>` for cluster-scoped objects. */
  readonly object: string;
  readonly message: string;
}

export interface PolicyReport {
  readonly errors: Finding[];
  readonly warnings: Finding[];
}

/** Namespaces that exist in every cluster and that our objects may refer to without creating them. */
const SYSTEM_NAMESPACES = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

/** Objects that run pods from a template at spec.template: the built-in workloads and Argo Rollouts. */
function isWorkload(o: K8sObject): boolean {
  return WORKLOAD_KINDS.has(o.kind) || isRollout(o);
}

export type PolicyOptions = RolloutPolicyOptions & WorkloadPolicyOptions;

export function objectRef(o: K8sObject): string {
  return o.metadata.namespace
    ? `${o.metadata.namespace}/${o.kind}/${o.metadata.name}`
    : `${o.kind}/${o.metadata.name}`;
}

type Dict = Record<string, unknown>;
const dict = (v: unknown): Dict =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Dict) : {};
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function matches(selector: Dict, labels: Dict): boolean {
  const wanted = dict(selector.matchLabels);
  if (Object.keys(wanted).length === 0 && list(selector.matchExpressions).length === 0) return true;
  return Object.entries(wanted).every(([k, v]) => labels[k] === v);
}

/**
 * `options.environment` (the stack, e.g. "prod") turns on the rules that differ per environment; without it they
 * are reported as warnings that they were not checked.
 */
export function checkPolicies(objects: readonly K8sObject[], options: PolicyOptions = {}): PolicyReport {
  const errors: Finding[] = [];
  const warnings: Finding[] = [];
  const error = (rule: string, o: K8sObject, message: string) =>
    errors.push({ rule, object: objectRef(o), message });
  const warn = (rule: string, o: K8sObject, message: string) =>
    warnings.push({ rule, object: objectRef(o), message });

  const namespaces = new Set(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name));
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
  const seen = new Set<string>();

  for (const o of objects) {
    const ref = `${o.apiVersion}/${objectRef(o)}`;
    if (seen.has(ref)) error('unique-objects', o, 'declared more than once');
    seen.add(ref);

    const ns = o.metadata.namespace;
    if (ns !== undefined && !namespaces.has(ns) && !SYSTEM_NAMESPACES.has(ns)) {
      error('namespace-exists', o, `namespace "${ns}" is not created by this environment`);
    }

    if (o.kind === 'Namespace') {
      const closed = policies.some((p) => {
        const spec = dict(p.spec);
        const types = list(spec.policyTypes);
        return (
          p.metadata.namespace === o.metadata.name &&
          Object.keys(dict(spec.podSelector)).length === 0 &&
          types.includes('Ingress') &&
          types.includes('Egress') &&
          list(spec.ingress).length === 0 &&
          list(spec.egress).length === 0
        );
      });
      if (!closed)
        error('namespace-default-deny', o, 'has no default-deny NetworkPolicy (ingress and egress)');
    }

    // A Rollout with a workloadRef has no template: its pods are the referenced Deployment's, checked there.
    if (isWorkload(o) && dict(o.spec).template !== undefined) {
      checkWorkload(o, policies, error, warn);
      checkDisruptionBudget(o, objects, error);
    }

    if (o.kind === 'HorizontalPodAutoscaler') {
      const spec = dict(o.spec);
      const min = typeof spec.minReplicas === 'number' ? spec.minReplicas : 1;
      const max = spec.maxReplicas as number;
      if (min > max) error('hpa-bounds', o, `minReplicas (${min}) must be <= maxReplicas (${max})`);
      checkHpaTarget(o, objects, error);
    }
  }
  checkDataStores(objects, error);
  checkRoutes(objects, error);
  checkRollouts(objects, error, warn, options);
  checkWorkloadPolicies(objects, error, options);
  return { errors, warnings };
}

/**
 * The HPA's target must be declared with the same apiVersion, kind and name. A Deployment target that is missing
 * while a Rollout of that name exists is the trace of a rolling -> canary/blueGreen switch that left the HPA
 * behind: it would scale nothing, silently.
 */
function checkHpaTarget(
  o: K8sObject,
  objects: readonly K8sObject[],
  error: (rule: string, o: K8sObject, message: string) => void,
): void {
  const ns = o.metadata.namespace;
  const target = dict(dict(o.spec).scaleTargetRef);
  const named = objects.filter((t) => t.metadata.name === target.name && t.metadata.namespace === ns);
  const exact = named.find((t) => t.kind === target.kind && t.apiVersion === target.apiVersion);
  if (exact !== undefined) return;
  const what = `scales ${String(target.kind)}/${String(target.name)}`;
  const sameKind = named.find((t) => t.kind === target.kind);
  const rollout = named.find(isRollout);
  if (sameKind !== undefined) {
    error(
      'hpa-target',
      o,
      `${what} with spec.scaleTargetRef.apiVersion "${String(target.apiVersion)}", but it is declared as "${sameKind.apiVersion}"; set apiVersion to "${sameKind.apiVersion}"`,
    );
  } else if (rollout !== undefined) {
    error(
      'hpa-target',
      o,
      `${what}, which is not declared, while Rollout/${rollout.metadata.name} is: the HPA would scale nothing; set spec.scaleTargetRef to { apiVersion: "${rollout.apiVersion}", kind: "Rollout", name: "${rollout.metadata.name}" }`,
    );
  } else {
    error('hpa-target', o, `${what}, which is not declared`);
  }
}

/** The replicas a workload runs at least: its own count, or the floor of the HPA that scales it. */
function minimumReplicas(o: K8sObject, objects: readonly K8sObject[]): number {
  const own = typeof dict(o.spec).replicas === 'number' ? (dict(o.spec).replicas as number) : 1;
  const hpa = objects.find(
    (h) =>
      h.kind === 'HorizontalPodAutoscaler' &&
      h.metadata.namespace === o.metadata.namespace &&
      dict(dict(h.spec).scaleTargetRef).kind === o.kind &&
      dict(dict(h.spec).scaleTargetRef).name === o.metadata.name,
  );
  const floor = dict(hpa?.spec).minReplicas;
  return hpa === undefined ? own : typeof floor === 'number' ? floor : 1;
}

/**
 * A workload with two or more replicas needs a PodDisruptionBudget selecting its pods, or a node drain may take
 * them all at once. For a Rollout the budget must select the template's labels, which every track carries (Argo
 * adds the track labels and the pod-template hash on top), so one budget covers stable, canary and preview pods.
 */
function checkDisruptionBudget(
  o: K8sObject,
  objects: readonly K8sObject[],
  error: (rule: string, o: K8sObject, message: string) => void,
): void {
  if (o.kind === 'DaemonSet') return;
  const replicas = minimumReplicas(o, objects);
  if (replicas < 2) return;
  const podLabels = dict(dict(dict(dict(o.spec).template).metadata).labels);
  const covered = objects.some(
    (p) =>
      p.kind === 'PodDisruptionBudget' &&
      p.metadata.namespace === o.metadata.namespace &&
      Object.keys(dict(dict(p.spec).selector)).length > 0 &&
      matches(dict(dict(p.spec).selector), podLabels),
  );
  if (!covered) {
    error(
      'workload-pdb',
      o,
      `runs at least ${replicas} replicas but no PodDisruptionBudget selects spec.template.metadata.labels; add one whose selector matches them${isRollout(o) ? ' (not a track label, so it covers every track)' : ''}`,
    );
  }
}

function checkWorkload(
  o: K8sObject,
  policies: readonly K8sObject[],
  error: (rule: string, o: K8sObject, message: string) => void,
  warn: (rule: string, o: K8sObject, message: string) => void,
): void {
  const template = dict(dict(o.spec).template);
  const podLabels = dict(dict(template.metadata).labels);
  const pod = dict(template.spec);
  const podSecurity = dict(pod.securityContext);
  const podSeccomp = dict(podSecurity.seccompProfile).type;

  const selected = policies.some(
    (p) =>
      p.metadata.namespace === o.metadata.namespace &&
      Object.keys(dict(dict(p.spec).podSelector)).length > 0 &&
      matches(dict(dict(p.spec).podSelector), podLabels),
  );
  if (!selected) error('workload-network-policy', o, 'no NetworkPolicy selects its pods');

  if (
    typeof dict(o.spec).replicas === 'number' &&
    (dict(o.spec).replicas as number) < 2 &&
    o.kind !== 'DaemonSet'
  ) {
    warn('workload-replicas', o, `runs ${String(dict(o.spec).replicas)} replica: a node loss interrupts it`);
  }

  for (const c of [...list(pod.initContainers), ...list(pod.containers)].map(dict)) {
    const where = `container "${String(c.name)}"`;
    const image = String(c.image ?? '');
    if (!image.includes('@sha256:') && !/:[^/:]+$/.test(image))
      error('image-pinned', o, `${where} image "${image}" has no tag or digest`);
    if (/:latest(@|$)/.test(image)) error('image-pinned', o, `${where} uses the "latest" tag`);

    const res = dict(c.resources);
    for (const field of ['requests', 'limits'] as const) {
      for (const r of ['cpu', 'memory']) {
        if (dict(res[field])[r] === undefined)
          error('container-resources', o, `${where} has no ${field}.${r}`);
      }
    }
    const sc = dict(c.securityContext);
    if (sc.allowPrivilegeEscalation !== false)
      error('container-security', o, `${where} must set allowPrivilegeEscalation: false`);
    if (sc.privileged === true) error('container-security', o, `${where} must not be privileged`);
    if (sc.runAsNonRoot !== true && podSecurity.runAsNonRoot !== true)
      error('container-security', o, `${where} must run as non-root`);
    if (!list(dict(sc.capabilities).drop).includes('ALL'))
      error('container-security', o, `${where} must drop ALL capabilities`);
    if (sc.readOnlyRootFilesystem !== true)
      error('container-security', o, `${where} must have a read-only root filesystem`);
    const seccomp = dict(sc.seccompProfile).type ?? podSeccomp;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost')
      error('container-security', o, `${where} needs seccompProfile RuntimeDefault`);
    if (c.livenessProbe === undefined || c.readinessProbe === undefined)
      warn('container-probes', o, `${where} lacks a liveness or readiness probe`);
  }
}
