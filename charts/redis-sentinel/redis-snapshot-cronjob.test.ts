import { execFileSync } from 'node:child_process';
import { loadKubernetesValidator } from '../../tools/k8s-schema';
import { registerPlatformCrds } from '../../tools/k8s-schema/crds';
import { checkPolicies, objectRef } from '../../tools/policy';
import {
  KUBE_DNS_POD,
  reachability,
  type NetworkPolicyObject,
  type ReachPod,
} from '../../tools/reachability';
import { synthesize, type KubernetesObject } from '../lib';
import { NamespaceBaselineChart } from '../namespace-baseline';
import { RedisSentinelChart } from './redis-sentinel-chart';
import type { RedisSentinelProps, RedisSnapshotProps } from './redis-sentinel-props';
import { redisSnapshotScript } from './redis-snapshot-script';
import { REDIS_SENTINEL_PROPS, REDIS_SNAPSHOT_PROPS } from '../../test/support/redis-sentinel-props';

const snapshot: RedisSnapshotProps = REDIS_SNAPSHOT_PROPS;
const base: RedisSentinelProps = { ...REDIS_SENTINEL_PROPS, snapshot };

type Obj = Record<string, any>;

function render(props: Partial<RedisSentinelProps> = {}): KubernetesObject[] {
  return synthesize((app) => new RedisSentinelChart(app, 'redis', { ...base, ...props }));
}
function find(objects: KubernetesObject[], kind: string, name: string): Obj {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind}/${name} rendered`);
  return found as Obj;
}
const cronJob = (objects: KubernetesObject[]) => find(objects, 'CronJob', 'redis-snapshot');
const podOf = (objects: KubernetesObject[]): Obj => cronJob(objects).spec.jobTemplate.spec.template.spec;
const envOf = (container: Obj): Record<string, Obj> =>
  Object.fromEntries((container.env as Obj[]).map((e) => [e.name, e]));

describe('the Redis snapshot CronJob', () => {
  it('adds exactly its CronJob, script ConfigMap and NetworkPolicy to the chart, only when asked', () => {
    const names = (objects: KubernetesObject[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`);
    const without = names(render({ snapshot: undefined }));
    const withJob = names(render());
    expect(withJob.filter((n) => !without.includes(n)).sort()).toEqual([
      'ConfigMap/redis-snapshot',
      'CronJob/redis-snapshot',
      'NetworkPolicy/redis-snapshot',
    ]);
    expect(without.every((n) => withJob.includes(n))).toBe(true);
    expect(without.some((n) => n.includes('snapshot'))).toBe(false);
  });

  it('passes strict schema validation and the platform policies without findings', () => {
    const namespace = synthesize((app) => new NamespaceBaselineChart(app, 'data', { name: 'data' }));
    const objects = render();
    const validator = loadKubernetesValidator();
    registerPlatformCrds(validator, { only: objects });
    const violations = objects.flatMap((o) =>
      validator.validate(o).map((v) => `${objectRef(o)} ${v.path}: ${v.message}`),
    );
    expect(violations).toEqual([]);
    const report = checkPolicies([...namespace, ...objects]);
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
    // The validator is strict: an unknown field in the CronJob is refused, so the check above can fail.
    const broken = { ...cronJob(objects), spec: { ...cronJob(objects).spec, timezone: 'Etc/UTC' } };
    expect(validator.validate(broken as unknown as KubernetesObject)).not.toEqual([]);
  });

  it('runs daily at the configured UTC time, one run at a time, with a deadline, retries and history', () => {
    const spec = cronJob(render({ snapshot: { ...snapshot, schedule: '30 2 * * *' } })).spec;
    expect(spec).toMatchObject({
      schedule: '30 2 * * *',
      timeZone: 'Etc/UTC',
      concurrencyPolicy: 'Forbid',
      startingDeadlineSeconds: 3600,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
    });
    expect(spec.jobTemplate.spec).toMatchObject({ backoffLimit: 2, activeDeadlineSeconds: 1800 });
    expect(
      cronJob(render({ snapshot: { ...snapshot, activeDeadlineSeconds: 900 } })).spec.jobTemplate.spec
        .activeDeadlineSeconds,
    ).toBe(900);
    expect(podOf(render()).restartPolicy).toBe('Never');
  });

  it('runs restricted: non-root, read-only root, no capabilities, RuntimeDefault seccomp, no API token', () => {
    const pod = podOf(render());
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 999,
      runAsGroup: 999,
      fsGroup: 999,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('redis-snapshot');
    const containers: Obj[] = [...pod.initContainers, ...pod.containers];
    expect(containers.map((c) => c.name)).toEqual(['fetch', 'upload']);
    for (const c of containers) {
      expect(c.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(c.resources.requests).toBeDefined();
      expect(c.resources.limits).toBeDefined();
    }
    // The data layer's placement, so the job runs where the data nodes do.
    expect(pod.nodeSelector).toEqual(base.placement!.nodeSelector);
    expect(pod.tolerations).toEqual(base.placement!.tolerations);
  });

  it('fetches with the chart’s Redis image and the password from the auth Secret, uploads with the CLI image', () => {
    const objects = render();
    const pod = podOf(objects);
    const [fetch] = pod.initContainers as Obj[];
    const [upload] = pod.containers as Obj[];
    expect(fetch!.image).toBe(base.image);
    expect(upload!.image).toBe(snapshot.uploadImage);
    expect(envOf(fetch!).REDIS_PASSWORD).toEqual({
      name: 'REDIS_PASSWORD',
      valueFrom: { secretKeyRef: { name: 'redis-auth', key: 'password' } },
    });
    // The upload step needs no password; no env var anywhere carries a literal value for one.
    expect(envOf(upload!).REDIS_PASSWORD).toBeUndefined();
    for (const c of [fetch!, upload!])
      for (const e of c.env as Obj[]) if (/PASSWORD|AUTH/.test(e.name)) expect(e.value).toBeUndefined();
    expect(fetch!.command).toEqual(['sh', '/etc/redis-snapshot/redis-snapshot.sh', 'fetch']);
    expect(upload!.command).toEqual(['sh', '/etc/redis-snapshot/redis-snapshot.sh', 'upload']);
    for (const c of [fetch!, upload!]) {
      expect(envOf(c).SNAPSHOT_DESTINATION!.value).toBe('s3://platform-prod-backups/redis/prod/');
      expect(envOf(c).WORK_DIR!.value).toBe('/snapshot');
    }
    expect(envOf(upload!).AWS_REGION!.value).toBe('eu-west-1');
  });

  it('mounts the script from its ConfigMap, the one the sentinels of this chart are named in', () => {
    const objects = render({ sentinels: 5 });
    const pod = podOf(objects);
    expect(pod.volumes).toEqual([
      { name: 'script', configMap: { name: 'redis-snapshot', defaultMode: 0o444 } },
      // The data nodes' memory limit bounds the dataset, so the RDB.
      { name: 'work', emptyDir: { sizeLimit: '2Gi' } },
      { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
    ]);
    for (const c of [...pod.initContainers, ...pod.containers] as Obj[]) {
      expect(c.volumeMounts).toContainEqual({
        name: 'script',
        mountPath: '/etc/redis-snapshot',
        readOnly: true,
      });
      expect(c.volumeMounts).toContainEqual({ name: 'work', mountPath: '/snapshot' });
    }
    const script: string = find(objects, 'ConfigMap', 'redis-snapshot').data['redis-snapshot.sh'];
    const hosts = [0, 1, 2, 3, 4].map(
      (i) => `redis-sentinel-${i}.redis-sentinel-headless.data.svc.cluster.local`,
    );
    expect(script).toBe(
      redisSnapshotScript({
        dataHosts: [0, 1, 2].map((i) => `redis-${i}.redis-headless.data.svc.cluster.local`),
        sentinelHosts: hosts,
        redisPort: 6379,
        sentinelPort: 26379,
      }),
    );
    expect(script).toContain(`sentinel_hosts='${hosts.join(' ')}'`);
    expect(() => execFileSync('sh', ['-n'], { input: script })).not.toThrow();
  });

  it('may reach the sentinels, the data nodes, DNS and the object store only, and nothing reaches it', () => {
    const objects = render();
    const template = cronJob(objects).spec.jobTemplate.spec.template;
    const pod = (id: string, labels: Record<string, string>, ports: number[]): ReachPod => ({
      namespace: id.split('/')[0]!,
      id,
      labels,
      ports: ports.map((containerPort) => ({ containerPort })),
    });
    const stsLabels = (name: string) => find(objects, 'StatefulSet', name).spec.template.metadata.labels;
    const pods = [
      pod('data/redis-snapshot', template.metadata.labels, []),
      pod('data/redis', stsLabels('redis'), [6379, 9121]),
      pod('data/redis-sentinel', stsLabels('redis-sentinel'), [26379, 9121]),
      pod('apps/product', { 'app.kubernetes.io/name': 'product' }, [8080]),
      pod('data/mongodb', { 'app.kubernetes.io/name': 'mongodb' }, [27017]),
      KUBE_DNS_POD,
    ];
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy') as unknown as NetworkPolicyObject[];
    const edges = reachability({ pods, policies }).map((e) => `${e.from} -> ${e.to}:${e.port}/${e.protocol}`);
    expect(edges.filter((e) => e.startsWith('data/redis-snapshot ')).sort()).toEqual([
      'data/redis-snapshot -> data/redis-sentinel:26379/TCP',
      'data/redis-snapshot -> data/redis:6379/TCP',
      'data/redis-snapshot -> kube-system/kube-dns:53/TCP',
      'data/redis-snapshot -> kube-system/kube-dns:53/UDP',
      'data/redis-snapshot -> outside:443/TCP',
    ]);
    expect(edges.filter((e) => e.includes('-> data/redis-snapshot:'))).toEqual([]);
    const policy = find(objects, 'NetworkPolicy', 'redis-snapshot').spec;
    expect(policy.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.ingress).toEqual([]);
    // Without the job, the Redis pods admit nothing new: the same edges minus the job's.
    const plain = render({ snapshot: undefined }).filter((o) => o.kind === 'NetworkPolicy');
    const plainEdges = reachability({ pods, policies: plain as unknown as NetworkPolicyObject[] })
      .filter((e) => e.from === 'data/redis-snapshot' && e.to.startsWith('data/redis'))
      .map((e) => e.to);
    expect(plainEdges).toEqual([]);
  });

  it('takes the object store’s port from the props', () => {
    const policy = find(
      render({ snapshot: { ...snapshot, objectStorePort: 9000 } }),
      'NetworkPolicy',
      'redis-snapshot',
    );
    expect(policy.spec.egress.at(-1)).toEqual({ ports: [{ protocol: 'TCP', port: 9000 }] });
  });

  it('refuses bad settings, naming the field, the value and what is allowed', () => {
    const bad = (over: Partial<RedisSnapshotProps>) => () => render({ snapshot: { ...snapshot, ...over } });
    expect(bad({ schedule: 'daily' })).toThrow(
      'redis.snapshot.schedule must be a five-field cron expression such as "0 3 * * *" (UTC) (got "daily")',
    );
    expect(bad({ destination: 'https://bucket/redis' })).toThrow(
      'redis.snapshot.destination must be s3://<bucket>/<prefix>/ or file:///<dir> (got "https://bucket/redis")',
    );
    expect(bad({ objectStorePort: 0 })).toThrow(
      'redis.snapshot.objectStorePort must be a TCP port 1..65535 (got 0)',
    );
    expect(bad({ activeDeadlineSeconds: 10 })).toThrow(
      'redis.snapshot.activeDeadlineSeconds must be an integer >= 60 (got 10)',
    );
    expect(bad({ serviceAccountName: '' })).toThrow('redis.snapshot.serviceAccountName');
  });
});
