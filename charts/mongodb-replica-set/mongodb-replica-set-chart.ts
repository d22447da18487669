import { ApiObject, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import type { Construct } from 'constructs';
import type { Container } from 'kubernetes-types/core/v1';
import { hardenedContainer, MONITORING_SELECTOR, policyPeer, standardLabels, tcpPorts } from '../lib';
import type { ContainerResources } from '../lib';
import {
  DEFAULT_CLUSTER_NAME,
  DEFAULT_REPLSET_NAME,
  MONGOD_POD_LABELS,
  MONGODB_PORT,
} from './mongodb-connection';
import type { BackupCompression, EgressTarget, MongoReplicaSetProps } from './mongodb-replica-set-props';
import {
  checkAntiAffinityKey,
  checkBackup,
  checkCrVersion,
  checkEgress,
  checkMembers,
  checkNames,
  checkPinnedImage,
  checkPort,
  checkUsers,
} from './validation';

export const EXPORTER_PORT = 9216;
/** Name of the exporter's container port, which the PodMonitor scrapes. */
export const EXPORTER_PORT_NAME = 'metrics';
/** The CR's only backup storage; restores (PerconaServerMongoDBRestore) name it. */
export const BACKUP_STORAGE_NAME = 's3';
export const BACKUP_TASK_NAME = 'scheduled-logical';

const DEFAULT_EXPORTER_RESOURCES: ContainerResources = {
  requests: { cpu: '50m', memory: '64Mi' },
  limits: { cpu: '200m', memory: '128Mi' },
};
const DEFAULT_BACKUP_EGRESS: EgressTarget = { ports: [443] };
const DEFAULT_KUBERNETES_API_EGRESS: EgressTarget = { ports: [443, 6443] };
const DEFAULT_COMPRESSION: BackupCompression = 's2';
/** The user the image declares (scratch image, no /etc/passwd), stated so the kubelet can check non-root. */
const EXPORTER_USER = 65535;

/**
 * Merged by the operator into its own mongod.conf (which owns net, replication, security and storage).
 * Operations slower than 200 ms go to the log and to the capped system.profile collection, which bounds the cost.
 */
const MONGOD_CONFIGURATION = `operationProfiling:
  mode: slowOp
  slowOpThresholdMs: 200
`;

/**
 * A PerconaServerMongoDB replica set (Percona Operator for MongoDB >= 1.21): per-service users, PBM backups to
 * S3 with optional point-in-time recovery, a mongodb_exporter sidecar with its PodMonitor, and NetworkPolicies
 * for a namespace that denies all traffic by default and allows DNS.
 */
export class MongoReplicaSetChart extends Chart {
  constructor(scope: Construct, id: string, props: MongoReplicaSetProps) {
    super(scope, id);
    const name = props.name ?? DEFAULT_CLUSTER_NAME;
    const replsetName = props.replsetName ?? DEFAULT_REPLSET_NAME;
    const partOf = props.partOf ?? 'platform';
    const exporterResources = props.exporterResources ?? DEFAULT_EXPORTER_RESOURCES;
    const nodeSelector = props.placement?.nodeSelector ?? {};
    const tolerations = props.placement?.tolerations ?? [];
    const users = props.users ?? [];
    const compression = props.backup.compression ?? DEFAULT_COMPRESSION;
    const operatorMetricsPort = props.operatorMetricsPort ?? 8080;
    const podMonitorLabels = props.podMonitorLabels ?? {};
    const backupEgress = props.backupEgress ?? DEFAULT_BACKUP_EGRESS;
    const kubernetesApiEgress = props.kubernetesApiEgress ?? DEFAULT_KUBERNETES_API_EGRESS;

    checkNames(name, replsetName);
    checkCrVersion(props.crVersion);
    checkPinnedImage('image', props.image);
    checkPinnedImage('backupImage', props.backupImage);
    checkPinnedImage('exporterImage', props.exporterImage);
    checkMembers(props.members);
    checkAntiAffinityKey(props.antiAffinityTopologyKey);
    checkUsers(users);
    checkBackup(props.backup);
    checkPort('operatorMetricsPort', operatorMetricsPort);
    checkEgress('backupEgress', backupEgress);
    checkEgress('kubernetesApiEgress', kubernetesApiEgress);
    // An empty selector would select every pod of the namespace.
    if (Object.keys(props.operatorPodLabels).length === 0) {
      throw new Error('mongodb.operatorPodLabels must name at least one label of the operator pods (got {})');
    }

    const { namespace } = props;
    const labels = standardLabels(name, partOf, { component: 'mongodb' });
    const meta = (objectName: string, extra: Readonly<Record<string, string>> = {}) => ({
      name: objectName,
      namespace,
      labels: { ...labels, ...extra },
    });
    const mongodLabels = { ...MONGOD_POD_LABELS(name) };
    const operatorLabels = { ...props.operatorPodLabels };

    const exporter: Container = {
      name: 'mongodb-exporter',
      image: props.exporterImage,
      imagePullPolicy: 'IfNotPresent',
      args: [
        `--web.listen-address=:${EXPORTER_PORT}`,
        // Metric names of the classic exporter, which common dashboards and alert rules use.
        '--compatible-mode',
        '--collector.diagnosticdata',
        '--collector.replicasetstatus',
        '--collector.dbstats',
        '--collector.topmetrics',
      ],
      env: [
        // The operator's monitoring user (clusterMonitor role); the exporter URL-encodes the credentials itself.
        secretEnv('MONGODB_USER', props.systemUsersSecret, 'MONGODB_CLUSTER_MONITOR_USER'),
        secretEnv('MONGODB_PASSWORD', props.systemUsersSecret, 'MONGODB_CLUSTER_MONITOR_PASSWORD'),
        // Each exporter reports its own member only (a direct connection); Prometheus sees every pod.
        { name: 'MONGODB_URI', value: `mongodb://127.0.0.1:${MONGODB_PORT}/admin` },
      ],
      ports: [{ name: EXPORTER_PORT_NAME, containerPort: EXPORTER_PORT, protocol: 'TCP' }],
      resources: resourceRequirements(exporterResources),
      securityContext: hardenedContainer({ uid: EXPORTER_USER }),
    };

    const replset = {
      name: replsetName,
      size: props.members,
      configuration: MONGOD_CONFIGURATION,
      // A required pod anti-affinity: members never share a node (or zone), so one failure costs one vote.
      affinity: { antiAffinityTopologyKey: props.antiAffinityTopologyKey },
      ...(Object.keys(nodeSelector).length > 0 && { nodeSelector: { ...nodeSelector } }),
      ...(tolerations.length > 0 && { tolerations: tolerations.map((toleration) => ({ ...toleration })) }),
      ...(props.serviceAccountName !== undefined && { serviceAccountName: props.serviceAccountName }),
      // At most one member down in a voluntary disruption, so the majority (and a primary) survives a drain.
      podDisruptionBudget: { maxUnavailable: 1 },
      resources: resourceRequirements(props.resources),
      volumeSpec: {
        persistentVolumeClaim: {
          storageClassName: props.storageClass,
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: props.storage } },
        },
      },
      // Reachable inside the cluster only, through the operator's headless Service.
      expose: { enabled: false },
      sidecars: [exporter],
    };

    const { storage } = props.backup;
    const scheduled = props.backup.mode === 'restore-only' ? undefined : props.backup;
    const pitr = scheduled?.pointInTimeRecovery;
    const backup = {
      // The agents run either way: restores go through them.
      enabled: true,
      image: props.backupImage,
      storages: {
        [BACKUP_STORAGE_NAME]: {
          type: 's3',
          main: true,
          s3: {
            bucket: storage.bucket,
            region: storage.region,
            prefix: storage.prefix,
            ...(storage.endpointUrl !== undefined && { endpointUrl: storage.endpointUrl }),
            ...(storage.credentialsSecret !== undefined && { credentialsSecret: storage.credentialsSecret }),
            ...(storage.forcePathStyle !== undefined && { forcePathStyle: storage.forcePathStyle }),
          },
        },
      },
      // Oplog chunks of oplogSpanMin minutes on top of the latest base backup: restore to any second between.
      pitr:
        pitr?.enabled === true
          ? { enabled: true, oplogSpanMin: pitr.oplogSpanMinutes, compressionType: compression }
          : { enabled: false },
      // Restore-only: no task, so nothing is written to (or deleted from) a storage holding another's backups.
      ...(scheduled !== undefined && {
        tasks: [
          {
            name: BACKUP_TASK_NAME,
            enabled: true,
            schedule: scheduled.schedule,
            // `retention` replaces the deprecated `keep`; old backups (and their oplog chunks) leave the bucket.
            retention: { type: 'count', count: scheduled.keep, deleteFromStorage: true },
            storageName: BACKUP_STORAGE_NAME,
            type: 'logical',
            compressionType: compression,
          },
        ],
      }),
    };

    new ApiObject(this, 'cluster', {
      apiVersion: 'psmdb.percona.com/v1',
      kind: 'PerconaServerMongoDB',
      metadata: meta(name),
      spec: {
        crVersion: props.crVersion,
        image: props.image,
        imagePullPolicy: 'IfNotPresent',
        // The operator restarts secondaries first and steps the primary down last.
        updateStrategy: 'SmartUpdate',
        // Versions change only through this chart's pinned images, never through Percona's version service.
        upgradeOptions: { apply: 'disabled' },
        secrets: { users: props.systemUsersSecret },
        // Members authenticate and talk to each other over the operator's TLS. preferTLS still accepts plain
        // connections, which is what service clients use (mongoConnectionString has no tls=true): they stay
        // inside the cluster network, limited to declared clients by the NetworkPolicy below. requireTLS
        // would mean handing the CA (Secret <name>-ssl, ca.crt) to every client.
        tls: { mode: 'preferTLS' },
        replsets: [replset],
        sharding: { enabled: false },
        backup,
        ...(users.length > 0 && {
          users: users.map((user) => ({
            name: user.name,
            // Created in admin, so every client authenticates with authSource=admin; privileges stay per database.
            db: 'admin',
            passwordSecretRef: { name: user.passwordSecret.name, key: user.passwordSecret.key },
            roles: [{ name: 'readWrite', db: user.database }],
          })),
        }),
      },
    });

    new ApiObject(this, 'pod-monitor', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PodMonitor',
      metadata: meta(`${name}-mongod`, { ...podMonitorLabels, ...MONITORING_SELECTOR }),
      spec: {
        selector: { matchLabels: mongodLabels },
        namespaceSelector: { matchNames: [namespace] },
        podTargetLabels: ['app.kubernetes.io/instance', 'app.kubernetes.io/replset'],
        podMetricsEndpoints: [{ port: EXPORTER_PORT_NAME, path: '/metrics', interval: '30s' }],
      },
    });

    const mongodPeer: k8s.NetworkPolicyPeer = { podSelector: { matchLabels: mongodLabels } };
    const operatorPeer: k8s.NetworkPolicyPeer = { podSelector: { matchLabels: operatorLabels } };
    const monitoringPeer = policyPeer({ namespace: props.monitoringNamespace });
    const mongoPorts = tcpPorts([MONGODB_PORT]);

    new k8s.KubeNetworkPolicy(this, 'mongod-policy', {
      metadata: meta(`${name}-mongod`),
      spec: {
        podSelector: { matchLabels: mongodLabels },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          // No rule at all without clients: an empty `from` would admit everyone.
          ...(props.clients.length > 0 ? [{ from: props.clients.map(policyPeer), ports: mongoPorts }] : []),
          { from: [mongodPeer, operatorPeer], ports: mongoPorts },
          { from: [monitoringPeer], ports: tcpPorts([EXPORTER_PORT]) },
        ],
        egress: [
          // Replication, elections, and the backup agents' connections to the other members.
          { to: [mongodPeer], ports: mongoPorts },
          egressRule(backupEgress),
        ],
      },
    });

    new k8s.KubeNetworkPolicy(this, 'operator-policy', {
      metadata: meta(`${name}-operator`),
      spec: {
        podSelector: { matchLabels: operatorLabels },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [{ from: [monitoringPeer], ports: tcpPorts([operatorMetricsPort]) }],
        egress: [egressRule(kubernetesApiEgress), { to: [mongodPeer], ports: mongoPorts }],
      },
    });
  }
}

function secretEnv(name: string, secret: string, key: string) {
  return { name, valueFrom: { secretKeyRef: { name: secret, key } } };
}

function resourceRequirements(resources: ContainerResources) {
  return {
    requests: { cpu: resources.requests.cpu, memory: resources.requests.memory },
    limits: { cpu: resources.limits.cpu, memory: resources.limits.memory },
  };
}

/** Egress to the target's ports, within its CIDR when given (a rule without `to` allows every destination). */
function egressRule(target: EgressTarget): k8s.NetworkPolicyEgressRule {
  return {
    ...(target.cidr !== undefined && { to: [{ ipBlock: { cidr: target.cidr } }] }),
    ports: tcpPorts(target.ports),
  };
}
