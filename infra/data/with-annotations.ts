import type { KubernetesObject } from '../../charts';

/**
 * Adds annotations to the rendered objects of one kind, e.g. `pulumi.com/waitFor` on a custom resource so
 * that `pulumi up` waits for its operator. Pulumi concerns stay out of the (pure) charts.
 */
export function withAnnotations(
  objects: readonly KubernetesObject[],
  kind: string,
  annotations: Readonly<Record<string, string>>,
): KubernetesObject[] {
  return objects.map((o) => {
    if (o.kind !== kind) return o;
    const existing = (o.metadata.annotations ?? {}) as Record<string, string>;
    return { ...o, metadata: { ...o.metadata, annotations: { ...existing, ...annotations } } };
  });
}
