import type { PlanResource } from '../release/run-plan';
import { isDict } from './normalise';

/**
 * Resources that only carry objects the plan also lists one by one (a yaml ConfigGroup's `objs`): diffing
 * them would report every change twice.
 */
export const CARRIERS: ReadonlySet<string> = new Set([
  'kubernetes:yaml:ConfigGroup',
  'kubernetes:yaml:ConfigFile',
]);

/** The Kubernetes object a resource carries, or undefined for other resources. */
export function kubernetesObject(
  r: PlanResource,
): { apiVersion: string; kind: string; name: string; namespace?: string } | undefined {
  const { apiVersion, kind, metadata } = r.inputs as {
    apiVersion?: unknown;
    kind?: unknown;
    metadata?: unknown;
  };
  if (!r.type.startsWith('kubernetes:') || typeof apiVersion !== 'string' || typeof kind !== 'string') {
    return undefined;
  }
  const meta = isDict(metadata) ? metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : r.name;
  return { apiVersion, kind, name, ...(typeof meta.namespace === 'string' && { namespace: meta.namespace }) };
}

/** `apps/v1` -> `apps`; `v1` -> `` (the core group). */
export const apiGroup = (apiVersion: string): string =>
  apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';

/**
 * How a resource is named in the diff, or undefined for carriers. A Kubernetes object by group, kind,
 * namespace and name (`apps Deployment apps/order`, `core Secret data/db`): its version is not part of its
 * identity, so moving `v1beta1` to `v1` is a change of the object, not a delete and a create. Other resources
 * (Helm releases, cloud resources) by type and Pulumi name.
 */
export function resourceIdentity(r: PlanResource): string | undefined {
  if (CARRIERS.has(r.type)) return undefined;
  const o = kubernetesObject(r);
  if (o === undefined) return `${r.type} ${r.name}`;
  const group = apiGroup(o.apiVersion);
  const where = o.namespace === undefined ? o.name : `${o.namespace}/${o.name}`;
  return `${group === '' ? 'core' : group} ${o.kind} ${where}`;
}

/** The resources by identity; a second resource with the same identity gets ` #2` (never silently lost). */
export function indexResources(resources: readonly PlanResource[]): Map<string, PlanResource> {
  const byId = new Map<string, PlanResource>();
  for (const r of resources) {
    const id = resourceIdentity(r);
    if (id === undefined) continue;
    let k = id;
    for (let n = 2; byId.has(k); n++) k = `${id} #${n}`;
    byId.set(k, r);
  }
  return byId;
}
