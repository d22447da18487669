import * as aws from '@pulumi/aws';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { SecretBackend } from '../cluster';

export interface DistributedSecretArgs {
  readonly provider: k8s.Provider;
  readonly backend: SecretBackend;
  /** Name of the Kubernetes Secret in every namespace. */
  readonly secretName: string;
  readonly namespaces: readonly string[];
  /** Keys and (Pulumi secret) values. */
  readonly data: Readonly<Record<string, pulumi.Input<string>>>;
  readonly labels?: Readonly<Record<string, string>>;
  /** Resources the Secrets need first (namespaces, the secret store). */
  readonly dependsOn?: readonly pulumi.Resource[];
}

/** ExternalSecrets report Ready once the Kubernetes Secret is written; Pulumi waits for that. */
const WAIT_FOR_SYNC = { 'pulumi.com/waitFor': 'condition=Ready' };

/**
 * One secret, made available as the same Kubernetes Secret in several namespaces, through the cluster's
 * secret backend: Kubernetes Secrets written by Pulumi (on prem), or one AWS Secrets Manager entry under the
 * environment's path, synced into each namespace by an ExternalSecret (EKS). Values are never plain in the
 * state: they are Pulumi secrets.
 */
export class DistributedSecret extends pulumi.ComponentResource {
  /** The Kubernetes objects (Secrets or ExternalSecrets): workloads that mount the Secret depend on them. */
  readonly ready: pulumi.Resource[];
  readonly secretName: string;

  constructor(name: string, args: DistributedSecretArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:data:DistributedSecret', name, {}, opts);
    this.secretName = args.secretName;
    const onCluster = {
      parent: this,
      provider: args.provider,
      ...(args.dependsOn && { dependsOn: [...args.dependsOn] }),
    };
    const labels = { 'app.kubernetes.io/managed-by': 'platform', ...args.labels };
    // Each value a secret of its own, so the keys stay visible in previews and only the values are hidden.
    const values = Object.fromEntries(Object.entries(args.data).map(([k, v]) => [k, pulumi.secret(v)]));

    if (args.backend.kind === 'kubernetes') {
      this.ready = args.namespaces.map(
        (namespace) =>
          new k8s.core.v1.Secret(
            `${name}-${namespace}`,
            {
              metadata: { name: args.secretName, namespace, labels },
              type: 'Opaque',
              stringData: values,
            },
            onCluster,
          ),
      );
    } else {
      const backend = args.backend;
      const remoteName = `${backend.pathPrefix}${args.secretName}`;
      const replicaRegions = backend.replicaRegions ?? [];
      const writeRemote = (): pulumi.Resource => {
        const remote = new aws.secretsmanager.Secret(
          `${name}-remote`,
          {
            name: remoteName,
            description: `${args.secretName}, synced into ${args.namespaces.join(', ')} by External Secrets`,
            recoveryWindowInDays: 7,
            // Replicas in the DR standby region; Secrets Manager keeps them in sync with the primary.
            ...(replicaRegions.length > 0 && { replicas: replicaRegions.map((region) => ({ region })) }),
            tags: { 'managed-by': 'pulumi', project: 'platform' },
          },
          { parent: this, provider: backend.awsProvider },
        );
        return new aws.secretsmanager.SecretVersion(
          `${name}-remote-value`,
          {
            secretId: remote.id,
            secretString: pulumi.secret(pulumi.output(values).apply((d) => JSON.stringify(d))),
          },
          { parent: this, provider: backend.awsProvider },
        );
      };
      // A replica's entry belongs to the primary (DR standby): only the ExternalSecrets below are created.
      const written = backend.entries === 'replica' ? [] : [writeRemote()];
      this.ready = args.namespaces.map(
        (namespace) =>
          new k8s.apiextensions.CustomResource(
            `${name}-${namespace}`,
            {
              apiVersion: 'external-secrets.io/v1',
              kind: 'ExternalSecret',
              metadata: { name: args.secretName, namespace, labels, annotations: WAIT_FOR_SYNC },
              spec: {
                refreshInterval: '1h',
                secretStoreRef: { kind: 'ClusterSecretStore', name: backend.clusterSecretStore },
                target: { name: args.secretName, creationPolicy: 'Owner' },
                dataFrom: [{ extract: { key: remoteName } }],
              },
            },
            { ...onCluster, dependsOn: [...(args.dependsOn ?? []), ...written] },
          ),
      );
    }
    this.registerOutputs({ secretName: args.secretName, namespaces: [...args.namespaces] });
  }
}
