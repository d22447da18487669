import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import {
  architectureOf,
  NODE_GROUP_NAMES,
  type EksNodeGroupSpec,
  type NodeGroupName,
} from './eks-cluster-args';

/** Node label every group carries: workloads select their pool with it. */
export const POOL_LABEL = 'platform.io/pool';

/** Only the data stores may run on the data pool: they tolerate this taint, nothing else does. */
export const DATA_TAINT = { key: 'dedicated', value: 'data', effect: 'NO_SCHEDULE' } as const;

/** The managed node group AMI type for an OS family and the instance types' architecture. */
export function amiTypeFor(family: 'AL2023' | 'Bottlerocket', instanceTypes: readonly string[]): string {
  const arm = instanceTypes.length > 0 && instanceTypes.every((t) => architectureOf(t) === 'arm64');
  if (family === 'Bottlerocket') return arm ? 'BOTTLEROCKET_ARM_64' : 'BOTTLEROCKET_x86_64';
  return arm ? 'AL2023_ARM_64_STANDARD' : 'AL2023_x86_64_STANDARD';
}

export interface NodeGroupsArgs {
  /** An output of the cluster, so the groups wait for it. */
  readonly clusterName: pulumi.Input<string>;
  readonly kubernetesVersion: string;
  /** Physical name of the node role, unique in the account. */
  readonly roleName: string;
  /** Private subnets, one per zone: every group spans all zones. */
  readonly subnetIds: pulumi.Input<string>[];
  readonly amiType: 'AL2023' | 'Bottlerocket';
  readonly groups: Readonly<Record<NodeGroupName, EksNodeGroupSpec>>;
  readonly partition: string;
  readonly tags: Readonly<Record<string, string>>;
  /** What must exist before nodes boot (routes to the internet for image pulls). */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/**
 * The system, workloads and data managed node groups with their shared node role. With API authentication
 * EKS creates the nodes' access entry itself for managed node groups, so nothing maps the role by hand.
 */
export class NodeGroups extends pulumi.ComponentResource {
  readonly role: aws.iam.Role;
  readonly groups: Readonly<Record<NodeGroupName, aws.eks.NodeGroup>>;

  constructor(name: string, args: NodeGroupsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:eks:NodeGroups', name, {}, opts);
    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        name: args.roleName,
        description: 'EKS managed nodes',
        assumeRolePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        }),
        tags: { ...args.tags },
      },
      { parent: this },
    );
    const attachments = [
      'AmazonEKSWorkerNodePolicy',
      'AmazonEKS_CNI_Policy',
      'AmazonEC2ContainerRegistryReadOnly',
    ].map(
      (policy) =>
        new aws.iam.RolePolicyAttachment(
          `${name}-${policy}`,
          { role: this.role.name, policyArn: `arn:${args.partition}:iam::aws:policy/${policy}` },
          { parent: this },
        ),
    );

    const group = (pool: NodeGroupName): aws.eks.NodeGroup => {
      const spec = args.groups[pool];
      return new aws.eks.NodeGroup(
        `${name}-${pool}`,
        {
          clusterName: args.clusterName,
          version: args.kubernetesVersion,
          nodeRoleArn: this.role.arn,
          subnetIds: args.subnetIds,
          amiType: amiTypeFor(args.amiType, spec.instanceTypes),
          capacityType: 'ON_DEMAND',
          instanceTypes: [...spec.instanceTypes],
          diskSize: spec.diskSizeGiB,
          scalingConfig: { minSize: spec.minSize, desiredSize: spec.desiredSize, maxSize: spec.maxSize },
          // One node at a time, so the data stores' disruption budgets hold during AMI and version upgrades.
          updateConfig: { maxUnavailable: 1 },
          nodeRepairConfig: { enabled: true },
          labels: { [POOL_LABEL]: pool },
          ...(pool === 'data' && { taints: [{ ...DATA_TAINT }] }),
          tags: { ...args.tags, Name: `${name}-${pool}` },
        },
        {
          parent: this,
          // Nodes cannot join without the role's policies; deleting them first would strand the nodes.
          dependsOn: [...attachments, ...(args.dependsOn ?? [])],
          // The Cluster Autoscaler owns the size between min and max; `up` must not reset it.
          ignoreChanges: ['scalingConfig.desiredSize'],
        },
      );
    };
    this.groups = Object.fromEntries(NODE_GROUP_NAMES.map((pool) => [pool, group(pool)])) as Record<
      NodeGroupName,
      aws.eks.NodeGroup
    >;
    this.registerOutputs({ roleArn: this.role.arn });
  }
}
