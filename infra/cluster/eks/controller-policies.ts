import type { PolicyDocument } from './irsa-role';

/**
 * AWS Load Balancer Controller, NLB only: a least-privilege subset of the upstream policy
 * (docs/install/iam_policy.json). Left out: ALB extras (Cognito, WAF, WAFv2, Shield, listener rules on
 * ALBs), which the controller is told not to use (enableWaf/enableWafv2/enableShield false). Everything
 * that changes or deletes a load balancer, target group or security group is limited to resources tagged
 * `elbv2.k8s.aws/cluster=<this cluster>`, so one cluster's controller cannot touch another's.
 */
export function loadBalancerControllerPolicy(
  clusterName: string,
  partition: string,
  vpcId: string,
): PolicyDocument {
  const ownTag = { 'aws:ResourceTag/elbv2.k8s.aws/cluster': clusterName };
  const elb = (path: string) => `arn:${partition}:elasticloadbalancing:*:*:${path}`;
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ServiceLinkedRole',
        Effect: 'Allow',
        Action: 'iam:CreateServiceLinkedRole',
        Resource: '*',
        Condition: { StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } },
      },
      {
        Sid: 'Discover',
        Effect: 'Allow',
        Action: [
          'ec2:DescribeAccountAttributes',
          'ec2:DescribeAddresses',
          'ec2:DescribeAvailabilityZones',
          'ec2:DescribeInternetGateways',
          'ec2:DescribeVpcs',
          'ec2:DescribeVpcPeeringConnections',
          'ec2:DescribeSubnets',
          'ec2:GetSecurityGroupsForVpc',
          'ec2:DescribeSecurityGroups',
          'ec2:DescribeInstances',
          'ec2:DescribeNetworkInterfaces',
          'ec2:DescribeTags',
          'ec2:DescribeRouteTables',
          'elasticloadbalancing:DescribeLoadBalancers',
          'elasticloadbalancing:DescribeLoadBalancerAttributes',
          'elasticloadbalancing:DescribeListeners',
          'elasticloadbalancing:DescribeListenerAttributes',
          'elasticloadbalancing:DescribeListenerCertificates',
          'elasticloadbalancing:DescribeSSLPolicies',
          'elasticloadbalancing:DescribeTargetGroups',
          'elasticloadbalancing:DescribeTargetGroupAttributes',
          'elasticloadbalancing:DescribeTargetHealth',
          'elasticloadbalancing:DescribeTags',
          'elasticloadbalancing:DescribeCapacityReservation',
          'acm:ListCertificates',
          'acm:DescribeCertificate',
        ],
        Resource: '*',
      },
      {
        Sid: 'CreateSecurityGroups',
        Effect: 'Allow',
        Action: 'ec2:CreateSecurityGroup',
        Resource: '*',
      },
      {
        Sid: 'TagNewSecurityGroups',
        Effect: 'Allow',
        Action: 'ec2:CreateTags',
        Resource: `arn:${partition}:ec2:*:*:security-group/*`,
        Condition: {
          StringEquals: {
            'ec2:CreateAction': 'CreateSecurityGroup',
            'aws:RequestTag/elbv2.k8s.aws/cluster': clusterName,
          },
        },
      },
      {
        Sid: 'ManageOwnSecurityGroups',
        Effect: 'Allow',
        Action: ['ec2:CreateTags', 'ec2:DeleteTags', 'ec2:DeleteSecurityGroup'],
        Resource: `arn:${partition}:ec2:*:*:security-group/*`,
        Condition: { StringEquals: ownTag },
      },
      {
        // Its own groups and the nodes' (untagged), which it opens to its load balancers: this VPC only.
        Sid: 'SecurityGroupRulesInVpc',
        Effect: 'Allow',
        Action: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'],
        Resource: `arn:${partition}:ec2:*:*:security-group/*`,
        Condition: { ArnLike: { 'ec2:Vpc': `arn:${partition}:ec2:*:*:vpc/${vpcId}` } },
      },
      {
        Sid: 'CreateLoadBalancers',
        Effect: 'Allow',
        Action: ['elasticloadbalancing:CreateLoadBalancer', 'elasticloadbalancing:CreateTargetGroup'],
        Resource: '*',
        Condition: { StringEquals: { 'aws:RequestTag/elbv2.k8s.aws/cluster': clusterName } },
      },
      {
        Sid: 'TagOnCreate',
        Effect: 'Allow',
        Action: 'elasticloadbalancing:AddTags',
        Resource: [elb('targetgroup/*/*'), elb('loadbalancer/net/*/*'), elb('loadbalancer/app/*/*')],
        Condition: {
          StringEquals: {
            'elasticloadbalancing:CreateAction': ['CreateTargetGroup', 'CreateLoadBalancer'],
            'aws:RequestTag/elbv2.k8s.aws/cluster': clusterName,
          },
        },
      },
      {
        Sid: 'ManageOwnLoadBalancers',
        Effect: 'Allow',
        Action: [
          'elasticloadbalancing:AddTags',
          'elasticloadbalancing:RemoveTags',
          'elasticloadbalancing:ModifyLoadBalancerAttributes',
          'elasticloadbalancing:SetIpAddressType',
          'elasticloadbalancing:SetSecurityGroups',
          'elasticloadbalancing:SetSubnets',
          'elasticloadbalancing:DeleteLoadBalancer',
          'elasticloadbalancing:ModifyTargetGroup',
          'elasticloadbalancing:ModifyTargetGroupAttributes',
          'elasticloadbalancing:DeleteTargetGroup',
          'elasticloadbalancing:ModifyCapacityReservation',
        ],
        Resource: [elb('targetgroup/*/*'), elb('loadbalancer/net/*/*'), elb('loadbalancer/app/*/*')],
        Condition: { StringEquals: ownTag },
      },
      {
        // Listeners carry no cluster tag of their own; they are reached through the load balancer.
        Sid: 'Listeners',
        Effect: 'Allow',
        Action: [
          'elasticloadbalancing:CreateListener',
          'elasticloadbalancing:DeleteListener',
          'elasticloadbalancing:ModifyListener',
          'elasticloadbalancing:ModifyListenerAttributes',
          'elasticloadbalancing:AddListenerCertificates',
          'elasticloadbalancing:RemoveListenerCertificates',
          'elasticloadbalancing:AddTags',
          'elasticloadbalancing:RemoveTags',
        ],
        Resource: [elb('loadbalancer/net/*/*'), elb('listener/net/*/*/*')],
      },
      {
        Sid: 'Targets',
        Effect: 'Allow',
        Action: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
        Resource: elb('targetgroup/*/*'),
      },
    ],
  };
}

/**
 * Cluster Autoscaler with auto-discovery: reads every group, but resizes and terminates only in groups
 * tagged `k8s.io/cluster-autoscaler/<cluster>=owned`, which EKS puts on its managed node groups' ASGs.
 */
export function clusterAutoscalerPolicy(
  clusterName: string,
  partition: string,
  region: string,
): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Discover',
        Effect: 'Allow',
        Action: [
          'autoscaling:DescribeAutoScalingGroups',
          'autoscaling:DescribeAutoScalingInstances',
          'autoscaling:DescribeLaunchConfigurations',
          'autoscaling:DescribeScalingActivities',
          'autoscaling:DescribeTags',
          'ec2:DescribeImages',
          'ec2:DescribeInstanceTypes',
          'ec2:DescribeLaunchTemplateVersions',
          'ec2:GetInstanceTypesFromInstanceRequirements',
        ],
        Resource: '*',
      },
      {
        // Labels and taints of empty node groups, so it can scale the data group up from zero.
        Sid: 'NodeGroupTemplates',
        Effect: 'Allow',
        Action: 'eks:DescribeNodegroup',
        Resource: `arn:${partition}:eks:${region}:*:nodegroup/${clusterName}/*`,
      },
      {
        Sid: 'ScaleOwnGroups',
        Effect: 'Allow',
        Action: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
        Resource: '*',
        Condition: {
          StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${clusterName}`]: 'owned' },
        },
      },
    ],
  };
}

/** External Secrets: read (never list or write) the secrets under the environment's path, and nothing else. */
export function externalSecretsPolicy(
  partition: string,
  region: string,
  accountId: string,
  prefix: string,
): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ReadEnvironmentSecrets',
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        Resource: `arn:${partition}:secretsmanager:${region}:${accountId}:secret:${prefix}*`,
      },
    ],
  };
}

/**
 * ExternalDNS: change records in the environment's one hosted zone, and there only names under its domain;
 * read that zone's records and tags; list hosted zones (an action that takes no resource) to find the zone by
 * id. Route 53 compares the condition against normalised names (lower case, no trailing dot, `*` as `\052`),
 * which `*.<domain>` matches, wildcard and TXT registry records included.
 */
export function externalDnsPolicy(partition: string, hostedZoneId: string, domain: string): PolicyDocument {
  const zone = `arn:${partition}:route53:::hostedzone/${hostedZoneId}`;
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ChangeRecordsUnderDomain',
        Effect: 'Allow',
        Action: 'route53:ChangeResourceRecordSets',
        Resource: zone,
        Condition: {
          'ForAllValues:StringLike': {
            'route53:ChangeResourceRecordSetsNormalizedRecordNames': [domain, `*.${domain}`],
          },
        },
      },
      {
        Sid: 'ReadZone',
        Effect: 'Allow',
        Action: ['route53:ListResourceRecordSets', 'route53:ListTagsForResources'],
        Resource: zone,
      },
      { Sid: 'FindZone', Effect: 'Allow', Action: 'route53:ListHostedZones', Resource: '*' },
    ],
  };
}
