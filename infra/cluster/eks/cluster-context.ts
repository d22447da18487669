import type * as pulumi from '@pulumi/pulumi';

/** What every add-on needs to know about the cluster it is installed in. */
export interface ClusterContext {
  /** Physical cluster name; add-ons also depend on `ready`, which includes the cluster. */
  readonly clusterName: string;
  readonly kubernetesVersion: string;
  readonly oidcProviderArn: pulumi.Output<string>;
  /** OIDC issuer host, without https://. */
  readonly oidcIssuer: pulumi.Output<string>;
  readonly region: string;
  readonly partition: string;
  readonly tags: Readonly<Record<string, string>>;
  /** Places controllers on the system node group. */
  readonly systemNodeSelector: Readonly<Record<string, string>>;
  /** What must exist before an add-on is installed: the cluster, nodes to run on, cluster DNS. */
  readonly ready: readonly pulumi.Resource[];
}

/** The annotation that binds a service account to its IRSA role. */
export const ROLE_ARN_ANNOTATION = 'eks.amazonaws.com/role-arn';
