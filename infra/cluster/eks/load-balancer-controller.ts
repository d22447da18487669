import type * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { CHARTS } from '../../versions';
import { ROLE_ARN_ANNOTATION, type ClusterContext } from './cluster-context';
import { loadBalancerControllerPolicy } from './controller-policies';
import { pinnedRelease } from '../../kubernetes';
import { IrsaRole } from './irsa-role';

export const LOAD_BALANCER_CONTROLLER = {
  namespace: 'kube-system',
  serviceAccount: 'aws-load-balancer-controller',
} as const;

export interface LoadBalancerControllerArgs {
  readonly context: ClusterContext;
  readonly vpcId: pulumi.Input<string>;
}

/**
 * AWS Load Balancer Controller: turns the gateway's LoadBalancer Service into an NLB with IP targets.
 * Region and VPC are given, so it never depends on reaching the instance metadata service.
 */
export class LoadBalancerController extends pulumi.ComponentResource {
  readonly role: IrsaRole;
  readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: LoadBalancerControllerArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:eks:LoadBalancerController', name, {}, opts);
    const ctx = args.context;
    this.role = new IrsaRole(
      `${name}-irsa`,
      {
        roleName: `${ctx.clusterName}-load-balancer-controller`,
        oidcProviderArn: ctx.oidcProviderArn,
        oidcIssuer: ctx.oidcIssuer,
        ...LOAD_BALANCER_CONTROLLER,
        policy: pulumi
          .output(args.vpcId)
          .apply((vpcId) => loadBalancerControllerPolicy(ctx.clusterName, ctx.partition, vpcId)),
        description: `AWS Load Balancer Controller of ${ctx.clusterName}`,
        tags: ctx.tags,
      },
      { parent: this },
    );
    this.release = pinnedRelease(
      `${name}-release`,
      CHARTS.awsLoadBalancerController,
      {
        releaseName: 'aws-load-balancer-controller',
        namespace: LOAD_BALANCER_CONTROLLER.namespace,
        values: {
          clusterName: ctx.clusterName,
          region: ctx.region,
          vpcId: args.vpcId,
          replicaCount: 2,
          serviceAccount: {
            create: true,
            name: LOAD_BALANCER_CONTROLLER.serviceAccount,
            annotations: { [ROLE_ARN_ANNOTATION]: this.role.arn },
          },
          // The IAM policy covers NLBs only; these ALB features would fail with AccessDenied.
          enableShield: false,
          enableWaf: false,
          enableWafv2: false,
          // Its Service webhook would intercept every Service cluster-wide and fail them while the controller
          // starts; our Services name the controller explicitly (aws-load-balancer-type: external).
          enableServiceMutatorWebhook: false,
          nodeSelector: { ...ctx.systemNodeSelector },
        },
      },
      { parent: this, dependsOn: [...ctx.ready, ...this.role.attachments] },
    );
    this.registerOutputs({ roleArn: this.role.arn });
  }
}
