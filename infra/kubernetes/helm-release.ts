import * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import type { ChartPin } from '../versions';

/**
 * A Helm release pinned in infra/versions.ts. helm.v3.Release is one resource whose inputs (chart, version,
 * values) show in previews and in the offline plan; it waits until the release's workloads are ready, so
 * whatever depends on it finds running controllers and installed CRDs.
 */
export function pinnedRelease(
  name: string,
  pin: ChartPin,
  release: { releaseName: string; namespace: string; values: pulumi.Inputs; createNamespace?: boolean },
  opts: pulumi.CustomResourceOptions,
): k8s.helm.v3.Release {
  return new k8s.helm.v3.Release(
    name,
    {
      name: release.releaseName,
      chart: pin.chart,
      version: pin.version,
      ...(pin.repo !== undefined && { repositoryOpts: { repo: pin.repo } }),
      namespace: release.namespace,
      createNamespace: release.createNamespace ?? false,
      values: release.values,
      // A failed install or upgrade is rolled back instead of leaving a half-applied release.
      atomic: true,
      cleanupOnFail: true,
      timeout: 600,
    },
    opts,
  );
}
