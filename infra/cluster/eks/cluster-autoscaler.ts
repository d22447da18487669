import type * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { CHARTS } from '../../versions';
import { ROLE_ARN_ANNOTATION, type ClusterContext } from './cluster-context';
import { clusterAutoscalerPolicy } from './controller-policies';
import { pinnedRelease } from '../../kubernetes';
import { IrsaRole } from './irsa-role';

export const CLUSTER_AUTOSCALER = { namespace: 'kube-system', serviceAccount: 'cluster-autoscaler' } as const;

/**
 * Cluster Autoscaler, finding the managed node groups by the tags EKS puts on their auto scaling groups.
 *
 * Why not Karpenter: the platform's capacity is three fixed pools (system, workloads, data) that are managed
 * node groups; the autoscaler resizes exactly those within the min/max the stack file declares, and EKS
 * keeps owning the nodes' AMIs and rolling upgrades. Karpenter would replace the node groups with its own
 * NodePools/EC2NodeClasses, an interruption queue (SQS + EventBridge) and a controller that must itself run
 * somewhere outside what it scales: more moving parts than three pools need.
 */
export class ClusterAutoscaler extends pulumi.ComponentResource {
  readonly role: IrsaRole;
  readonly release: k8s.helm.v3.Release;

  constructor(
    name: string,
    args: { readonly context: ClusterContext },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super('platform:eks:ClusterAutoscaler', name, {}, opts);
    const ctx = args.context;
    this.role = new IrsaRole(
      `${name}-irsa`,
      {
        roleName: `${ctx.clusterName}-cluster-autoscaler`,
        oidcProviderArn: ctx.oidcProviderArn,
        oidcIssuer: ctx.oidcIssuer,
        ...CLUSTER_AUTOSCALER,
        policy: clusterAutoscalerPolicy(ctx.clusterName, ctx.partition, ctx.region),
        description: `Cluster Autoscaler of ${ctx.clusterName}`,
        tags: ctx.tags,
      },
      { parent: this },
    );
    this.release = pinnedRelease(
      `${name}-release`,
      CHARTS.clusterAutoscaler,
      {
        releaseName: 'cluster-autoscaler',
        namespace: CLUSTER_AUTOSCALER.namespace,
        values: {
          cloudProvider: 'aws',
          awsRegion: ctx.region,
          autoDiscovery: { clusterName: ctx.clusterName },
          fullnameOverride: 'cluster-autoscaler',
          // The autoscaler supports the Kubernetes minor it was released with: keep them in step.
          image: { tag: `v${ctx.kubernetesVersion}.0` },
          rbac: {
            serviceAccount: {
              create: true,
              name: CLUSTER_AUTOSCALER.serviceAccount,
              annotations: { [ROLE_ARN_ANNOTATION]: this.role.arn },
            },
          },
          extraArgs: { expander: 'least-waste' },
          nodeSelector: { ...ctx.systemNodeSelector },
        },
      },
      { parent: this, dependsOn: [...ctx.ready, ...this.role.attachments] },
    );
    this.registerOutputs({ roleArn: this.role.arn });
  }
}
