import * as aws from '@pulumi/aws';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { ClusterContext } from './cluster-context';
import { IrsaRole } from './irsa-role';

export const EBS_CSI = { namespace: 'kube-system', serviceAccount: 'ebs-csi-controller-sa' } as const;

export interface EbsStorageArgs {
  readonly context: ClusterContext;
  /** Name of the default StorageClass, e.g. "gp3". */
  readonly storageClassName: string;
}

/**
 * The EBS CSI driver as an EKS managed add-on (IRSA role with the AWS-managed driver policy) and the
 * cluster's default StorageClass: encrypted gp3, bound in the zone where the pod is scheduled.
 */
export class EbsStorage extends pulumi.ComponentResource {
  readonly role: IrsaRole;
  readonly addon: aws.eks.Addon;
  readonly storageClass: k8s.storage.v1.StorageClass;

  constructor(name: string, args: EbsStorageArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:eks:EbsStorage', name, {}, opts);
    const ctx = args.context;
    this.role = new IrsaRole(
      `${name}-irsa`,
      {
        roleName: `${ctx.clusterName}-ebs-csi-driver`,
        oidcProviderArn: ctx.oidcProviderArn,
        oidcIssuer: ctx.oidcIssuer,
        ...EBS_CSI,
        managedPolicyArns: [`arn:${ctx.partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy`],
        description: `EBS CSI driver of ${ctx.clusterName}`,
        tags: ctx.tags,
      },
      { parent: this },
    );
    this.addon = new aws.eks.Addon(
      `${name}-addon`,
      {
        clusterName: ctx.clusterName,
        addonName: 'aws-ebs-csi-driver',
        serviceAccountRoleArn: this.role.arn,
        // Its node plugin must run on every node, the tainted data nodes included, or their volumes never mount.
        configurationValues: JSON.stringify({ node: { tolerateAllTaints: true } }),
        resolveConflictsOnCreate: 'OVERWRITE',
        resolveConflictsOnUpdate: 'OVERWRITE',
        tags: { ...ctx.tags },
      },
      // The add-on only turns ACTIVE once its pods run, so nodes first.
      { parent: this, dependsOn: [...ctx.ready, ...this.role.attachments] },
    );
    this.storageClass = new k8s.storage.v1.StorageClass(
      `${name}-class`,
      {
        metadata: {
          name: args.storageClassName,
          annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' },
        },
        provisioner: 'ebs.csi.aws.com',
        parameters: { type: 'gp3', encrypted: 'true', 'csi.storage.k8s.io/fstype': 'ext4' },
        reclaimPolicy: 'Delete',
        // EBS volumes are zonal: create them where the pod lands, not in a random zone.
        volumeBindingMode: 'WaitForFirstConsumer',
        allowVolumeExpansion: true,
      },
      { parent: this, dependsOn: [this.addon] },
    );
    this.registerOutputs({ storageClass: args.storageClassName });
  }
}
