import * as k8s from '@pulumi/kubernetes';
import type * as pulumi from '@pulumi/pulumi';
import type { ChartPin } from '../versions';

/**
 * A pinned Helm release (helm.v3.Release: one resource whose inputs show chart, version and values in
 * previews and in the offline plan). Waits for readiness, and rolls back a failed upgrade.
 */
export function helmRelease(
  name: string,
  pin: ChartPin,
  args: { releaseName: string; namespace: string; values?: pulumi.Inputs; createNamespace?: boolean },
  opts: pulumi.CustomResourceOptions,
): k8s.helm.v3.Release {
  return new k8s.helm.v3.Release(
    name,
    {
      name: args.releaseName,
      chart: pin.chart,
      version: pin.version,
      ...(pin.repo !== undefined && { repositoryOpts: { repo: pin.repo } }),
      namespace: args.namespace,
      createNamespace: args.createNamespace ?? false,
      values: args.values ?? {},
      atomic: true,
      cleanupOnFail: true,
      timeout: 600,
    },
    opts,
  );
}
