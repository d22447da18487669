import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

/** IAM policy document (the JSON shape IAM takes). */
export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Principal?: Readonly<Record<string, string | readonly string[]>>;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/**
 * Trust policy of an IRSA role: only the one service account `namespace/serviceAccount` of this cluster, with
 * tokens minted for STS, may assume it. StringEquals (never StringLike) so no other account matches.
 */
export function irsaTrustPolicy(
  oidcProviderArn: string,
  oidcIssuer: string,
  namespace: string,
  serviceAccount: string,
): PolicyDocument {
  const host = oidcIssuer.replace(/^https:\/\//, '');
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: oidcProviderArn },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: {
            [`${host}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
            [`${host}:aud`]: 'sts.amazonaws.com',
          },
        },
      },
    ],
  };
}

export interface IrsaRoleArgs {
  /** Physical role (and policy) name, unique in the account: readable in CloudTrail and in the plan. */
  readonly roleName: string;
  readonly oidcProviderArn: pulumi.Input<string>;
  /** The issuer host (with or without https://). */
  readonly oidcIssuer: pulumi.Input<string>;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** AWS-managed or existing policies to attach. */
  readonly managedPolicyArns?: readonly string[];
  /** A policy of our own, created for this role only. */
  readonly policy?: pulumi.Input<PolicyDocument>;
  readonly description: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** An IAM role for one Kubernetes service account (IRSA), with its permissions. */
export class IrsaRole extends pulumi.ComponentResource {
  readonly role: aws.iam.Role;
  readonly arn: pulumi.Output<string>;
  /** The policy created for this role, when `policy` was given. */
  readonly policy?: aws.iam.Policy;
  /** Attachments: the role is usable once they exist. */
  readonly attachments: aws.iam.RolePolicyAttachment[];

  constructor(name: string, args: IrsaRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:eks:IrsaRole', name, {}, opts);
    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        name: args.roleName,
        description: args.description,
        assumeRolePolicy: pulumi
          .all([args.oidcProviderArn, args.oidcIssuer])
          .apply(([arn, issuer]) =>
            JSON.stringify(irsaTrustPolicy(arn, issuer, args.namespace, args.serviceAccount)),
          ),
        tags: { ...args.tags },
      },
      { parent: this },
    );
    this.attachments = (args.managedPolicyArns ?? []).map(
      (policyArn, i) =>
        new aws.iam.RolePolicyAttachment(
          `${name}-managed-${i}`,
          { role: this.role.name, policyArn },
          { parent: this },
        ),
    );
    if (args.policy !== undefined) {
      this.policy = new aws.iam.Policy(
        `${name}-policy`,
        {
          name: args.roleName,
          description: args.description,
          policy: pulumi.output(args.policy).apply((doc) => JSON.stringify(doc)),
          tags: { ...args.tags },
        },
        { parent: this },
      );
      this.attachments.push(
        new aws.iam.RolePolicyAttachment(
          `${name}-policy`,
          { role: this.role.name, policyArn: this.policy.arn },
          { parent: this },
        ),
      );
    }
    this.arn = this.role.arn;
    this.registerOutputs({ arn: this.arn });
  }
}
