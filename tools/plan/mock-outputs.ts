/**
 * Plausible provider-computed outputs for the offline plan, so that programs which pass one resource's
 * output into another (a role's ARN into a policy, a cluster's OIDC issuer into a trust policy) see
 * stable, readable values instead of undefined. Nothing here is ever sent anywhere.
 */
export const MOCK_ACCOUNT = '111122223333';
export const MOCK_REGION = 'eu-west-1';

const PLACEHOLDER_KUBECONFIG = JSON.stringify({
  apiVersion: 'v1',
  kind: 'Config',
  clusters: [{ name: 'planned', cluster: { server: 'https://planned.invalid' } }],
  contexts: [{ name: 'planned', context: { cluster: 'planned', user: 'planned' } }],
  'current-context': 'planned',
  users: [{ name: 'planned', user: {} }],
});

/** The AWS service of a resource type token: `aws:iam/role:Role` -> `iam`. */
function awsService(type: string): string {
  return type.slice('aws:'.length, type.indexOf('/')) || 'aws';
}

export function mockOutputs(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
): Record<string, unknown> {
  if (type === 'eks:index:Cluster') {
    const physical = typeof inputs.name === 'string' ? inputs.name : name;
    const issuer = `oidc.eks.${MOCK_REGION}.amazonaws.com/id/${name.toUpperCase().replace(/[^A-Z0-9]/g, '')}`;
    return {
      kubeconfig: JSON.parse(PLACEHOLDER_KUBECONFIG) as unknown,
      kubeconfigJson: PLACEHOLDER_KUBECONFIG,
      oidcIssuer: issuer,
      oidcProviderUrl: `https://${issuer}`,
      oidcProviderArn: `arn:aws:iam::${MOCK_ACCOUNT}:oidc-provider/${issuer}`,
      clusterSecurityGroupId: `sg-${name}-cluster`,
      nodeSecurityGroupId: `sg-${name}-node`,
      eksCluster: { name: physical, arn: `arn:aws:eks:${MOCK_REGION}:${MOCK_ACCOUNT}:cluster/${physical}` },
      core: { cluster: { name: physical } },
    };
  }
  if (type === 'random:index/randomPassword:RandomPassword') {
    // Never a real password: the plan only needs a stable value to build connection strings from.
    return { result: `planned-password-${name}` };
  }
  if (type.startsWith('aws:')) {
    const physical = typeof inputs.name === 'string' ? inputs.name : name;
    const outputs: Record<string, unknown> = {
      arn: `arn:aws:${awsService(type)}:${MOCK_REGION}:${MOCK_ACCOUNT}:${physical}`,
    };
    if (type === 'aws:iam/role:Role') outputs.arn = `arn:aws:iam::${MOCK_ACCOUNT}:role/${physical}`;
    if (type === 'aws:iam/policy:Policy') outputs.arn = `arn:aws:iam::${MOCK_ACCOUNT}:policy/${physical}`;
    if (type === 'aws:kms/key:Key') outputs.keyId = `${name}-key-id`;
    if (type === 'aws:ecr/repository:Repository') {
      outputs.repositoryUrl = `${MOCK_ACCOUNT}.dkr.ecr.${MOCK_REGION}.amazonaws.com/${physical}`;
    }
    if (type === 'aws:eks/cluster:Cluster') {
      outputs.identities = [
        { oidcs: [{ issuer: `https://oidc.eks.${MOCK_REGION}.amazonaws.com/id/${name}` }] },
      ];
    }
    return outputs;
  }
  return {};
}

/** Answers for the provider functions a program may call while planning. */
export function mockCall(token: string, args: Record<string, unknown>): Record<string, unknown> {
  switch (token) {
    case 'aws:index/getCallerIdentity:getCallerIdentity':
      return {
        accountId: MOCK_ACCOUNT,
        arn: `arn:aws:iam::${MOCK_ACCOUNT}:user/plan`,
        userId: 'plan',
        id: MOCK_ACCOUNT,
      };
    case 'aws:index/getRegion:getRegion':
      return { name: MOCK_REGION, id: MOCK_REGION, region: MOCK_REGION };
    case 'aws:index/getPartition:getPartition':
      return { partition: 'aws', dnsSuffix: 'amazonaws.com', id: 'aws' };
    case 'aws:iam/getPolicyDocument:getPolicyDocument':
      return { json: JSON.stringify(args), id: 'policy' };
    default:
      return {};
  }
}
