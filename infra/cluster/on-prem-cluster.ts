import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { ClusterAccess, GatewayExposure } from './cluster-info';

export type OnPremLoadBalancer =
  | { readonly mode: 'metallb'; readonly addressPool: string }
  | { readonly mode: 'nodePort'; readonly httpPort: number; readonly httpsPort: number };

export interface OnPremClusterArgs {
  /** kubeconfig contents (a Pulumi secret); when absent, the ambient kubeconfig with `context`. */
  readonly kubeconfig?: pulumi.Input<string>;
  /** kubeconfig context to use; @default the kubeconfig's current context */
  readonly context?: string;
  /** Declared capabilities of the cluster: nothing is guessed. */
  readonly storageClass: string;
  readonly loadBalancer: OnPremLoadBalancer;
  readonly registry: string;
  readonly zones: { readonly topologyKey: string; readonly count: number };
  readonly metricsServer: 'install' | 'present';
}

/**
 * An existing on-prem cluster (dev, qat), reached through a kubeconfig, described by the capabilities its
 * stack file declares. Everything that deploys to the environment uses `access.provider`, so nothing ever
 * lands in whatever cluster happens to be the ambient default.
 */
export class OnPremCluster extends pulumi.ComponentResource {
  readonly access: ClusterAccess;

  constructor(name: string, args: OnPremClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:cluster:OnPremCluster', name, {}, opts);
    if (args.kubeconfig === undefined && args.context === undefined) {
      throw new Error(`${name}: an on-prem cluster needs a kubeconfig or a context`);
    }
    const provider = new k8s.Provider(
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
    this.access = {
      provider,
      storageClass: args.storageClass,
      secretBackend: { kind: 'kubernetes' },
      zones: args.zones,
      imageRegistry: args.registry,
      gatewayExposure: gatewayExposure(args.loadBalancer),
      installMetricsServer: args.metricsServer === 'install',
      dataPlacement: { nodeSelector: {}, tolerations: [] },
      ready: [],
    };
    this.registerOutputs({ storageClass: args.storageClass, imageRegistry: args.registry });
  }
}

function gatewayExposure(lb: OnPremLoadBalancer): GatewayExposure {
  if (lb.mode === 'metallb') {
    return { serviceType: 'LoadBalancer', serviceAnnotations: { 'metallb.io/address-pool': lb.addressPool } };
  }
  return {
    serviceType: 'NodePort',
    serviceAnnotations: {},
    nodePorts: { http: lb.httpPort, https: lb.httpsPort },
  };
}
