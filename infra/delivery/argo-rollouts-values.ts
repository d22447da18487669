import type { ResourceRequirements } from 'kubernetes-types/core/v1';
import { hardenedContainer } from '../../charts/lib';
import { GATEWAY_API_PLUGIN, type NodeArch, type RolloutsPluginPin } from '../versions';

/**
 * Where the controller gets the Gateway API plugin binary:
 * - `download`: at start, from the pinned GitHub release for the nodes' architecture (verified against the
 *   pinned sha256 where one is pinned); needs HTTPS egress to github.com.
 * - `image`: air-gapped; an init container from `image` (a mirror of the plugin image, by digest) copies the
 *   binary into an emptyDir the controller loads it from.
 */
export type PluginSource = { readonly mode: 'download' } | { readonly mode: 'image'; readonly image: string };

export interface ArgoRolloutsValuesInput {
  /** Controller pods; one leads (leader election from 2 on), the others stand by. */
  readonly replicas: number;
  readonly arch: NodeArch;
  readonly plugin: PluginSource;
  /** Node label of a failure domain (zone on EKS, hostname where there is one zone). */
  readonly topologyKey: string;
  /**
   * @default requests 100m CPU / 256Mi, limits 1 CPU / 1Gi (the plugin runs as a child process in the
   * controller's container and shares these)
   */
  readonly resources?: ResourceRequirements;
  /** @default GATEWAY_API_PLUGIN (infra/versions.ts) */
  readonly pluginPin?: RolloutsPluginPin;
  /** Config path errors are reported under. @default 'platform:delivery' */
  readonly context?: string;
}

/** The chart's selector labels plus its component label, as the controller's pods carry them. */
export const ARGO_ROLLOUTS_POD_LABELS = {
  'app.kubernetes.io/name': 'argo-rollouts',
  'app.kubernetes.io/component': 'rollouts-controller',
} as const;
/** Release name; the chart's fullname (`argo-rollouts`) names the Deployment and the ServiceAccount. */
export const ARGO_ROLLOUTS_RELEASE = 'argo-rollouts';
export const ARGO_ROLLOUTS_SERVICE_ACCOUNT = 'argo-rollouts';
/** The controller's metrics port (chart default `controller.containerPorts.metrics`). */
export const ARGO_ROLLOUTS_METRICS_PORT = 8090;

const PLUGIN_VOLUME = 'gatewayapi-plugin';
const PLUGIN_DIR = '/plugins';
const DIGEST = /^[^\s@]+@sha256:[a-f0-9]{64}$/;
const DEFAULT_RESOURCES: ResourceRequirements = {
  requests: { cpu: '100m', memory: '256Mi' },
  limits: { cpu: '1', memory: '1Gi' },
};

/**
 * Values for the pinned argo-rollouts chart: the controller only (no dashboard), CRDs installed and kept on
 * uninstall (deleting them would delete every Rollout), the Gateway API plugin, no provider RBAC (the plugin's
 * rights on HTTPRoutes are a Role per namespace, see charts/delivery-access), HA with a PDB and a spread from
 * two replicas. Metrics are served on 8090; the Service and ServiceMonitor for them are rendered by
 * charts/delivery-access so the plan shows (and tests) what Prometheus scrapes.
 */
export function argoRolloutsValues(input: ArgoRolloutsValuesInput): Record<string, unknown> {
  const ctx = input.context ?? 'platform:delivery';
  const pin = input.pluginPin ?? GATEWAY_API_PLUGIN;
  if (!Number.isInteger(input.replicas) || input.replicas < 1) {
    throw new Error(`${ctx}.controllerReplicas must be an integer >= 1 (got ${String(input.replicas)})`);
  }
  const ha = input.replicas > 1;
  const plugin = pluginSetup(input.plugin, input.arch, pin, ctx);

  return {
    installCRDs: true,
    keepCRDs: true,
    // The controller manages Rollouts in every namespace; its own cluster rules come from the chart.
    clusterInstall: true,
    providerRBAC: {
      // No cluster-wide rules for Istio, SMI, Gateway API routes...: the plugin may touch only the routes
      // the delivery Role names. `providers.gatewayAPI` also adds configmaps create/update cluster-wide
      // (outside `enabled`); the plugin needs a ConfigMap only for header/mirror routes, which we do not use.
      enabled: false,
      providers: { gatewayAPI: false },
    },
    dashboard: { enabled: false },
    // The controller always watches its notification ConfigMap, so the chart's empty one stays: with no
    // notifiers, templates or triggers nothing is sent, and there is no Secret with tokens.
    notifications: { configmap: { create: true }, secret: { create: false } },
    controller: {
      replicas: input.replicas,
      resources: input.resources ?? DEFAULT_RESOURCES,
      logging: { format: 'json' },
      // Served by our own Service and ServiceMonitor (charts/delivery-access), not the chart's.
      metrics: { enabled: false, serviceMonitor: { enabled: false } },
      pdb: ha ? { enabled: true, minAvailable: 1 } : { enabled: false },
      ...(ha && {
        // Soft: a controller that cannot schedule blocks every rollout, and only one leads at a time.
        topologySpreadConstraints: [
          { maxSkew: 1, topologyKey: input.topologyKey, whenUnsatisfiable: 'ScheduleAnyway' },
        ],
        affinity: {
          podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              {
                weight: 100,
                podAffinityTerm: {
                  topologyKey: 'kubernetes.io/hostname',
                  labelSelector: { matchLabels: { ...ARGO_ROLLOUTS_POD_LABELS } },
                },
              },
            ],
          },
        },
      }),
      trafficRouterPlugins: [plugin.entry],
      ...(plugin.initContainers && {
        initContainers: plugin.initContainers,
        volumes: [{ name: PLUGIN_VOLUME, emptyDir: {} }],
        volumeMounts: [{ name: PLUGIN_VOLUME, mountPath: PLUGIN_DIR, readOnly: true }],
      }),
    },
    // The chart's defaults, restated so a chart upgrade cannot loosen them silently.
    podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containerSecurityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
      seccompProfile: { type: 'RuntimeDefault' },
    },
  };
}

function pluginSetup(
  source: PluginSource,
  arch: NodeArch,
  pin: RolloutsPluginPin,
  ctx: string,
): { entry: Record<string, string>; initContainers?: Record<string, unknown>[] } {
  if (source.mode === 'download') {
    const sha256 = pin.sha256[arch];
    return {
      entry: {
        name: pin.name,
        location: pin.releaseUrl[arch],
        ...(sha256 !== undefined && { sha256 }),
      },
    };
  }
  if (!DIGEST.test(source.image)) {
    throw new Error(
      `${ctx}.plugin.image must name the plugin image by digest (<repository>[:tag]@sha256:<64 hex>), so every ` +
        `controller runs the reviewed binary (got ${JSON.stringify(source.image)})`,
    );
  }
  const binary = pin.imageBinaryPath.split('/').pop() ?? pin.imageBinaryPath;
  return {
    entry: { name: pin.name, location: `file://${PLUGIN_DIR}/${binary}` },
    initContainers: [
      {
        name: 'copy-gatewayapi-plugin',
        image: source.image,
        // The plugin image is Alpine based (sh and cp present) and runs as user 999.
        command: ['/bin/sh', '-c'],
        args: [`cp ${pin.imageBinaryPath} ${PLUGIN_DIR}/`],
        volumeMounts: [{ name: PLUGIN_VOLUME, mountPath: PLUGIN_DIR }],
        securityContext: hardenedContainer(),
        resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
      },
    ],
  };
}
