import { posix } from 'node:path';
import { loadKubernetesValidator } from '../../tools/k8s-schema';
import { GATEWAY_API_PLUGIN, type RolloutsPluginPin } from '../versions';
import {
  ARGO_ROLLOUTS_POD_LABELS,
  argoRolloutsValues,
  type ArgoRolloutsValuesInput,
} from './argo-rollouts-values';

const DIGEST = `sha256:${'a1'.repeat(32)}`;
const MIRRORED = `registry.example.internal/argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi:v0.16.0@${DIGEST}`;
const base: ArgoRolloutsValuesInput = {
  replicas: 2,
  arch: 'amd64',
  plugin: { mode: 'download' },
  topologyKey: 'topology.kubernetes.io/zone',
};

type Values = Record<string, any>;
const values = (over: Partial<ArgoRolloutsValuesInput> = {}): Values =>
  argoRolloutsValues({ ...base, ...over }) as Values;

describe('argoRolloutsValues', () => {
  describe('availability follows the replica count', () => {
    it('two controllers: a PDB keeping one, spread over the zone key, apart by host', () => {
      const c = values({ replicas: 2 }).controller;
      expect(c.replicas).toBe(2);
      expect(c.pdb).toEqual({ enabled: true, minAvailable: 1 });
      expect(c.topologySpreadConstraints).toEqual([
        { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' },
      ]);
      const term =
        c.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm;
      expect(term.labelSelector.matchLabels).toEqual(ARGO_ROLLOUTS_POD_LABELS);
      expect(term.topologyKey).toBe('kubernetes.io/hostname');
    });

    it('one controller: no PDB (it would block every drain), no spread, no affinity', () => {
      const c = values({ replicas: 1 }).controller;
      expect(c.replicas).toBe(1);
      expect(c.pdb).toEqual({ enabled: false });
      expect(c).not.toHaveProperty('topologySpreadConstraints');
      expect(c).not.toHaveProperty('affinity');
    });

    it('spreads over whatever failure-domain key the caller gives', () => {
      const c = values({ replicas: 3, topologyKey: 'kubernetes.io/hostname' }).controller;
      expect(c.topologySpreadConstraints[0].topologyKey).toBe('kubernetes.io/hostname');
    });

    it.each([0, -1, 1.5, Number.NaN])('refuses %p controller replicas, naming the field', (replicas) => {
      expect(() => values({ replicas })).toThrow(
        `platform:delivery.controllerReplicas must be an integer >= 1 (got ${String(replicas)})`,
      );
    });
  });

  describe('the Gateway API plugin, downloaded', () => {
    it.each(['amd64', 'arm64'] as const)('%s: the pinned release binary of that architecture', (arch) => {
      const c = values({ arch }).controller;
      expect(c.trafficRouterPlugins).toEqual([
        {
          name: 'argoproj-labs/gatewayAPI',
          location: `https://github.com/argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi/releases/download/v0.16.0/gatewayapi-plugin-linux-${arch}`,
        },
      ]);
      expect(c).not.toHaveProperty('initContainers');
      expect(c).not.toHaveProperty('volumes');
    });

    it('passes a sha256 only for an architecture whose checksum is pinned', () => {
      const sha = 'f'.repeat(64);
      const pin: RolloutsPluginPin = { ...GATEWAY_API_PLUGIN, sha256: { amd64: sha, arm64: undefined } };
      expect(values({ arch: 'amd64', pluginPin: pin }).controller.trafficRouterPlugins[0].sha256).toBe(sha);
      expect(values({ arch: 'arm64', pluginPin: pin }).controller.trafficRouterPlugins[0]).not.toHaveProperty(
        'sha256',
      );
      // The pin as committed has none yet (they must be copied from the GitHub release).
      expect(values().controller.trafficRouterPlugins[0]).not.toHaveProperty('sha256');
    });
  });

  describe('the Gateway API plugin, from an image (air-gapped)', () => {
    const c = values({ plugin: { mode: 'image', image: MIRRORED } }).controller;

    it('copies the binary into an emptyDir that the controller loads it from', () => {
      expect(c.trafficRouterPlugins).toEqual([
        {
          name: 'argoproj-labs/gatewayAPI',
          location: 'file:///plugins/rollouts-plugin-trafficrouter-gatewayapi',
        },
      ]);
      const [init] = c.initContainers;
      expect(init.image).toBe(MIRRORED);
      expect([...init.command, ...init.args].join(' ')).toBe(
        '/bin/sh -c cp /bin/rollouts-plugin-trafficrouter-gatewayapi /plugins/',
      );
      const volume = c.volumes[0].name;
      expect(c.volumes).toEqual([{ name: volume, emptyDir: {} }]);
      expect(init.volumeMounts).toEqual([{ name: volume, mountPath: '/plugins' }]);
      expect(c.volumeMounts).toEqual([{ name: volume, mountPath: '/plugins', readOnly: true }]);
      // The location the controller reads is the file the init container's `cp <src> <dir>/` writes.
      const [, src, dir] = String(init.args[0]).split(' ');
      expect(dir).toBe(`${init.volumeMounts[0].mountPath}/`);
      expect(c.trafficRouterPlugins[0].location).toBe(`file://${posix.join(dir!, posix.basename(src!))}`);
    });

    it('runs the init container hardened, and the pod passes the strict Kubernetes schema', () => {
      const [init] = c.initContainers;
      expect(init.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
      const pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'argo-rollouts' },
        spec: {
          initContainers: c.initContainers,
          containers: [
            {
              name: 'argo-rollouts',
              image: 'quay.io/argoproj/argo-rollouts:v1.9.0',
              resources: c.resources,
              volumeMounts: c.volumeMounts,
            },
          ],
          volumes: c.volumes,
          affinity: values().controller.affinity,
          topologySpreadConstraints: values().controller.topologySpreadConstraints,
        },
      };
      expect(loadKubernetesValidator().validate(pod)).toEqual([]);
    });

    it.each([
      ['a tag only', 'ghcr.io/argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi:v0.16.0'],
      [
        'a short digest',
        `ghcr.io/argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi@sha256:${'a'.repeat(12)}`,
      ],
      ['an upper-case digest', `ghcr.io/x/y@sha256:${'A'.repeat(64)}`],
      ['no repository', `@${DIGEST}`],
    ])('refuses an image with %s, naming the field and the value', (_what, image) => {
      expect(() => values({ plugin: { mode: 'image', image } })).toThrow(
        `platform:delivery.plugin.image must name the plugin image by digest (<repository>[:tag]@sha256:<64 hex>), so every controller runs the reviewed binary (got ${JSON.stringify(image)})`,
      );
    });

    it('reports under the caller’s config path', () => {
      expect(() =>
        values({ context: 'stack.delivery', plugin: { mode: 'image', image: 'plugin:latest' } }),
      ).toThrow(/^stack\.delivery\.plugin\.image must/);
    });
  });

  describe('what the chart installs', () => {
    const v = values();

    it('CRDs installed and kept on uninstall, no dashboard, no notification secret', () => {
      expect(v.installCRDs).toBe(true);
      expect(v.keepCRDs).toBe(true);
      expect(v.dashboard).toEqual({ enabled: false });
      expect(v.notifications.secret).toEqual({ create: false });
    });

    it('no provider RBAC: neither the cluster-wide route rules nor the Gateway API ConfigMap verbs', () => {
      expect(v.providerRBAC).toEqual({ enabled: false, providers: { gatewayAPI: false } });
    });

    it('metrics on 8090 are served by our Service and ServiceMonitor, not the chart’s', () => {
      expect(v.controller.metrics).toEqual({ enabled: false, serviceMonitor: { enabled: false } });
    });

    it('keeps the hardened security contexts and sizes the controller', () => {
      expect(v.podSecurityContext).toEqual({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(v.containerSecurityContext).toEqual({
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        readOnlyRootFilesystem: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(v.controller.resources).toEqual({
        requests: { cpu: '100m', memory: '256Mi' },
        limits: { cpu: '1', memory: '1Gi' },
      });
      const resources = { requests: { cpu: '200m', memory: '512Mi' }, limits: { memory: '2Gi' } };
      expect(values({ resources }).controller.resources).toEqual(resources);
    });
  });
});
