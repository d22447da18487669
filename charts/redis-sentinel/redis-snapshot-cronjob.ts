import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { CronJobSpec } from 'kubernetes-types/batch/v1';
import type { Container, EnvVar, PodSpec } from 'kubernetes-types/core/v1';
import {
  dnsEgressRule,
  hardenedContainer,
  NAME_LABEL,
  policyPeer,
  standardLabels,
  tcpPorts,
  type ContainerResources,
  type Placement,
} from '../lib';
import type { RedisTopology } from './redis-config';
import { resolveRedisTopology } from './redis-config';
import type { RedisAuthSecret, RedisSnapshotProps } from './redis-sentinel-props';
import { redisSnapshotScript } from './redis-snapshot-script';

const COMPONENT_LABEL = 'app.kubernetes.io/component';
export const REDIS_SNAPSHOT_COMPONENT = 'snapshot';
/** The redis user of the official image; the upload container runs as it too, so it can read and remove the RDB. */
const SNAPSHOT_UID = 999;
const SCRIPT_DIR = '/etc/redis-snapshot';
const SCRIPT = 'redis-snapshot.sh';
const WORK_DIR = '/snapshot';
const DEFAULT_DEADLINE_SECONDS = 1800;
const DEFAULT_FETCH_RESOURCES: ContainerResources = {
  requests: { cpu: '50m', memory: '64Mi' },
  limits: { cpu: '500m', memory: '128Mi' },
};
// The CLI's multipart upload buffers a few 8 MiB parts at a time.
const DEFAULT_UPLOAD_RESOURCES: ContainerResources = {
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { cpu: '1', memory: '512Mi' },
};
const CRON_FIELD = /^[0-9*,/-]+$/;
const DESTINATION = /^(s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/[A-Za-z0-9!_.*'()/-]*)?|file:\/\/\/.*)$/;

/** The labels of the snapshot job's pods; the Redis chart's NetworkPolicy admits pods with these. */
export function redisSnapshotPodSelector(redisName: string): Record<string, string> {
  return { [NAME_LABEL]: `${redisName}-snapshot`, [COMPONENT_LABEL]: REDIS_SNAPSHOT_COMPONENT };
}

export interface RedisSnapshotCronJobProps extends RedisSnapshotProps {
  readonly namespace: string;
  /** The Redis chart's name; the job and its objects are `<name>-snapshot`. */
  readonly redisName: string;
  readonly partOf: string;
  /** The chart's pinned Redis image: its redis-cli takes the snapshot. */
  readonly redisImage: string;
  readonly authSecret: RedisAuthSecret;
  /** The chart's topology: the script asks these sentinels for the master. */
  readonly topology: RedisTopology;
  readonly placement: Placement;
  /** Labels of the data node and sentinel pods, for the job's egress. */
  readonly dataSelector: Readonly<Record<string, string>>;
  readonly sentinelSelector: Readonly<Record<string, string>>;
  /** Size limit of the volume the RDB is written to: about the dataset, so the data node's memory limit. */
  readonly workVolumeLimit: string;
}

/**
 * The daily Redis snapshot: a CronJob whose init container (the Redis image) takes an RDB of the current
 * master into an emptyDir (redis-snapshot-script.ts, step fetch) and whose container (the AWS CLI image)
 * uploads it with its SHA-256 (step upload); the script in a ConfigMap; a NetworkPolicy that lets the pods
 * reach the sentinels, the data nodes, DNS and the object store's port, and nothing reach them.
 */
export class RedisSnapshotCronJob extends Construct {
  constructor(scope: Construct, id: string, props: RedisSnapshotCronJobProps) {
    super(scope, id);
    const name = `${props.redisName}-snapshot`;
    const fail = (field: string, rule: string, got: unknown): never => {
      throw new Error(`${props.redisName}.snapshot.${field} ${rule} (got ${JSON.stringify(got)})`);
    };
    const fields = props.schedule.trim().split(/\s+/);
    if (fields.length !== 5 || !fields.every((f) => CRON_FIELD.test(f)))
      fail('schedule', 'must be a five-field cron expression such as "0 3 * * *" (UTC)', props.schedule);
    if (!DESTINATION.test(props.destination))
      fail('destination', 'must be s3://<bucket>/<prefix>/ or file:///<dir>', props.destination);
    if (props.region === '') fail('region', 'must name the bucket’s AWS region', props.region);
    if (props.uploadImage === '') fail('uploadImage', 'must name a pinned AWS CLI image', props.uploadImage);
    if (props.serviceAccountName === '')
      fail('serviceAccountName', 'must name the job’s ServiceAccount', props.serviceAccountName);
    const port = props.objectStorePort ?? 443;
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      fail('objectStorePort', 'must be a TCP port 1..65535', port);
    const deadline = props.activeDeadlineSeconds ?? DEFAULT_DEADLINE_SECONDS;
    if (!Number.isInteger(deadline) || deadline < 60)
      fail('activeDeadlineSeconds', 'must be an integer >= 60', deadline);
    const topology = resolveRedisTopology(props.topology, props.redisName);

    const labels = standardLabels(name, props.partOf, { component: REDIS_SNAPSHOT_COMPONENT });
    const selector = redisSnapshotPodSelector(props.redisName);
    const meta = { name, namespace: props.namespace, labels };

    new k8s.KubeConfigMap(this, 'script', {
      metadata: meta,
      data: { [SCRIPT]: redisSnapshotScript(props.topology) },
    });

    const resources = (r: ContainerResources) => ({
      requests: { cpu: r.requests.cpu, memory: r.requests.memory },
      limits: { cpu: r.limits.cpu, memory: r.limits.memory },
    });
    const common: EnvVar[] = [
      { name: 'SNAPSHOT_DESTINATION', value: props.destination },
      { name: 'SNAPSHOT_NAME', value: props.redisName },
      { name: 'WORK_DIR', value: WORK_DIR },
    ];
    const mounts = [
      { name: 'script', mountPath: SCRIPT_DIR, readOnly: true },
      { name: 'work', mountPath: WORK_DIR },
      { name: 'tmp', mountPath: '/tmp' },
    ];
    const fetch: Container = {
      name: 'fetch',
      image: props.redisImage,
      imagePullPolicy: 'IfNotPresent',
      command: ['sh', `${SCRIPT_DIR}/${SCRIPT}`, 'fetch'],
      env: [
        ...common,
        // By reference only: the password never appears in the chart or the plan.
        {
          name: 'REDIS_PASSWORD',
          valueFrom: { secretKeyRef: { name: props.authSecret.name, key: props.authSecret.key } },
        },
      ],
      resources: resources(props.fetchResources ?? DEFAULT_FETCH_RESOURCES),
      securityContext: hardenedContainer(),
      volumeMounts: mounts,
    };
    const upload: Container = {
      name: 'upload',
      image: props.uploadImage,
      imagePullPolicy: 'IfNotPresent',
      command: ['sh', `${SCRIPT_DIR}/${SCRIPT}`, 'upload'],
      env: [
        ...common,
        { name: 'AWS_REGION', value: props.region },
        { name: 'AWS_DEFAULT_REGION', value: props.region },
        // The root filesystem is read-only; the CLI keeps its cache under HOME.
        { name: 'HOME', value: '/tmp' },
      ],
      resources: resources(props.uploadResources ?? DEFAULT_UPLOAD_RESOURCES),
      securityContext: hardenedContainer(),
      volumeMounts: mounts,
    };
    const placement = props.placement;
    const pod: PodSpec = {
      serviceAccountName: props.serviceAccountName,
      // IRSA's web-identity token is projected by EKS regardless; no Kubernetes API token is needed.
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      // A failed run leaves its pod for the logs; the Job's backoffLimit makes the retries.
      restartPolicy: 'Never',
      securityContext: {
        runAsNonRoot: true,
        runAsUser: SNAPSHOT_UID,
        runAsGroup: SNAPSHOT_UID,
        fsGroup: SNAPSHOT_UID,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      ...(placement.nodeSelector !== undefined && { nodeSelector: { ...placement.nodeSelector } }),
      ...(placement.tolerations !== undefined && {
        tolerations: placement.tolerations.map((t) => ({ ...t })),
      }),
      initContainers: [fetch],
      containers: [upload],
      volumes: [
        { name: 'script', configMap: { name, defaultMode: 0o444 } },
        { name: 'work', emptyDir: { sizeLimit: props.workVolumeLimit } },
        { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
      ],
    };
    const spec: CronJobSpec = {
      schedule: props.schedule.trim(),
      timeZone: 'Etc/UTC',
      // One snapshot at a time: a slow run is not doubled by the next.
      concurrencyPolicy: 'Forbid',
      // A run missed by more than an hour (controller down) waits for the next day rather than run late.
      startingDeadlineSeconds: 3600,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        metadata: { labels },
        spec: {
          backoffLimit: 2,
          activeDeadlineSeconds: deadline,
          template: { metadata: { labels: { ...labels } }, spec: pod },
        },
      },
    };
    new ApiObject(this, 'cronjob', { apiVersion: 'batch/v1', kind: 'CronJob', metadata: meta, spec });

    const peer = (podLabels: Readonly<Record<string, string>>) =>
      policyPeer({ namespace: props.namespace, podLabels });
    new k8s.KubeNetworkPolicy(this, 'network-policy', {
      metadata: meta,
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Ingress', 'Egress'],
        // Nothing connects to the job.
        ingress: [],
        egress: [
          { to: [peer(props.sentinelSelector)], ports: tcpPorts([topology.sentinelPort]) },
          { to: [peer(props.dataSelector)], ports: tcpPorts([topology.redisPort]) },
          dnsEgressRule(),
          // The object store is outside the cluster (AWS S3 has no fixed addresses): its port only, as the
          // MongoDB backup agents' policy has it.
          { ports: tcpPorts([port]) },
        ],
      },
    });
  }
}
