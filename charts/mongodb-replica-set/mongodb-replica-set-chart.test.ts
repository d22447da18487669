import { loadKubernetesValidator } from '../../tools/k8s-schema';
import { registerPlatformCrds } from '../../tools/k8s-schema/crds';
import { synthesize, type KubernetesObject } from '../lib';
import { MongoReplicaSetChart } from './mongodb-replica-set-chart';
import type { MongoReplicaSetProps, ScheduledMongoBackup } from './mongodb-replica-set-props';

const scheduledBackup: ScheduledMongoBackup = {
  storage: { bucket: 'platform-prod-backups', region: 'eu-west-1', prefix: 'mongodb' },
  schedule: '0 3 * * *',
  keep: 7,
  pointInTimeRecovery: { enabled: true, oplogSpanMinutes: 10 },
};

const base: MongoReplicaSetProps = {
  namespace: 'data',
  crVersion: '1.21.1',
  image: 'percona/percona-server-mongodb:8.0.12-4',
  backupImage: 'percona/percona-backup-mongodb:2.11.0',
  exporterImage: 'percona/mongodb_exporter:0.47.1',
  members: 3,
  storage: '100Gi',
  storageClass: 'gp3',
  resources: { requests: { cpu: '1', memory: '4Gi' }, limits: { cpu: '2', memory: '4Gi' } },
  antiAffinityTopologyKey: 'topology.kubernetes.io/zone',
  systemUsersSecret: 'mongodb-system-users',
  users: [
    {
      name: 'product',
      database: 'product',
      passwordSecret: { name: 'mongodb-user-product', key: 'password' },
    },
    { name: 'order', database: 'orders', passwordSecret: { name: 'mongodb-user-order', key: 'password' } },
  ],
  backup: scheduledBackup,
  clients: [{ namespace: 'apps', podLabels: { 'app.kubernetes.io/name': 'product' } }],
  operatorPodLabels: { 'app.kubernetes.io/name': 'psmdb-operator' },
  monitoringNamespace: 'monitoring',
};

function render(props: Partial<MongoReplicaSetProps> = {}): KubernetesObject[] {
  return synthesize((app) => new MongoReplicaSetChart(app, 'mongodb', { ...base, ...props }));
}

function renderBackup(backup: Partial<ScheduledMongoBackup>): KubernetesObject[] {
  return render({ backup: { ...scheduledBackup, ...backup } });
}

function find(objects: KubernetesObject[], kind: string, name?: string): Record<string, any> {
  const found = objects.find((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (!found) throw new Error(`no ${kind} ${name ?? ''} rendered`);
  return found as Record<string, any>;
}

const cluster = (objects: KubernetesObject[]) => find(objects, 'PerconaServerMongoDB').spec;
const replset = (objects: KubernetesObject[]) => cluster(objects).replsets[0];

const MONGOD = {
  'app.kubernetes.io/name': 'percona-server-mongodb',
  'app.kubernetes.io/instance': 'mongodb',
  'app.kubernetes.io/component': 'mongod',
};

describe('MongoReplicaSetChart', () => {
  it('renders objects that pass strict schema validation, on EKS and on prem', () => {
    const eks = render({
      placement: {
        nodeSelector: { 'platform.io/node-group': 'data' },
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'data', effect: 'NoSchedule' }],
      },
      serviceAccountName: 'mongodb',
      podMonitorLabels: { release: 'prometheus' },
    });
    const onPrem = render({
      antiAffinityTopologyKey: 'kubernetes.io/hostname',
      backup: {
        ...scheduledBackup,
        storage: {
          bucket: 'mongodb-backups',
          region: 'us-east-1',
          prefix: '',
          endpointUrl: 'https://minio.storage.example:9000',
          credentialsSecret: 'mongodb-backup-s3',
          forcePathStyle: true,
        },
        pointInTimeRecovery: { enabled: false, oplogSpanMinutes: 0 },
        compression: 'zstd',
      },
      backupEgress: { ports: [9000], cidr: '10.20.0.0/16' },
      kubernetesApiEgress: { ports: [6443], cidr: '10.10.0.0/24' },
      users: [],
      clients: [],
    });
    const validator = loadKubernetesValidator();
    registerPlatformCrds(validator, { only: eks });
    for (const object of [...eks, ...onPrem]) {
      expect({
        object: `${object.kind} ${object.metadata.name}`,
        violations: validator.validate(object),
      }).toEqual({
        object: `${object.kind} ${object.metadata.name}`,
        violations: [],
      });
    }
    expect(eks.map((o) => `${o.kind} ${o.metadata.name}`).sort()).toEqual([
      'NetworkPolicy mongodb-mongod',
      'NetworkPolicy mongodb-operator',
      'PerconaServerMongoDB mongodb',
      'PodMonitor mongodb-mongod',
    ]);
    for (const o of eks) expect(o.metadata.namespace).toBe('data');
  });

  it('pins versions: SmartUpdate, no automatic upgrades, the given images, unsafe flags left alone', () => {
    const spec = cluster(render());
    expect(spec).toMatchObject({
      crVersion: '1.21.1',
      image: 'percona/percona-server-mongodb:8.0.12-4',
      updateStrategy: 'SmartUpdate',
      upgradeOptions: { apply: 'disabled' },
      secrets: { users: 'mongodb-system-users' },
      tls: { mode: 'preferTLS' },
      sharding: { enabled: false },
    });
    expect(spec.unsafeFlags).toBeUndefined();
    expect(spec.backup.image).toBe('percona/percona-backup-mongodb:2.11.0');
  });

  it('sizes the replica set: members, volumes, anti-affinity, one member down at most, resources', () => {
    const rs = replset(render());
    expect(rs).toMatchObject({
      name: 'rs0',
      size: 3,
      affinity: { antiAffinityTopologyKey: 'topology.kubernetes.io/zone' },
      podDisruptionBudget: { maxUnavailable: 1 },
      resources: { requests: { cpu: '1', memory: '4Gi' }, limits: { cpu: '2', memory: '4Gi' } },
      volumeSpec: {
        persistentVolumeClaim: {
          storageClassName: 'gp3',
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: '100Gi' } },
        },
      },
      expose: { enabled: false },
    });
    expect(rs.configuration).toContain('slowOpThresholdMs: 200');
  });

  it('places members by the given node selector and tolerations, and runs them as the given account', () => {
    const rs = replset(
      render({
        placement: {
          nodeSelector: { 'platform.io/node-group': 'data' },
          tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'data', effect: 'NoSchedule' }],
        },
        serviceAccountName: 'mongodb',
      }),
    );
    expect(rs.nodeSelector).toEqual({ 'platform.io/node-group': 'data' });
    expect(rs.tolerations).toEqual([
      { key: 'dedicated', operator: 'Equal', value: 'data', effect: 'NoSchedule' },
    ]);
    expect(rs.serviceAccountName).toBe('mongodb');
  });

  it('leaves placement and service account to the operator when not given', () => {
    const rs = replset(render());
    expect(rs.nodeSelector).toBeUndefined();
    expect(rs.tolerations).toBeUndefined();
    expect(rs.serviceAccountName).toBeUndefined();
  });

  it('runs a hardened exporter sidecar that logs in as the cluster monitor from the system users Secret', () => {
    const [exporter, ...others] = replset(render()).sidecars;
    expect(others).toEqual([]);
    expect(exporter).toMatchObject({
      image: 'percona/mongodb_exporter:0.47.1',
      ports: [{ name: 'metrics', containerPort: 9216, protocol: 'TCP' }],
      resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
      securityContext: {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      },
    });
    expect(exporter.args).toEqual(
      expect.arrayContaining(['--compatible-mode', '--web.listen-address=:9216']),
    );
    expect(exporter.env).toEqual([
      {
        name: 'MONGODB_USER',
        valueFrom: { secretKeyRef: { name: 'mongodb-system-users', key: 'MONGODB_CLUSTER_MONITOR_USER' } },
      },
      {
        name: 'MONGODB_PASSWORD',
        valueFrom: {
          secretKeyRef: { name: 'mongodb-system-users', key: 'MONGODB_CLUSTER_MONITOR_PASSWORD' },
        },
      },
      { name: 'MONGODB_URI', value: 'mongodb://127.0.0.1:27017/admin' },
    ]);
  });

  it('scrapes every mongod pod of the cluster through a PodMonitor', () => {
    const monitor = find(render({ podMonitorLabels: { release: 'prometheus' } }), 'PodMonitor');
    expect(monitor.metadata.labels.release).toBe('prometheus');
    expect(monitor.spec).toMatchObject({
      selector: { matchLabels: MONGOD },
      namespaceSelector: { matchNames: ['data'] },
      podMetricsEndpoints: [{ port: 'metrics', path: '/metrics' }],
    });
  });

  it('gives each service user readWrite on its own database only, authenticating in admin', () => {
    expect(cluster(render()).users).toEqual([
      {
        name: 'product',
        db: 'admin',
        passwordSecretRef: { name: 'mongodb-user-product', key: 'password' },
        roles: [{ name: 'readWrite', db: 'product' }],
      },
      {
        name: 'order',
        db: 'admin',
        passwordSecretRef: { name: 'mongodb-user-order', key: 'password' },
        roles: [{ name: 'readWrite', db: 'orders' }],
      },
    ]);
    expect(cluster(render({ users: [] })).users).toBeUndefined();
  });

  it('backs up weekly to the main S3 storage without PITR, keeping the last 4', () => {
    const backup = cluster(
      renderBackup({
        schedule: '0 2 * * 0',
        keep: 4,
        pointInTimeRecovery: { enabled: false, oplogSpanMinutes: 0 },
      }),
    ).backup;
    expect(backup).toEqual({
      enabled: true,
      image: 'percona/percona-backup-mongodb:2.11.0',
      storages: {
        s3: {
          type: 's3',
          main: true,
          s3: { bucket: 'platform-prod-backups', region: 'eu-west-1', prefix: 'mongodb' },
        },
      },
      pitr: { enabled: false },
      tasks: [
        {
          name: 'scheduled-logical',
          enabled: true,
          schedule: '0 2 * * 0',
          retention: { type: 'count', count: 4, deleteFromStorage: true },
          storageName: 's3',
          type: 'logical',
          compressionType: 's2',
        },
      ],
    });
  });

  it('backs up daily with point-in-time recovery in oplog chunks of under 15 minutes', () => {
    const backup = cluster(renderBackup({ compression: 'zstd' })).backup;
    expect(backup.pitr).toEqual({ enabled: true, oplogSpanMin: 10, compressionType: 'zstd' });
    expect(backup.tasks[0]).toMatchObject({
      schedule: '0 3 * * *',
      retention: { type: 'count', count: 7, deleteFromStorage: true },
      compressionType: 'zstd',
    });
  });

  it('restore-only: the storage for restores, without a scheduled task or PITR, and strictly valid', () => {
    const objects = render({
      backup: { mode: 'restore-only', storage: scheduledBackup.storage, compression: 'zstd' },
    });
    expect(cluster(objects).backup).toEqual({
      enabled: true,
      image: 'percona/percona-backup-mongodb:2.11.0',
      storages: {
        s3: {
          type: 's3',
          main: true,
          s3: { bucket: 'platform-prod-backups', region: 'eu-west-1', prefix: 'mongodb' },
        },
      },
      pitr: { enabled: false },
    });
    // The same props with a schedule do render the task: the mode alone removes it.
    expect(cluster(render()).backup.tasks).toHaveLength(1);
    const validator = loadKubernetesValidator();
    registerPlatformCrds(validator, { only: objects });
    expect(objects.flatMap((o) => validator.validate(o))).toEqual([]);
  });

  it('sets endpoint, credentials and path style only when given (IRSA on EKS needs none)', () => {
    const onPrem = cluster(
      renderBackup({
        storage: {
          bucket: 'mongodb-backups',
          region: 'us-east-1',
          prefix: 'dev',
          endpointUrl: 'https://minio.storage.example:9000',
          credentialsSecret: 'mongodb-backup-s3',
          forcePathStyle: true,
        },
      }),
    ).backup.storages.s3.s3;
    expect(onPrem).toEqual({
      bucket: 'mongodb-backups',
      region: 'us-east-1',
      prefix: 'dev',
      endpointUrl: 'https://minio.storage.example:9000',
      credentialsSecret: 'mongodb-backup-s3',
      forcePathStyle: true,
    });
    const eks = cluster(render()).backup.storages.s3.s3;
    expect(Object.keys(eks).sort()).toEqual(['bucket', 'prefix', 'region']);
  });

  describe('network policies', () => {
    const mongoPort = [{ protocol: 'TCP', port: 27017 }];

    it('admits clients, the other members and the operator on 27017, and monitoring on 9216', () => {
      const policy = find(render(), 'NetworkPolicy', 'mongodb-mongod').spec;
      expect(policy.podSelector).toEqual({ matchLabels: MONGOD });
      expect(policy.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(policy.ingress).toEqual([
        {
          from: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'apps' } },
              podSelector: { matchLabels: { 'app.kubernetes.io/name': 'product' } },
            },
          ],
          ports: mongoPort,
        },
        {
          from: [
            { podSelector: { matchLabels: MONGOD } },
            { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'psmdb-operator' } } },
          ],
          ports: mongoPort,
        },
        {
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
          ports: [{ protocol: 'TCP', port: 9216 }],
        },
      ]);
    });

    it('lets members reach each other and the backup store (443 anywhere by default)', () => {
      const policy = find(render(), 'NetworkPolicy', 'mongodb-mongod').spec;
      expect(policy.egress).toEqual([
        { to: [{ podSelector: { matchLabels: MONGOD } }], ports: mongoPort },
        { ports: [{ protocol: 'TCP', port: 443 }] },
      ]);
      const onPrem = find(
        render({ backupEgress: { ports: [9000], cidr: '10.20.0.0/16' } }),
        'NetworkPolicy',
        'mongodb-mongod',
      );
      expect(onPrem.spec.egress[1]).toEqual({
        to: [{ ipBlock: { cidr: '10.20.0.0/16' } }],
        ports: [{ protocol: 'TCP', port: 9000 }],
      });
    });

    it('opens 27017 to no one else when there are no clients', () => {
      const policy = find(render({ clients: [] }), 'NetworkPolicy', 'mongodb-mongod').spec;
      expect(policy.ingress).toHaveLength(2);
      for (const rule of policy.ingress) expect(rule.from.length).toBeGreaterThan(0);
    });

    it('lets the operator reach the Kubernetes API and mongod, and admits metric scrapes from monitoring', () => {
      const policy = find(render(), 'NetworkPolicy', 'mongodb-operator').spec;
      expect(policy.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'psmdb-operator' } });
      expect(policy.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(policy.ingress).toEqual([
        {
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
          ports: [{ protocol: 'TCP', port: 8080 }],
        },
      ]);
      expect(policy.egress).toEqual([
        {
          ports: [
            { protocol: 'TCP', port: 443 },
            { protocol: 'TCP', port: 6443 },
          ],
        },
        { to: [{ podSelector: { matchLabels: MONGOD } }], ports: mongoPort },
      ]);
    });
  });

  describe('refuses', () => {
    it.each([
      [2, 'mongodb.members must be an odd number >= 3 (got 2)'],
      [1, 'mongodb.members must be an odd number >= 3 (got 1)'],
      [4, 'mongodb.members must be an odd number >= 3 (got 4)'],
    ])('%i members', (members, message) => {
      expect(() => render({ members })).toThrow(message);
    });

    it('a PITR span of 15 minutes or more, or of zero', () => {
      expect(() => renderBackup({ pointInTimeRecovery: { enabled: true, oplogSpanMinutes: 15 } })).toThrow(
        'mongodb.backup.pointInTimeRecovery.oplogSpanMinutes must be > 0 and < 15 (the recovery point objective) when enabled (got 15)',
      );
      expect(() => renderBackup({ pointInTimeRecovery: { enabled: true, oplogSpanMinutes: 0 } })).toThrow(
        '(got 0)',
      );
    });

    it('a malformed cron schedule', () => {
      expect(() => renderBackup({ schedule: '0 3 * *' })).toThrow(
        'mongodb.backup.schedule must be a cron expression: must have 5 fields (minute hour day-of-month month day-of-week), found 4 (got "0 3 * *")',
      );
      expect(() => renderBackup({ schedule: '0 24 * * *' })).toThrow(
        'mongodb.backup.schedule must be a cron expression: hour field "24": "24" is not within 0-23 (got "0 24 * * *")',
      );
      expect(() => renderBackup({ schedule: '@daily' })).toThrow('found 1');
    });

    it('a backup mode other than scheduled or restore-only', () => {
      const backup = { ...scheduledBackup, mode: 'paused' } as unknown as ScheduledMongoBackup;
      expect(() => render({ backup })).toThrow(
        `mongodb.backup.mode must be 'scheduled' or 'restore-only' (got "paused")`,
      );
    });

    it('a retention of no backups', () => {
      expect(() => renderBackup({ keep: 0 })).toThrow('mongodb.backup.keep must be an integer >= 1 (got 0)');
    });

    it('duplicate user names and shared databases', () => {
      const secret = { name: 'mongodb-user', key: 'password' };
      expect(() =>
        render({
          users: [
            { name: 'product', database: 'product', passwordSecret: secret },
            { name: 'product', database: 'catalog', passwordSecret: secret },
          ],
        }),
      ).toThrow('mongodb.users[1].name must be unique among users (got "product")');
      expect(() =>
        render({
          users: [
            { name: 'product', database: 'shop', passwordSecret: secret },
            { name: 'order', database: 'shop', passwordSecret: secret },
          ],
        }),
      ).toThrow('mongodb.users[1].database must be unique among users (got "shop")');
    });

    it('users on system databases, with system user names or invalid names', () => {
      const user = { name: 'product', database: 'product', passwordSecret: { name: 's', key: 'password' } };
      expect(() => render({ users: [{ ...user, database: 'admin' }] })).toThrow(
        'mongodb.users[0].database must not be admin, local or config (got "admin")',
      );
      expect(() => render({ users: [{ ...user, name: 'clusterMonitor' }] })).toThrow(
        'mongodb.users[0].name must not be one of the operator system users (got "clusterMonitor")',
      );
      expect(() => render({ users: [{ ...user, name: 'bad name' }] })).toThrow(
        'mongodb.users[0].name must be',
      );
      expect(() => render({ users: [{ ...user, database: 'a.b' }] })).toThrow(
        'mongodb.users[0].database must be',
      );
    });

    it('an anti-affinity key the operator would silently replace', () => {
      expect(() => render({ antiAffinityTopologyKey: 'rack' as 'kubernetes.io/hostname' })).toThrow(
        'mongodb.antiAffinityTopologyKey must be one of kubernetes.io/hostname, topology.kubernetes.io/zone, topology.kubernetes.io/region (got "rack")',
      );
    });

    it('unpinned images and operators older than 1.21', () => {
      expect(() => render({ image: 'percona/percona-server-mongodb' })).toThrow(
        'mongodb.image must be pinned with a tag other than "latest" or a digest (got "percona/percona-server-mongodb")',
      );
      expect(() => render({ exporterImage: 'percona/mongodb_exporter:latest' })).toThrow(
        'mongodb.exporterImage',
      );
      expect(() => render({ crVersion: '1.20.1' })).toThrow(
        'mongodb.crVersion must be an operator version x.y.z of 1.21.0 or later (got "1.20.1")',
      );
    });

    it('names the operator cannot use and an empty operator selector', () => {
      expect(() => render({ name: 'Mongo' })).toThrow('mongodb.name must be lowercase letters');
      expect(() => render({ name: 'm'.repeat(48) })).toThrow(
        'mongodb.name and mongodb.replsetName together must have at most 50 characters',
      );
      expect(() => render({ operatorPodLabels: {} })).toThrow(
        'mongodb.operatorPodLabels must name at least one label',
      );
    });

    it('bad egress ports and CIDRs', () => {
      expect(() => render({ backupEgress: { ports: [] } })).toThrow(
        'mongodb.backupEgress.ports must not be empty',
      );
      expect(() => render({ backupEgress: { ports: [70000] } })).toThrow(
        'mongodb.backupEgress.ports must hold TCP ports 1-65535 (got 70000)',
      );
      expect(() => render({ kubernetesApiEgress: { ports: [6443], cidr: '10.0.0.300/24' } })).toThrow(
        'mongodb.kubernetesApiEgress.cidr must be a CIDR such as 10.0.0.0/8 (got "10.0.0.300/24")',
      );
    });
  });
});
