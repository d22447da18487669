import * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';

/** A rendered Kubernetes object (from a cdk8s chart). */
export type ObjectManifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
};

/**
 * Applies rendered objects with `k8s.yaml.ConfigGroup` (v1), which registers one Pulumi resource per
 * object, so previews and the offline plan show each object with its inputs.
 */
export function applyObjects(
  name: string,
  objects: readonly ObjectManifest[],
  opts: { parent: pulumi.Resource; provider: k8s.Provider; dependsOn?: pulumi.Input<pulumi.Resource>[] },
): k8s.yaml.ConfigGroup {
  return new k8s.yaml.ConfigGroup(
    name,
    {
      objs: objects.map((o) => ({ ...o })),
      // Children are named `<group>-<namespace>/<name>`, so every resource name says which group made it.
      resourcePrefix: name,
      transformations: [
        leaveReplicasToAutoscaler(objects),
        ...(opts.dependsOn ? [childrenDependOn(opts.dependsOn)] : []),
      ],
    },
    opts,
  );
}

/** Workloads an HPA scales: Deployments, and Argo Rollouts for canary and blue-green services. */
const SCALED_KINDS = new Set(['Deployment', 'Rollout']);

type Manifest = { kind?: string; metadata?: { name?: string; namespace?: string }; spec?: unknown };

/**
 * A ConfigGroup transformation: a Deployment or Rollout scaled by an HPA among `objects` gets
 * `ignoreChanges: ['spec.replicas']`, because after the first apply the HPA owns the count and Pulumi must
 * not reset it to the floor on every `up`. Deployments without an HPA keep their configured count.
 */
export function leaveReplicasToAutoscaler(objects: readonly Manifest[]) {
  const key = (ns: unknown, name: unknown) => `${String(ns)}/${String(name)}`;
  const scaled = new Set(
    objects
      .filter((o) => o.kind === 'HorizontalPodAutoscaler')
      .map((o) => {
        const target = (o.spec as { scaleTargetRef?: { kind?: string; name?: string } }).scaleTargetRef;
        return target?.kind !== undefined && SCALED_KINDS.has(target.kind)
          ? `${target.kind} ${key(o.metadata?.namespace, target.name)}`
          : '';
      }),
  );
  return (obj: Manifest, opts: pulumi.CustomResourceOptions): void => {
    if (
      obj.kind !== undefined &&
      SCALED_KINDS.has(obj.kind) &&
      scaled.has(`${obj.kind} ${key(obj.metadata?.namespace, obj.metadata?.name)}`)
    ) {
      opts.ignoreChanges = [...(opts.ignoreChanges ?? []), 'spec.replicas'];
    }
  };
}

/**
 * ConfigGroup (v1) hands its children only `parent`, not `dependsOn`: without this, the objects of a group
 * that depends on a Helm release (its CRDs) could be created before the release.
 */
export function childrenDependOn(deps: pulumi.Input<pulumi.Resource>[]) {
  return (_obj: unknown, opts: pulumi.CustomResourceOptions): void => {
    const existing =
      opts.dependsOn === undefined ? [] : Array.isArray(opts.dependsOn) ? opts.dependsOn : [opts.dependsOn];
    opts.dependsOn = [...(existing as pulumi.Input<pulumi.Resource>[]), ...deps];
  };
}
