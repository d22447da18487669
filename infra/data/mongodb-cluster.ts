import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import {
  MongoReplicaSetChart,
  mongoConnectionString,
  mongoHosts,
  synthesize,
  type ContainerResources,
  type NetworkPeer,
  type Placement,
  POLICY_EXEMPTION_PREFIX,
} from '../../charts';
import type { BackupStorage, SecretBackend } from '../cluster';
import { applyObjects, pinnedRelease } from '../kubernetes';
import { CHARTS, DATA_IMAGES, PERCONA_CR_VERSION } from '../versions';
import { generatedPassword } from './generated-password';
import { withAnnotations } from './with-annotations';

/** The mongod pods run as this service account; on EKS it carries the backup bucket's IRSA role. */
export const MONGODB_SERVICE_ACCOUNT = 'mongodb';
export const MONGODB_CLUSTER = 'mongodb';
export const MONGODB_REPLICA_SET = 'rs0';
/** Labels of the Percona operator's pods (the chart's selector labels). */
export const PERCONA_OPERATOR_POD_LABELS = { 'app.kubernetes.io/name': 'psmdb-operator' } as const;

export interface MongoDbClusterArgs {
  readonly provider: k8s.Provider;
  readonly secretBackend: SecretBackend;
  readonly namespace: string;
  readonly monitoringNamespace: string;
  readonly members: number;
  readonly storage: string;
  readonly storageClass: string;
  readonly resources: ContainerResources;
  readonly antiAffinityTopologyKey: 'kubernetes.io/hostname' | 'topology.kubernetes.io/zone';
  readonly placement: Placement;
  /** One user and database per service. */
  readonly services: readonly string[];
  /** Service pods allowed to connect. */
  readonly clients: readonly NetworkPeer[];
  readonly backup: MongoBackupPlan & { readonly storage: BackupStorage };
  readonly dependsOn: readonly pulumi.Resource[];
}

/** When backups run and how much is kept. */
export interface MongoBackupPlan {
  /** Five-field cron (UTC) of the scheduled base backup. */
  readonly schedule: string;
  /** Base backups kept. */
  readonly keep: number;
  /** Oplog shipping between base backups; the span bounds the data lost (RPO). */
  readonly pointInTimeRecovery: { readonly enabled: boolean; readonly oplogSpanMinutes: number };
}

/** What a service needs to reach its database. */
export interface MongoDbAccess {
  readonly database: string;
  readonly username: string;
  /** `mongodb://user:password@hosts/db?replicaSet=rs0&authSource=admin`, a Pulumi secret. */
  readonly uri: pulumi.Output<string>;
}

/**
 * MongoDB for one environment: the Percona operator (pinned release, watching the data namespace), the
 * mongod service account, one user per service with a generated password, and the replica set with PBM
 * backups and the exporter. Pulumi waits until the operator reports the cluster ready.
 */
export class MongoDbCluster extends pulumi.ComponentResource {
  readonly replicaSet: string;
  readonly hosts: readonly string[];
  readonly access: Readonly<Record<string, MongoDbAccess>>;
  readonly ready: pulumi.Resource[];

  constructor(name: string, args: MongoDbClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:data:MongoDbCluster', name, {}, opts);
    const ns = args.namespace;
    const onCluster = (...deps: pulumi.Resource[]) => ({
      parent: this,
      provider: args.provider,
      dependsOn: [...args.dependsOn, ...deps],
    });

    const operator = pinnedRelease(
      `${name}-operator`,
      CHARTS.perconaMongodbOperator,
      {
        releaseName: 'psmdb-operator',
        namespace: ns,
        values: {
          replicaCount: 1,
          watchAllNamespaces: false,
          disableTelemetry: true,
          podLabels: { ...PERCONA_OPERATOR_POD_LABELS },
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
        },
      },
      onCluster(),
    );

    const serviceAccount = new k8s.core.v1.ServiceAccount(
      `${name}-service-account`,
      {
        metadata: {
          name: MONGODB_SERVICE_ACCOUNT,
          namespace: ns,
          labels: { 'app.kubernetes.io/name': 'mongodb', 'app.kubernetes.io/managed-by': 'platform' },
          annotations: args.backup.storage.serviceAccountAnnotations,
        },
        automountServiceAccountToken: false,
      },
      onCluster(...args.backup.storage.ready),
    );

    const hosts = mongoHosts({
      namespace: ns,
      members: args.members,
      name: MONGODB_CLUSTER,
      replsetName: MONGODB_REPLICA_SET,
    });
    const access: Record<string, MongoDbAccess> = {};
    const userSecrets: pulumi.Resource[] = [];
    for (const service of args.services) {
      const { password, ready } = generatedPassword(
        `${name}-${service}-user`,
        {
          provider: args.provider,
          backend: args.secretBackend,
          secretName: `mongodb-user-${service}`,
          namespace: ns,
          dependsOn: args.dependsOn,
        },
        this,
      );
      userSecrets.push(...ready);
      access[service] = {
        database: service,
        username: service,
        uri: pulumi.secret(
          password.apply((p) =>
            mongoConnectionString({ hosts, database: service, username: service, password: p }),
          ),
        ),
      };
    }

    const objects = synthesize(
      (app) =>
        new MongoReplicaSetChart(app, 'mongodb', {
          namespace: ns,
          name: MONGODB_CLUSTER,
          replsetName: MONGODB_REPLICA_SET,
          crVersion: PERCONA_CR_VERSION,
          image: DATA_IMAGES.mongodb,
          backupImage: DATA_IMAGES.mongodbBackup,
          exporterImage: DATA_IMAGES.mongodbExporter,
          members: args.members,
          storage: args.storage,
          storageClass: args.storageClass,
          resources: args.resources,
          antiAffinityTopologyKey: args.antiAffinityTopologyKey,
          placement: args.placement,
          serviceAccountName: MONGODB_SERVICE_ACCOUNT,
          systemUsersSecret: 'mongodb-system-users',
          users: args.services.map((service) => ({
            name: service,
            database: service,
            passwordSecret: { name: `mongodb-user-${service}`, key: 'password' },
          })),
          backup: {
            storage: {
              bucket: args.backup.storage.bucket,
              region: args.backup.storage.region,
              prefix: MONGODB_CLUSTER,
              ...(args.backup.storage.endpointUrl !== undefined && {
                endpointUrl: args.backup.storage.endpointUrl,
              }),
              ...(args.backup.storage.credentialsSecret !== undefined && {
                credentialsSecret: args.backup.storage.credentialsSecret,
              }),
              forcePathStyle: args.backup.storage.forcePathStyle,
            },
            schedule: args.backup.schedule,
            keep: args.backup.keep,
            pointInTimeRecovery: args.backup.pointInTimeRecovery,
          },
          clients: args.clients,
          operatorPodLabels: PERCONA_OPERATOR_POD_LABELS,
          monitoringNamespace: args.monitoringNamespace,
          backupEgress: { ports: [args.backup.storage.port] },
        }),
    );
    const byTag = [DATA_IMAGES.mongodb, DATA_IMAGES.mongodbBackup, DATA_IMAGES.mongodbExporter].filter(
      (image) => !image.includes('@sha256:'),
    );
    const cluster = applyObjects(
      `${name}-replica-set`,
      // `pulumi up` returns only once the operator reports the replica set ready.
      withAnnotations(objects, 'PerconaServerMongoDB', {
        'pulumi.com/waitFor': 'jsonpath={.status.state}=ready',
        // As for Redis: the upstream images are pinned by tag (digests cannot be looked up from the build
        // machine), so the digest rule of uat/prod is waived for this object, with the reason in every plan.
        ...(byTag.length > 0 && {
          [`${POLICY_EXEMPTION_PREFIX}image-digest`]: `upstream images pinned by tag in infra/versions.ts (${byTag.join(', ')}); digests to be added there`,
        }),
      }),
      onCluster(operator, serviceAccount, ...userSecrets),
    );

    this.replicaSet = MONGODB_REPLICA_SET;
    this.hosts = hosts;
    this.access = access;
    this.ready = [operator, cluster];
    this.registerOutputs({ replicaSet: this.replicaSet, hosts: this.hosts });
  }
}
