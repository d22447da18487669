import { execFileSync } from 'node:child_process';
import { loadKubernetesValidator } from '../../tools/k8s-schema';
import { registerPlatformCrds } from '../../tools/k8s-schema/crds';
import { checkPolicies, objectRef } from '../../tools/policy';
import { synthesize, type KubernetesObject } from '../lib';
import { NamespaceBaselineChart } from '../namespace-baseline';
import { RedisSentinelChart, redisConnection } from './redis-sentinel-chart';
import type { RedisSentinelProps } from './redis-sentinel-props';
import { REDIS_SENTINEL_PROPS } from '../../test/support/redis-sentinel-props';

const base: RedisSentinelProps = REDIS_SENTINEL_PROPS;

function render(props: Partial<RedisSentinelProps> = {}): KubernetesObject[] {
  return synthesize((app) => new RedisSentinelChart(app, 'redis', { ...base, ...props }));
}

function find(objects: KubernetesObject[], kind: string, name: string): Record<string, any> {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind}/${name} rendered`);
  return found as Record<string, any>;
}

const configOf = (objects: KubernetesObject[]): Record<string, string> =>
  find(objects, 'ConfigMap', 'redis-config').data;
const podOf = (objects: KubernetesObject[], name: string) =>
  find(objects, 'StatefulSet', name).spec.template.spec;
const container = (objects: KubernetesObject[], sts: string, name: string) =>
  podOf(objects, sts).containers.find((c: { name: string }) => c.name === name);

describe('RedisSentinelChart', () => {
  it('renders the config, services, stateful sets, budgets, policy and monitor, all in the namespace', () => {
    const objects = render();
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'ConfigMap/redis-config',
      'NetworkPolicy/redis',
      'PodDisruptionBudget/redis',
      'PodDisruptionBudget/redis-sentinel',
      'Service/redis-headless',
      'Service/redis-sentinel',
      'Service/redis-sentinel-headless',
      'ServiceAccount/redis',
      'ServiceMonitor/redis',
      'StatefulSet/redis',
      'StatefulSet/redis-sentinel',
    ]);
    for (const o of objects) expect(o.metadata.namespace).toBe('data');
  });

  it('passes strict schema validation and the platform policies without findings', () => {
    const namespace = synthesize((app) => new NamespaceBaselineChart(app, 'data', { name: 'data' }));
    for (const props of [{}, { dataNodes: 1 }, { dataNodes: 2, sentinels: 5 }]) {
      const objects = render(props);
      const validator = loadKubernetesValidator();
      registerPlatformCrds(validator, { only: objects });
      const violations = objects.flatMap((o) =>
        validator.validate(o).map((v) => `${objectRef(o)} ${v.path}: ${v.message}`),
      );
      expect(violations).toEqual([]);
      const report = checkPolicies([...namespace, ...objects]);
      expect(report.errors).toEqual([]);
      expect(report.warnings).toEqual(
        props.dataNodes === 1
          ? [expect.objectContaining({ rule: 'workload-replicas', object: 'data/StatefulSet/redis' })]
          : [],
      );
    }
  });

  it('sizes the data nodes, their volumes and the sentinels as declared', () => {
    const objects = render({ dataNodes: 2, sentinels: 5 });
    const data = find(objects, 'StatefulSet', 'redis').spec;
    expect(data.replicas).toBe(2);
    expect(data.volumeClaimTemplates[0].spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'gp3',
      resources: { requests: { storage: '20Gi' } },
    });
    expect(container(objects, 'redis', 'redis').resources).toEqual(base.resources);
    expect(find(objects, 'StatefulSet', 'redis-sentinel').spec.replicas).toBe(5);
    expect(container(objects, 'redis-sentinel', 'sentinel').resources).toEqual({
      requests: { cpu: '25m', memory: '32Mi' },
      limits: { cpu: '200m', memory: '64Mi' },
    });
    for (const sts of ['redis', 'redis-sentinel']) {
      expect(container(objects, sts, 'exporter').resources).toEqual({
        requests: { cpu: '10m', memory: '32Mi' },
        limits: { cpu: '100m', memory: '64Mi' },
      });
    }
    // 70 % of the 2Gi memory limit.
    expect(configOf(objects)['redis.conf']).toContain(`maxmemory ${Math.floor(2 * 2 ** 30 * 0.7)}\n`);
  });

  it('puts quorum, down-after and the pods’ stable names into the generated sentinel config and scripts', () => {
    const config = configOf(render({ sentinels: 5, quorum: 4, downAfterMilliseconds: 3000 }));
    expect(config['sentinel.conf']).toContain('sentinel monitor mymaster @MASTER_HOST@ @MASTER_PORT@ 4\n');
    expect(config['sentinel.conf']).toContain('sentinel down-after-milliseconds mymaster 3000\n');
    expect(config['redis-bootstrap.sh']).toContain(
      "sentinel_hosts='redis-sentinel-0.redis-sentinel-headless.data.svc.cluster.local " +
        'redis-sentinel-1.redis-sentinel-headless.data.svc.cluster.local ' +
        'redis-sentinel-2.redis-sentinel-headless.data.svc.cluster.local ' +
        'redis-sentinel-3.redis-sentinel-headless.data.svc.cluster.local ' +
        "redis-sentinel-4.redis-sentinel-headless.data.svc.cluster.local'",
    );
    expect(config['redis-bootstrap.sh']).toContain(
      "master_host='redis-0.redis-headless.data.svc.cluster.local'",
    );
    expect(configOf(render())['sentinel.conf']).toContain('sentinel down-after-milliseconds mymaster 5000\n');
  });

  it('makes the master wait for a replica only when there are replicas', () => {
    const three = configOf(render({ dataNodes: 3 }))['redis.conf'];
    expect(three).toContain('min-replicas-to-write 1\n');
    expect(three).toContain('min-replicas-max-lag 10\n');
    const one = configOf(render({ dataNodes: 1 }))['redis.conf'];
    expect(one).toContain('min-replicas-to-write 0\n');
    expect(one).not.toContain('min-replicas-max-lag');
  });

  it('generates scripts and probes that sh parses, and configs that hold no password', () => {
    const objects = render();
    const config = configOf(objects);
    for (const script of ['redis-bootstrap.sh', 'sentinel-bootstrap.sh', 'redis-prestop.sh']) {
      expect(() => execFileSync('sh', ['-n'], { input: config[script] })).not.toThrow();
    }
    const probes = ['redis', 'redis-sentinel'].flatMap((sts) =>
      podOf(objects, sts).containers.flatMap((c: Record<string, any>) =>
        [c.startupProbe, c.livenessProbe, c.readinessProbe].filter((p) => p?.exec !== undefined),
      ),
    );
    expect(probes).toHaveLength(6);
    for (const probe of probes) {
      expect(probe.exec.command.slice(0, 2)).toEqual(['sh', '-c']);
      expect(() => execFileSync('sh', ['-n', '-c', probe.exec.command[2]])).not.toThrow();
    }
    for (const file of ['redis.conf', 'sentinel.conf']) {
      expect(config[file]).not.toMatch(
        /^(requirepass|masterauth|sentinel auth-pass|sentinel sentinel-pass) /m,
      );
    }
  });

  it('passes the password only by Secret reference, and the announced name via $(POD_NAME)', () => {
    const objects = render();
    for (const [sts, main, headless] of [
      ['redis', 'redis', 'redis-headless'],
      ['redis-sentinel', 'sentinel', 'redis-sentinel-headless'],
    ] as const) {
      const env = container(objects, sts, main).env;
      const secretRef = { secretKeyRef: { name: 'redis-auth', key: 'password' } };
      expect(env).toContainEqual({ name: 'REDIS_PASSWORD', valueFrom: secretRef });
      expect(env).toContainEqual({ name: 'REDISCLI_AUTH', valueFrom: secretRef });
      expect(env).toContainEqual({
        name: 'ANNOUNCE_HOST',
        value: `$(POD_NAME).${headless}.data.svc.cluster.local`,
      });
      expect(env.findIndex((e: { name: string }) => e.name === 'POD_NAME')).toBeLessThan(
        env.findIndex((e: { name: string }) => e.name === 'ANNOUNCE_HOST'),
      );
      expect(container(objects, sts, 'exporter').env).toContainEqual({
        name: 'REDIS_PASSWORD',
        valueFrom: secretRef,
      });
      expect(container(objects, sts, main).command).toEqual([
        'sh',
        `/etc/redis/${main === 'redis' ? 'redis' : 'sentinel'}-bootstrap.sh`,
      ]);
    }
  });

  it('hardens the pods, keeps them apart on the topology key and copies the placement', () => {
    const objects = render();
    for (const [sts, component] of [
      ['redis', 'data'],
      ['redis-sentinel', 'sentinel'],
    ] as const) {
      const pod = podOf(objects, sts);
      expect(pod.securityContext).toEqual({
        runAsNonRoot: true,
        runAsUser: 999,
        runAsGroup: 999,
        fsGroup: 999,
        fsGroupChangePolicy: 'OnRootMismatch',
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(pod.automountServiceAccountToken).toBe(false);
      for (const c of pod.containers) {
        expect(c.securityContext).toEqual({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        });
        expect(c.livenessProbe).toBeDefined();
        expect(c.readinessProbe).toBeDefined();
      }
      expect(pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual([
        {
          topologyKey: 'topology.kubernetes.io/zone',
          labelSelector: {
            matchLabels: { 'app.kubernetes.io/name': 'redis', 'app.kubernetes.io/component': component },
          },
        },
      ]);
      expect(pod.nodeSelector).toEqual({ 'platform.io/node-group': 'data' });
      expect(pod.tolerations).toEqual(base.placement?.tolerations);
      expect(find(objects, 'StatefulSet', sts).spec.template.metadata.labels).toMatchObject({
        'app.kubernetes.io/name': 'redis',
        'app.kubernetes.io/component': component,
      });
    }
    const probe = container(objects, 'redis', 'redis').readinessProbe.exec.command.join(' ');
    expect(probe).toContain('redis-cli -p 6379 ping');
    expect(probe).not.toMatch(/ -a /);
    expect(container(objects, 'redis', 'redis').lifecycle.preStop.exec.command).toEqual([
      'sh',
      '/etc/redis/redis-prestop.sh',
    ]);
    expect(podOf(objects, 'redis').terminationGracePeriodSeconds).toBe(60);
  });

  it('gives the pods stable names before they are ready, and clients one Service for the sentinels', () => {
    const objects = render();
    const headless = find(objects, 'Service', 'redis-headless').spec;
    expect(headless).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true });
    expect(headless.ports.map((p: { port: number }) => p.port)).toEqual([6379, 9121]);
    expect(find(objects, 'Service', 'redis-sentinel-headless').spec).toMatchObject({
      clusterIP: 'None',
      publishNotReadyAddresses: true,
    });
    const client = find(objects, 'Service', 'redis-sentinel').spec;
    expect(client.type).toBe('ClusterIP');
    expect(client.ports).toEqual([
      { name: 'sentinel', port: 26379, targetPort: 'sentinel', protocol: 'TCP' },
    ]);
    expect(client.selector).toEqual({
      'app.kubernetes.io/name': 'redis',
      'app.kubernetes.io/component': 'sentinel',
    });
  });

  it('lets at most one data node and one sentinel go at a time', () => {
    const objects = render();
    expect(find(objects, 'PodDisruptionBudget', 'redis').spec.maxUnavailable).toBe(1);
    expect(find(objects, 'PodDisruptionBudget', 'redis-sentinel').spec.maxUnavailable).toBe(1);
  });

  it('admits clients, the Redis pods and monitoring, and lets the pods reach only each other and DNS', () => {
    const policy = find(render(), 'NetworkPolicy', 'redis').spec;
    const redisPods = {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'data' } },
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'redis' } },
    };
    const redisPorts = [
      { protocol: 'TCP', port: 6379 },
      { protocol: 'TCP', port: 26379 },
    ];
    expect(policy.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'redis' } });
    expect(policy.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(policy.ingress).toEqual([
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'apps' } },
            podSelector: { matchLabels: { 'app.kubernetes.io/name': 'product' } },
          },
        ],
        ports: redisPorts,
      },
      { from: [redisPods], ports: redisPorts },
      {
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
        ports: [{ protocol: 'TCP', port: 9121 }],
      },
    ]);
    expect(policy.egress[0]).toEqual({ to: [redisPods], ports: redisPorts });
    expect(policy.egress[1].ports).toEqual([
      { protocol: 'UDP', port: 53 },
      { protocol: 'TCP', port: 53 },
    ]);
    expect(policy.egress).toHaveLength(2);
  });

  it('scrapes the exporters of both headless Services, not the client Service', () => {
    const objects = render();
    const monitor = find(objects, 'ServiceMonitor', 'redis').spec;
    expect(monitor.endpoints).toEqual([{ port: 'metrics', interval: '30s', scrapeTimeout: '10s' }]);
    const scraped = objects
      .filter((o) => o.kind === 'Service')
      .filter((s) =>
        Object.entries(monitor.selector.matchLabels).every(([k, v]) => s.metadata.labels?.[k] === v),
      )
      .map((s) => s.metadata.name);
    expect(scraped).toEqual(['redis-headless', 'redis-sentinel-headless']);
  });

  it('rejects impossible props with the field, the value and what is allowed', () => {
    expect(() => render({ sentinels: 2 })).toThrow('redis.sentinels must be an odd number >= 3 (got 2)');
    expect(() => render({ dataNodes: 0 })).toThrow('redis.dataNodes must be an integer >= 1 (got 0)');
    expect(() => render({ quorum: 1 })).toThrow(
      'redis.quorum must be a majority of the 3 sentinels: 2..3 (got 1)',
    );
    expect(() => render({ sentinels: 5, quorum: 6 })).toThrow(
      'redis.quorum must be a majority of the 5 sentinels: 3..5 (got 6)',
    );
    expect(() => render({ downAfterMilliseconds: 6000 })).toThrow(
      'redis.downAfterMilliseconds must be 1000..5000, so a failed master is replaced within seconds (got 6000)',
    );
    expect(() => render({ storage: '20 GB' })).toThrow(
      'redis.storage must be a Kubernetes quantity such as 20Gi (got "20 GB")',
    );
    expect(() =>
      render({ resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: 'lots' } } }),
    ).toThrow('redis.resources.limits.memory must be a Kubernetes quantity of at least 64Mi (got "lots")');
  });
});

describe('redisConnection', () => {
  it('names every sentinel pod, the master and the sentinel Service', () => {
    expect(redisConnection({ namespace: 'data', sentinels: 3, clusterDomain: 'k8s.local' })).toEqual({
      sentinels: [0, 1, 2].map((i) => ({
        host: `redis-sentinel-${i}.redis-sentinel-headless.data.svc.k8s.local`,
        port: 26379,
      })),
      masterName: 'mymaster',
      serviceHost: 'redis-sentinel.data.svc.k8s.local',
    });
  });
});
