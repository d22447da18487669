import type * as pulumi from '@pulumi/pulumi';
import { SERVICE_HTTP_PORT, type RouteTraffic } from '../charts';
import type { TopologySpread } from '../charts';
import { Microservice } from '../infra/apps';
import { ArgoRollouts, ARGO_ROLLOUTS_POD_LABELS } from '../infra/delivery';
import { publicRouteNames } from '../charts';
import { ClusterBaseline } from '../infra/baseline';
import type { ClusterInfo } from '../infra/cluster';
import type { DataLayer } from '../infra/data';
import type { KafkaMirrorTarget } from '../charts/monitoring-rules';
import { appsQuota } from './apps-quota';
import { createCluster, type CreatedCluster } from './cluster';
import type { LoadedEnvironment } from './config';
import { createDataLayer } from './data-layer';
import { createMonitoring, serviceSlos } from './monitoring';
import { deliveryArgs } from './delivery';
import { ALLOY_POD_LABELS, OTLP_HTTP_PORT } from '../charts/alloy-config';
import { otlpEndpoint, prometheusAddress } from '../infra/monitoring';
import { generatedPassword } from '../infra/data';
import { callersOf, dependenciesOf } from './network-peers';
import { SERVICE_CATALOG, type ServiceName } from './service-catalog';
import { serviceIdentities } from './service-identity';
import { underPrefix, type EdgeTrafficSpec, type NamespacesSpec } from './spec';

/** The Secret in the apps namespace with JWT_SECRET, the access tokens' signing key. */
export const JWT_SECRET_NAME = 'jwt-signing-key';

/** `<NAME>_SERVICE_URL` for each service this one calls, through its cluster-internal Service. */
export function serviceUrls(name: ServiceName, ns: NamespacesSpec): Record<string, string> {
  return Object.fromEntries(
    SERVICE_CATALOG[name].calls.map((callee) => [
      `${callee.toUpperCase()}_SERVICE_URL`,
      // The callee's Service port, which forwards to the container's port (SERVICE_PORT).
      `http://${callee}.${ns.apps}.svc.cluster.local:${SERVICE_HTTP_PORT}`,
    ]),
  );
}

export interface Environment {
  readonly cluster: ClusterInfo;
  readonly services: Record<string, { namespace: string; image: string }>;
  /** Its stores: DR mirrors the primary's Kafka into the standby's (stacks/kafka-mirror.ts). */
  readonly data: DataLayer;
}

/**
 * What buildEnvironment composes from: the loaded stack, and for the DR standby the MirrorMaker 2 writing into
 * its Kafka, whose alerts its rules carry. Passed as part of the loaded stack because buildStandby
 * (stacks/standby.ts) hands that on to buildEnvironment with only the spec replaced.
 */
export type EnvironmentInput = LoadedEnvironment & { readonly mirroredInto?: KafkaMirrorTarget };

/**
 * Where an environment is built, and as whom: the primary builds into its own cluster under its stack name;
 * the DR standby (stacks/standby.ts) into the standby cluster, named `<env>-standby`, with the primary's
 * identity, so that after a failover the workloads are prod: the same ENVIRONMENT, JWT issuer and policy
 * levels (the Secrets Manager prefix is the cluster spec's, shared too).
 */
export interface EnvironmentSite {
  readonly created: CreatedCluster;
  /** The environment as workloads and policies see it. */
  readonly identity: string;
  /** Extra annotations on every public HTTPRoute: ExternalDNS's failover record settings with DR. */
  readonly routeAnnotations?: Readonly<Record<string, pulumi.Input<string>>>;
}

/** The edge settings for one service's route: the shared ones, and the path limits under its prefixes. */
function routeTraffic(edge: EdgeTrafficSpec, prefixes: readonly string[]): RouteTraffic {
  return {
    requestTimeout: edge.requestTimeout,
    retries: edge.retries,
    circuitBreaker: edge.circuitBreaker,
    requestsPerMinute: edge.rateLimit.requestsPerMinute,
    pathLimits: Object.fromEntries(
      Object.entries(edge.rateLimit.paths).filter(([path]) => prefixes.some((p) => underPrefix(path, p))),
    ),
  };
}

/** Spread replicas over zones where the cluster has several, and always over nodes. */
function spreadFor(cluster: ClusterInfo): TopologySpread[] {
  const spread: TopologySpread[] = [
    { topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' },
  ];
  if (cluster.zones.count > 1) {
    spread.unshift({ topologyKey: cluster.zones.topologyKey, whenUnsatisfiable: 'DoNotSchedule' });
  }
  return spread;
}

/**
 * Composes one environment from its spec: the cluster (the only place the tier matters), the shared
 * baseline, then the services. Everything after createCluster works on the ClusterInfo contract.
 */
export function buildEnvironment(
  loaded: EnvironmentInput,
  site: EnvironmentSite = { created: createCluster(loaded), identity: loaded.spec.name },
): Environment {
  const { spec } = loaded;
  const env = spec.name;
  const { created } = site;
  const seenAs = site.identity;
  const access = created.access;
  const ns = spec.namespaces;

  const baseline = new ClusterBaseline(`${env}-baseline`, {
    access,
    namespaces: ns,
    appsQuota: appsQuota(spec.services),
    hostnames: spec.gateway.hostnames,
    clientTraffic: {
      trustedProxyHops: spec.gateway.traffic.trustedProxyHops,
      connectionLimit: spec.gateway.traffic.connectionLimit,
      connectionBufferLimit: spec.gateway.traffic.connectionBufferLimit,
    },
    publicServices: spec.services.map((s) => s.name).filter((name) => SERVICE_CATALOG[name].public),
    policy: {
      environment: seenAs,
      levels: spec.policy.levels,
      ...(spec.cluster.tier === 'eks' && {
        endpointAccess: {
          publicAccessCidrs: spec.cluster.publicAccessCidrs,
          allowPublicAccessFromAnywhere: spec.cluster.publicAccessCidrs.includes('0.0.0.0/0'),
        },
      }),
    },
    rolloutsController: {
      webCheckServices: spec.services.filter((s) => s.delivery.strategy === 'blueGreen').map((s) => s.name),
    },
    issuer:
      spec.certificates.issuer === 'acme'
        ? {
            kind: 'acme',
            ...spec.certificates.acme,
            region: spec.cluster.tier === 'eks' ? spec.cluster.region : 'us-east-1',
          }
        : { kind: 'internal-ca' },
    ...(created.certManagerServiceAccountAnnotations && {
      certManagerServiceAccountAnnotations: created.certManagerServiceAccountAnnotations,
    }),
  });
  const cluster: ClusterInfo = {
    ...access,
    gateway: baseline.gateway,
    ready: [...access.ready, ...baseline.ready],
  };

  // Argo Rollouts in every environment; the plugin may re-weight only the routes of canary services.
  const rollouts = new ArgoRollouts(`${env}-delivery`, {
    provider: cluster.provider,
    namespaces: { platform: ns.platform, apps: ns.apps },
    replicas: spec.delivery.controllerReplicas,
    arch: spec.delivery.plugin.arch,
    plugin:
      spec.delivery.plugin.source === 'image'
        ? { mode: 'image', image: spec.delivery.plugin.image }
        : { mode: 'download' },
    httpRoutes: spec.services
      .filter((s) => s.delivery.strategy === 'canary' && SERVICE_CATALOG[s.name].public)
      .flatMap((s) =>
        publicRouteNames(s.name, routeTraffic(spec.gateway.traffic, SERVICE_CATALOG[s.name].pathPrefixes)),
      ),
    topologyKey: cluster.zones.count > 1 ? cluster.zones.topologyKey : 'kubernetes.io/hostname',
    dependsOn: cluster.ready,
  });

  const data = createDataLayer(loaded, cluster, created.backupStorage);
  createMonitoring(spec, cluster, created.telemetryStorage, loaded.mirroredInto);
  // One signing key for the access tokens: the user service signs them, every service verifies them.
  const jwt = generatedPassword(`${env}-jwt`, {
    provider: cluster.provider,
    backend: cluster.secretBackend,
    secretName: JWT_SECRET_NAME,
    namespace: ns.apps,
    key: 'JWT_SECRET',
    length: 64,
    dependsOn: cluster.ready,
  });

  const identities = serviceIdentities(spec, cluster);

  const slos = new Map(serviceSlos(spec).map((slo) => [slo.service, slo]));
  const services: Environment['services'] = {};
  for (const service of spec.services) {
    const slo = slos.get(service.name);
    if (slo === undefined) throw new Error(`no SLO resolved for service ${service.name}`);
    const hpa = service.autoscaling;
    const stores = data.services[service.name];
    const identity = identities[service.name];
    new Microservice(`${env}-${service.name}`, {
      provider: cluster.provider,
      serviceName: service.name,
      description: SERVICE_CATALOG[service.name].description,
      namespace: ns.apps,
      monitoringNamespace: ns.monitoring,
      image: service.image,
      replicas: service.replicas,
      ...(hpa.enabled && {
        autoscaling: {
          minReplicas: hpa.minReplicas,
          maxReplicas: hpa.maxReplicas,
          cpuUtilization: hpa.targetCPUUtilizationPercentage,
          memoryUtilization: hpa.targetMemoryUtilizationPercentage,
        },
      }),
      resources: service.resources,
      delivery: deliveryArgs(service, slo, prometheusAddress(ns.monitoring)),
      ...(SERVICE_CATALOG[service.name].public && {
        route: {
          gateway: cluster.gateway,
          pathPrefixes: SERVICE_CATALOG[service.name].pathPrefixes,
          traffic: routeTraffic(spec.gateway.traffic, SERVICE_CATALOG[service.name].pathPrefixes),
          ...(site.routeAnnotations && { annotations: site.routeAnnotations }),
        },
      }),
      // Callers; and for blue-green the controller, whose smoke checks call the preview pods.
      allowFrom: [
        ...callersOf(service.name, ns),
        ...(service.delivery.strategy === 'blueGreen'
          ? [{ namespace: ns.platform, podLabels: { ...ARGO_ROLLOUTS_POD_LABELS } }]
          : []),
      ],
      // Its dependencies, and Alloy for the traces (OTLP/HTTP), nothing else.
      allowTo: [
        ...dependenciesOf(service.name, ns),
        { namespace: ns.monitoring, podLabels: { ...ALLOY_POD_LABELS }, ports: [OTLP_HTTP_PORT] },
      ],
      spread: spreadFor(cluster),
      env: {
        ENVIRONMENT: seenAs,
        JWT_ISSUER: `platform-${seenAs}`,
        // Traces to Alloy; parent-based sampling at the stack's ratio (services/common, tracing).
        OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint(ns.monitoring),
        OTEL_TRACES_SAMPLER_ARG: String(spec.monitoring.traces.sampleRatio),
        ...serviceUrls(service.name, ns),
        ...stores?.env,
      },
      envFromSecrets: [JWT_SECRET_NAME, ...(stores?.secretNames ?? []), ...(identity?.envFromSecrets ?? [])],
      ...(identity && Object.keys(identity.secretEnv).length > 0 && { secretEnv: identity.secretEnv }),
      dependsOn: [
        ...cluster.ready,
        ...jwt.ready,
        ...(stores?.ready ?? []),
        ...(identity?.ready ?? []),
        // Rollouts and AnalysisTemplates need the controller's CRDs.
        ...(service.delivery.strategy === 'rolling' ? [] : rollouts.ready),
      ],
    });
    services[service.name] = { namespace: ns.apps, image: service.image };
  }
  return { cluster, services, data };
}
