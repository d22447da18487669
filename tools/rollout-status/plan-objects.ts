import type { PlanResource } from '../release';

/** A Kubernetes object of the plan, as rendered. */
export interface PlanObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
  };
  readonly [field: string]: unknown;
}

/** Carriers of objects the plan also lists one by one (see tools/release/plan-diff.ts). */
const CARRIERS = new Set(['kubernetes:yaml:ConfigGroup', 'kubernetes:yaml:ConfigFile']);

/** The Kubernetes objects among a plan's resources. */
export function planObjects(resources: readonly PlanResource[]): PlanObject[] {
  return resources
    .filter((r) => r.type.startsWith('kubernetes:') && !CARRIERS.has(r.type))
    .map((r) => r.inputs)
    .filter(
      (o): o is Record<string, unknown> & PlanObject =>
        typeof o.kind === 'string' &&
        typeof o.apiVersion === 'string' &&
        typeof (o.metadata as { name?: unknown } | undefined)?.name === 'string',
    );
}

/** The object of that kind and name (in that namespace when given). */
export function findObject<T = PlanObject>(
  objects: readonly PlanObject[],
  kind: string,
  name: string,
  namespace?: string,
): T | undefined {
  return objects.find(
    (o) =>
      o.kind === kind &&
      o.metadata.name === name &&
      (namespace === undefined || o.metadata.namespace === undefined || o.metadata.namespace === namespace),
  ) as T | undefined;
}
