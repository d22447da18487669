import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import * as random from '@pulumi/random';
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
import { DistributedSecret } from './distributed-secret';
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

/**
 * Who makes the passwords of the operator's system users (Secret `mongodb-system-users`):
 * - 'operator': the operator generates them when the Secret is absent (each cluster its own);
 * - 'shared' (DR): Pulumi generates them into the secret backend, so the standby (reading the replicated
 *   entry) has the same ones. A backup holds the system users, and after a restore the operator must still
 *   log in with its Secret's passwords.
 */
export type MongoSystemUsers = 'operator' | 'shared';

interface MongoBackupPlanBase {
  /** @default 'operator' */
  readonly systemUsers?: MongoSystemUsers;
}

/** When backups run and how much is kept. */
export interface ScheduledMongoBackupPlan extends MongoBackupPlanBase {
  /** @default 'scheduled' */
  readonly mode?: 'scheduled';
  /** Five-field cron (UTC) of the scheduled base backup. */
  readonly schedule: string;
  /** Base backups kept. */
  readonly keep: number;
  /** Oplog shipping between base backups; the span bounds the data lost (RPO). */
  readonly pointInTimeRecovery: { readonly enabled: boolean; readonly oplogSpanMinutes: number };
}

/** The storage holds another cluster's backups (the DR standby's replica bucket): restores only, no schedule. */
export interface RestoreOnlyMongoBackupPlan extends MongoBackupPlanBase {
  readonly mode: 'restore-only';
}

export type MongoBackupPlan = ScheduledMongoBackupPlan | RestoreOnlyMongoBackupPlan;

/** The operator's system users Secret (`spec.secrets.users`). */
export const MONGODB_SYSTEM_USERS_SECRET = 'mongodb-system-users';

/**
 * The keys of the users Secret that Percona Operator for MongoDB 1.21 reads (pkg/apis/psmdb/v1 Env* constants;
 * fillSecretData in pkg/controller/perconaservermongodb/secrets.go), with the user names the operator itself
 * would generate (the role names), so an existing cluster's users keep their names. PMM keys are left out:
 * PMM is not enabled.
 */
export const MONGODB_SYSTEM_USERS = [
  { user: 'MONGODB_BACKUP_USER', password: 'MONGODB_BACKUP_PASSWORD', name: 'backup' },
  { user: 'MONGODB_CLUSTER_ADMIN_USER', password: 'MONGODB_CLUSTER_ADMIN_PASSWORD', name: 'clusterAdmin' },
  {
    user: 'MONGODB_CLUSTER_MONITOR_USER',
    password: 'MONGODB_CLUSTER_MONITOR_PASSWORD',
    name: 'clusterMonitor',
  },
  { user: 'MONGODB_DATABASE_ADMIN_USER', password: 'MONGODB_DATABASE_ADMIN_PASSWORD', name: 'databaseAdmin' },
  { user: 'MONGODB_USER_ADMIN_USER', password: 'MONGODB_USER_ADMIN_PASSWORD', name: 'userAdmin' },
] as const;

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

    const systemUsers = args.backup.systemUsers === 'shared' ? this.sharedSystemUsers(name, args).ready : [];

    const plan = args.backup;
    const backupStorage = plan.storage;
    const chartStorage = {
      bucket: backupStorage.bucket,
      region: backupStorage.region,
      prefix: MONGODB_CLUSTER,
      ...(backupStorage.endpointUrl !== undefined && { endpointUrl: backupStorage.endpointUrl }),
      ...(backupStorage.credentialsSecret !== undefined && {
        credentialsSecret: backupStorage.credentialsSecret,
      }),
      forcePathStyle: backupStorage.forcePathStyle,
    };
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
          systemUsersSecret: MONGODB_SYSTEM_USERS_SECRET,
          users: args.services.map((service) => ({
            name: service,
            database: service,
            passwordSecret: { name: `mongodb-user-${service}`, key: 'password' },
          })),
          backup:
            plan.mode === 'restore-only'
              ? { mode: 'restore-only', storage: chartStorage }
              : {
                  storage: chartStorage,
                  schedule: plan.schedule,
                  keep: plan.keep,
                  pointInTimeRecovery: plan.pointInTimeRecovery,
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
      onCluster(operator, serviceAccount, ...userSecrets, ...systemUsers),
    );

    this.replicaSet = MONGODB_REPLICA_SET;
    this.hosts = hosts;
    this.access = access;
    this.ready = [operator, cluster];
    this.registerOutputs({ replicaSet: this.replicaSet, hosts: this.hosts });
  }

  /**
   * The system users Secret through the secret backend, one generated password per user. On EKS that is one
   * Secrets Manager entry (replicated to the standby region), which the standby's backend ('replica' entries)
   * only reads: both clusters get the same users. The operator keeps an existing Secret's keys and, once the
   * cluster is ready, changes the users in MongoDB to a changed Secret's passwords (reconcileUsers).
   */
  private sharedSystemUsers(name: string, args: MongoDbClusterArgs): DistributedSecret {
    const data: Record<string, pulumi.Input<string>> = {};
    for (const user of MONGODB_SYSTEM_USERS) {
      const password = new random.RandomPassword(
        `${name}-system-${user.name.toLowerCase()}-password`,
        // Letters and digits: the operator puts them into connection strings unescaped.
        { length: 32, special: false },
        { parent: this },
      );
      data[user.user] = user.name;
      data[user.password] = password.result;
    }
    return new DistributedSecret(
      `${name}-system-users`,
      {
        provider: args.provider,
        backend: args.secretBackend,
        secretName: MONGODB_SYSTEM_USERS_SECRET,
        namespaces: [args.namespace],
        data,
        dependsOn: args.dependsOn,
      },
      { parent: this },
    );
  }
}
