import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';

export interface ExistingClusterArgs {
  /** kubeconfig contents (a Pulumi secret); when absent, the ambient kubeconfig ($KUBECONFIG or ~/.kube/config). */
  readonly kubeconfig?: pulumi.Input<string>;
  /** kubeconfig context to use; @default the kubeconfig's current context */
  readonly context?: string;
}

/**
 * Reaches a cluster that already exists (the on-prem clusters) through a kubeconfig. Everything that
 * deploys to the environment uses `provider`, so nothing ever lands in whatever cluster happens to be
 * the ambient default.
 */
export class ExistingCluster extends pulumi.ComponentResource {
  readonly provider: k8s.Provider;

  constructor(name: string, args: ExistingClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:cluster:ExistingCluster', name, {}, opts);
    this.provider = new k8s.Provider(
      `${name}-provider`,
      {
        ...(args.kubeconfig !== undefined && { kubeconfig: args.kubeconfig }),
        ...(args.context !== undefined && { context: args.context }),
        // Server-side apply lets controllers (HPA, operators) own their fields without fights.
        enableServerSideApply: true,
        deleteUnreachable: false,
      },
      { parent: this },
    );
    this.registerOutputs({});
  }
}
