import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { CHARTS } from '../../versions';
import { ROLE_ARN_ANNOTATION, type ClusterContext } from './cluster-context';
import { externalSecretsPolicy } from './controller-policies';
import { pinnedRelease } from '../../kubernetes';
import { IrsaRole } from './irsa-role';

export const EXTERNAL_SECRETS = {
  namespace: 'external-secrets',
  serviceAccount: 'external-secrets',
} as const;

export interface ExternalSecretsArgs {
  readonly context: ClusterContext;
  readonly accountId: pulumi.Input<string>;
  /** Secrets Manager path the environment may read, ending in "/". */
  readonly pathPrefix: string;
  /** Name of the ClusterSecretStore ExternalSecrets reference. */
  readonly storeName: string;
}

/**
 * External Secrets Operator with read access to the environment's Secrets Manager path only, and the
 * ClusterSecretStore that ExternalSecrets use. The store authenticates with a token of the operator's own
 * service account (JWT auth), whose IRSA role is the only identity with that access.
 */
export class ExternalSecrets extends pulumi.ComponentResource {
  readonly role: IrsaRole;
  readonly release: k8s.helm.v3.Release;
  readonly store: k8s.apiextensions.CustomResource;

  constructor(name: string, args: ExternalSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:eks:ExternalSecrets', name, {}, opts);
    const ctx = args.context;
    this.role = new IrsaRole(
      `${name}-irsa`,
      {
        roleName: `${ctx.clusterName}-external-secrets`,
        oidcProviderArn: ctx.oidcProviderArn,
        oidcIssuer: ctx.oidcIssuer,
        ...EXTERNAL_SECRETS,
        policy: pulumi
          .output(args.accountId)
          .apply((account) => externalSecretsPolicy(ctx.partition, ctx.region, account, args.pathPrefix)),
        description: `External Secrets of ${ctx.clusterName}: read ${args.pathPrefix}*`,
        tags: ctx.tags,
      },
      { parent: this },
    );
    const nodeSelector = { ...ctx.systemNodeSelector };
    this.release = pinnedRelease(
      `${name}-release`,
      CHARTS.externalSecrets,
      {
        releaseName: 'external-secrets',
        namespace: EXTERNAL_SECRETS.namespace,
        createNamespace: true,
        values: {
          installCRDs: true,
          serviceAccount: {
            create: true,
            name: EXTERNAL_SECRETS.serviceAccount,
            annotations: { [ROLE_ARN_ANNOTATION]: this.role.arn },
          },
          nodeSelector,
          webhook: { nodeSelector },
          certController: { nodeSelector },
        },
      },
      { parent: this, dependsOn: [...ctx.ready, ...this.role.attachments] },
    );
    // external-secrets.io/v1: chart 0.19 serves only v1 (v1beta1 stopped being served in 0.17).
    this.store = new k8s.apiextensions.CustomResource(
      `${name}-store`,
      {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ClusterSecretStore',
        metadata: { name: args.storeName },
        spec: {
          provider: {
            aws: {
              service: 'SecretsManager',
              region: ctx.region,
              auth: {
                jwt: {
                  serviceAccountRef: {
                    name: EXTERNAL_SECRETS.serviceAccount,
                    namespace: EXTERNAL_SECRETS.namespace,
                  },
                },
              },
            },
          },
        },
      },
      // The CRD and its validating webhook come with the release.
      { parent: this, dependsOn: [this.release] },
    );
    this.registerOutputs({ roleArn: this.role.arn, store: args.storeName });
  }
}
