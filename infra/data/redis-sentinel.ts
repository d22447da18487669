import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import {
  RedisSentinelChart,
  redisConnection,
  synthesize,
  type ContainerResources,
  type NetworkPeer,
  type Placement,
  POLICY_EXEMPTION_PREFIX,
} from '../../charts';
import type { BackupStorage, SecretBackend } from '../cluster';
import { applyObjects } from '../kubernetes';
import { DATA_IMAGES } from '../versions';
import { generatedPassword } from './generated-password';
import { withAnnotations } from './with-annotations';

export const REDIS_NAME = 'redis';
export const REDIS_AUTH_SECRET = 'redis-auth';

export interface RedisSentinelArgs {
  readonly provider: k8s.Provider;
  readonly secretBackend: SecretBackend;
  readonly namespace: string;
  readonly monitoringNamespace: string;
  readonly dataNodes: number;
  readonly sentinels: number;
  readonly quorum: number;
  readonly storage: string;
  readonly storageClass: string;
  readonly resources: ContainerResources;
  readonly antiAffinityTopologyKey: string;
  readonly placement: Placement;
  /** Service pods allowed to connect. */
  readonly clients: readonly NetworkPeer[];
  readonly dependsOn: readonly pulumi.Resource[];
  /** The daily RDB snapshot to the backup bucket (DR); absent: none. */
  readonly snapshot?: RedisSnapshotPlan;
}

/** When the snapshot job runs, where its snapshots go and as whom it writes there. */
export interface RedisSnapshotPlan {
  /** Five-field cron, UTC. */
  readonly schedule: string;
  /** `s3://<bucket>/redis/<environment>/`. */
  readonly destination: string;
  readonly region: string;
  /** TCP port of the object store (443 for AWS S3). */
  readonly port: number;
  /** The backup bucket's snapshot writer: its service account, IRSA annotations and resources. */
  readonly writer: NonNullable<BackupStorage['redisSnapshot']>;
}

/**
 * Redis with Sentinel for one environment: a generated password (one Secret through the secret backend) and
 * our own StatefulSets from the official image (charts/redis-sentinel), whose bootstrap script asks the
 * sentinels for the current master on every start.
 */
export class RedisSentinel extends pulumi.ComponentResource {
  readonly sentinels: readonly { readonly host: string; readonly port: number }[];
  readonly masterName: string;
  /** The shared password, a Pulumi secret. */
  readonly password: pulumi.Output<string>;
  readonly ready: pulumi.Resource[];

  constructor(name: string, args: RedisSentinelArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:data:RedisSentinel', name, {}, opts);
    const auth = generatedPassword(
      `${name}-auth`,
      {
        provider: args.provider,
        backend: args.secretBackend,
        secretName: REDIS_AUTH_SECRET,
        namespace: args.namespace,
        dependsOn: args.dependsOn,
      },
      this,
    );
    // The job's ServiceAccount carries its IRSA role (a Pulumi output), so Pulumi creates it, not the chart.
    const snapshotAccount =
      args.snapshot &&
      new k8s.core.v1.ServiceAccount(
        `${name}-snapshot-service-account`,
        {
          metadata: {
            name: args.snapshot.writer.serviceAccount,
            namespace: args.namespace,
            labels: {
              'app.kubernetes.io/name': `${REDIS_NAME}-snapshot`,
              'app.kubernetes.io/managed-by': 'platform',
            },
            annotations: args.snapshot.writer.serviceAccountAnnotations,
          },
          automountServiceAccountToken: false,
        },
        {
          parent: this,
          provider: args.provider,
          dependsOn: [...args.dependsOn, ...args.snapshot.writer.ready],
        },
      );
    const props = {
      namespace: args.namespace,
      name: REDIS_NAME,
      image: DATA_IMAGES.redis,
      exporterImage: DATA_IMAGES.redisExporter,
      dataNodes: args.dataNodes,
      sentinels: args.sentinels,
      quorum: args.quorum,
      storage: args.storage,
      storageClass: args.storageClass,
      resources: args.resources,
      authSecret: { name: REDIS_AUTH_SECRET, key: 'password' },
      antiAffinityTopologyKey: args.antiAffinityTopologyKey,
      placement: args.placement,
      clients: args.clients,
      monitoringNamespace: args.monitoringNamespace,
      ...(args.snapshot && {
        snapshot: {
          schedule: args.snapshot.schedule,
          destination: args.snapshot.destination,
          region: args.snapshot.region,
          objectStorePort: args.snapshot.port,
          uploadImage: DATA_IMAGES.awsCli,
          serviceAccountName: args.snapshot.writer.serviceAccount,
        },
      }),
    };
    const rendered = synthesize((app) => new RedisSentinelChart(app, 'redis', props));
    // The upstream images are pinned by tag (infra/versions.ts): their digests cannot be looked up from the
    // build machine, so the digest rule of uat/prod is waived for these StatefulSets, with the reason shown
    // in every plan, until DATA_IMAGES carries the digests.
    const byTag = [DATA_IMAGES.redis, DATA_IMAGES.redisExporter].filter(
      (image) => !image.includes('@sha256:'),
    );
    const exempt = (images: readonly string[]) => ({
      [`${POLICY_EXEMPTION_PREFIX}image-digest`]: `upstream images pinned by tag in infra/versions.ts (${images.join(', ')}); digests to be added there`,
    });
    const statefulSets =
      byTag.length === 0 ? rendered : withAnnotations(rendered, 'StatefulSet', exempt(byTag));
    const jobByTag = [DATA_IMAGES.redis, DATA_IMAGES.awsCli].filter((image) => !image.includes('@sha256:'));
    const objects =
      jobByTag.length === 0 ? statefulSets : withAnnotations(statefulSets, 'CronJob', exempt(jobByTag));
    const applied = applyObjects(`${name}-objects`, objects, {
      parent: this,
      provider: args.provider,
      dependsOn: [...args.dependsOn, ...auth.ready, ...(snapshotAccount ? [snapshotAccount] : [])],
    });
    const connection = redisConnection(props);
    this.sentinels = connection.sentinels;
    this.masterName = connection.masterName;
    this.password = auth.password;
    this.ready = [applied];
    this.registerOutputs({ sentinels: this.sentinels, masterName: this.masterName });
  }
}
