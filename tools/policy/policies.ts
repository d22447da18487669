/**
 * Platform policies over the rendered Kubernetes objects of one environment. The schema says an object is
 * well-formed; these say it is acceptable here: closed namespaces, hardened pods, pinned images, sane
 * autoscaling. Errors fail the plan; warnings are printed.
 */
import { checkDataStores } from './data-store-policies';
import { checkRoutes } from './route-policies';

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

export function checkPolicies(objects: readonly K8sObject[]): PolicyReport {
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

    if (WORKLOAD_KINDS.has(o.kind)) checkWorkload(o, policies, error, warn);

    if (o.kind === 'HorizontalPodAutoscaler') {
      const spec = dict(o.spec);
      const min = typeof spec.minReplicas === 'number' ? spec.minReplicas : 1;
      const max = spec.maxReplicas as number;
      if (min > max) error('hpa-bounds', o, `minReplicas (${min}) must be <= maxReplicas (${max})`);
      const target = dict(spec.scaleTargetRef);
      const exists = objects.some(
        (t) => t.kind === target.kind && t.metadata.name === target.name && t.metadata.namespace === ns,
      );
      if (!exists)
        error('hpa-target', o, `scales ${String(target.kind)}/${String(target.name)}, which is not declared`);
    }
  }
  checkDataStores(objects, error);
  checkRoutes(objects, error);
  return { errors, warnings };
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
