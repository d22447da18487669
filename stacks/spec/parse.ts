import type { z } from 'zod';
import { SERVICE_NAMES, type ServiceName } from '../service-catalog';
import { ConfigError, show, type ConfigProblem } from './config-error';
import { TIER_DEFAULTS, type TierDefaults } from './defaults';
import { parseBytes, parseCpu } from './quantity';
import {
  DNS_LABEL,
  configSchema,
  eksClusterSchema,
  onPremClusterSchema,
  serviceSchema,
  TIERS,
  DIGEST_ONLY_ENVIRONMENTS,
  type RawConfig,
  type RawService,
  type RawServiceDefaults,
  type Tier,
} from './schema';
import { parse as parseYaml } from 'yaml';
import { checkNetwork } from './eks-network';
import type {
  BackupSpec,
  ClusterSpec,
  ContainerResourcesSpec,
  DataSpec,
  EksClusterSpec,
  EnvironmentSpec,
  NodeGroupSpec,
  DeliveryPlatformSpec,
  DeliverySpec,
  ResourceSpec,
  ServiceSpec,
} from './types';
import { toProblems } from './zod-issues';
import { resolveDns } from './dns';
import { CONFIG_NAMESPACE } from './config-namespace';
import { checkForeignKeys } from './config-namespaces';
import { checkServiceImage } from './service-image';
import { configWarnings } from './config-warnings';
import { resolveEdgeTraffic } from './edge-traffic';
import { resolveMonitoring } from './monitoring';
import { resolvePolicyLevels } from './policy-levels';
import { resolveDr } from './dr';
import { ALERT_NAMES } from '../../charts/monitoring-rules';

export { CONFIG_NAMESPACE };
const P = `${CONFIG_NAMESPACE}:`;

/** What the loader knows about the stack's config beyond the `platform:` values. */
export interface ParseOptions {
  /** Fully qualified keys outside the `platform:` namespace (e.g. `aws:region`, or a misspelt `platfrom:tier`). */
  readonly foreignKeys?: readonly string[];
  /**
   * `platform:` keys (without the namespace) whose values are Pulumi secrets. When given, keys that must be
   * secrets (the kubeconfig) are refused in plain text.
   */
  readonly secretKeys?: ReadonlySet<string>;
}

type Shape = typeof configSchema.shape;

/**
 * Validates a stack's raw `platform:` config (keys without the namespace, values already JSON-decoded)
 * and resolves it against the tier's defaults. Throws a ConfigError listing every problem at once: each
 * top-level key and each service is checked on its own, so one mistake does not hide the others.
 */
export function parseEnvironment(
  stack: string,
  raw: Readonly<Record<string, unknown>>,
  options: ParseOptions = {},
): EnvironmentSpec {
  const problems: ConfigProblem[] = checkForeignKeys(options.foreignKeys ?? []);
  if (!DNS_LABEL.test(stack)) {
    problems.push({
      path: 'stack name',
      message: `must be a DNS-1123 label such as "dev" (got ${show(stack)})`,
    });
  }

  const shape: Shape = configSchema.shape;
  const allowedKeys = Object.keys(shape);
  for (const key of Object.keys(raw).sort()) {
    if (!allowedKeys.includes(key)) {
      problems.push({ path: P + key, message: `unknown key; allowed keys: ${allowedKeys.join(', ')}` });
    }
  }

  const section = <K extends keyof Shape>(key: K): z.infer<Shape[K]> | undefined => {
    const result = shape[key].safeParse(raw[key]);
    if (result.success) return result.data as z.infer<Shape[K]>;
    problems.push(...toProblems(P + key, raw[key], result.error));
    return undefined;
  };

  const tier = section('tier');
  const namespaces = section('namespaces');
  const serviceDefaults = section('serviceDefaults');
  const data = section('data');
  const monitoring = section('monitoring');
  const backup = section('backup');
  const imagePolicy = section('imagePolicy');
  const deliveryPlatform = section('delivery');
  const policy = section('policy');
  const drSection = section('dr');
  const kubeconfig =
    raw.kubeconfig === undefined
      ? undefined
      : typeof raw.kubeconfig === 'string' && raw.kubeconfig !== ''
        ? raw.kubeconfig
        : undefined;
  if (raw.kubeconfig !== undefined && kubeconfig === undefined) {
    problems.push({
      path: `${P}kubeconfig`,
      message: 'must be a non-empty string (set it with `pulumi config set --secret`)',
    });
  } else if (kubeconfig !== undefined && options.secretKeys && !options.secretKeys.has('kubeconfig')) {
    problems.push({
      path: `${P}kubeconfig`,
      message:
        'must be a secret: a plaintext kubeconfig in the stack file hands out the cluster credentials ' +
        '(value not shown); set it with `pulumi config set --secret platform:kubeconfig < kubeconfig.yaml`',
    });
  }
  const gateway = section('gateway');
  const certificates = section('certificates');
  const dns = section('dns');
  const auth = section('auth');
  const services = parseServices(raw.services, problems);

  // Without a valid tier there are no defaults to resolve against; report what we found so far.
  if (tier === undefined) {
    if (raw.tier === undefined) {
      problems.push({ path: `${P}tier`, message: `is required; allowed: ${TIERS.join(' | ')}` });
    }
    throw new ConfigError(stack, dedupe(problems));
  }
  const defaults = TIER_DEFAULTS[tier];
  const cluster = parseCluster(stack, tier, raw.cluster, kubeconfig, defaults, problems);
  const issuer = certificates?.issuer ?? defaults.certificates;
  if (issuer === 'acme' && tier === 'onprem') {
    problems.push({
      path: `${P}certificates.issuer`,
      message:
        'must be "internal-ca" on prem (got "acme"): ACME DNS-01 answers through Route 53 with an IRSA role, ' +
        'which only EKS stacks have',
    });
  } else if (issuer === 'acme' && certificates?.acme === undefined) {
    problems.push({
      path: `${P}certificates.acme`,
      message: 'is required when certificates.issuer is "acme": {email, hostedZoneId, server?}',
    });
  }

  const resolvedServices: ServiceSpec[] = [];
  for (const [name, service] of services) {
    const spec = resolveService(name, service, serviceDefaults, defaults);
    resolvedServices.push(spec);
  }

  const spec: Omit<EnvironmentSpec, 'warnings'> = {
    name: stack,
    tier,
    // Only reached with a valid cluster, or with problems that make the throw below certain.
    cluster: cluster ?? (undefined as unknown as ClusterSpec),
    namespaces: resolveNamespaces(defaults, namespaces, problems),
    services: resolvedServices,
    data: resolveData(defaults, data),
    monitoring: resolveMonitoring(tier, defaults, monitoring, [...services.keys()], ALERT_NAMES, problems),
    backup: resolveBackup(tier, cluster, defaults, backup, raw.backup, problems),
    imagePolicy: { ...defaults.imagePolicy, ...imagePolicy },
    delivery: resolveDeliveryPlatform(defaults, deliveryPlatform, problems),
    policy: { levels: resolvePolicyLevels(stack, policy, problems) },
    auth: {
      adminEmails: [...new Set((auth?.adminEmails ?? []).map((e) => e.trim().toLowerCase()))],
      serviceKeyRotation: auth?.serviceKeyRotation ?? 'initial',
    },
    gateway: {
      hostnames: gateway?.hostnames ?? [`*.${stack}.platform.internal`],
      traffic: resolveEdgeTraffic(gateway, [...services.keys()], problems),
    },
    certificates:
      issuer === 'acme' && certificates?.acme
        ? {
            issuer,
            acme: {
              email: certificates.acme.email,
              server: certificates.acme.server ?? 'https://acme-v02.api.letsencrypt.org/directory',
              hostedZoneId: certificates.acme.hostedZoneId,
            },
          }
        : { issuer: 'internal-ca' },
  };
  if (cluster === undefined && problems.length === 0) {
    problems.push({ path: `${P}cluster`, message: 'could not be resolved' });
  }

  // Hostnames that fail their own schema are reported there; the domain rule checks only valid ones.
  const hostnames = gateway !== undefined || raw.gateway === undefined ? spec.gateway.hostnames : [];
  const dnsZone = resolveDns(tier, dns, hostnames, gateway?.hostnames !== undefined, problems);
  const dr = resolveDr(stack, tier, cluster, spec.data, spec.backup, drSection, problems);

  problems.push(...checkInvariants(spec, services, serviceDefaults, defaults, data));
  if (problems.length > 0) throw new ConfigError(stack, dedupe(problems));
  const resolved = { ...spec, ...(dnsZone && { dns: dnsZone }), ...(dr && { dr }) };
  return { ...resolved, warnings: configWarnings(resolved) };
}

/** The controller's replicas and where its Gateway API plugin comes from; "image" needs the image. */
function resolveDeliveryPlatform(
  defaults: TierDefaults,
  raw: RawConfig['delivery'],
  problems: ConfigProblem[],
): DeliveryPlatformSpec {
  const arch = raw?.plugin?.arch ?? defaults.delivery.plugin.arch;
  const source = raw?.plugin?.source ?? defaults.delivery.plugin.source;
  const controllerReplicas = raw?.controllerReplicas ?? defaults.delivery.controllerReplicas;
  if (source === 'image') {
    const image = raw?.plugin?.image;
    if (image === undefined || !image.includes('@sha256:')) {
      problems.push({
        path: `${P}delivery.plugin.image`,
        message:
          'is required with plugin.source "image" and must be pinned by digest ("<registry>/<repo>:<tag>@sha256:<64 hex>"), ' +
          `the plugin image mirrored into the cluster's registry (got ${image === undefined ? 'nothing' : show(image)})`,
      });
      return { controllerReplicas, plugin: { source: 'download', arch } };
    }
    return { controllerReplicas, plugin: { source, image, arch } };
  }
  if (raw?.plugin?.image !== undefined) {
    problems.push({
      path: `${P}delivery.plugin.image`,
      message: `is only used with plugin.source "image" (got source ${show(source)})`,
    });
  }
  return { controllerReplicas, plugin: { source: 'download', arch } };
}

const NAMESPACE_ROLES = ['platform', 'data', 'apps', 'monitoring'] as const;

/** Each role gets its own namespace: two roles in one would merge their quotas, policies and default-deny. */
function resolveNamespaces(
  defaults: TierDefaults,
  namespaces: RawConfig['namespaces'],
  problems: ConfigProblem[],
): EnvironmentSpec['namespaces'] {
  const resolved = { ...defaults.namespaces, ...namespaces };
  const owner = new Map<string, string>();
  for (const role of NAMESPACE_ROLES) {
    const name = resolved[role];
    const other = owner.get(name);
    if (other !== undefined) {
      problems.push({
        path: `${P}namespaces.${role}`,
        message: `"${name}" is already the ${other} namespace; every role needs a namespace of its own (${NAMESPACE_ROLES.join(', ')})`,
      });
    } else owner.set(name, role);
  }
  return resolved;
}

type RawData = NonNullable<RawConfig['data']>;

function mergeResources(
  base: ContainerResourcesSpec,
  raw: { requests?: Partial<ResourceSpec>; limits?: Partial<ResourceSpec> } | undefined,
): ContainerResourcesSpec {
  return {
    requests: { ...base.requests, ...raw?.requests },
    limits: { ...base.limits, ...raw?.limits },
  };
}

function resolveData(defaults: TierDefaults, data: RawData | undefined): DataSpec {
  const d = defaults.data;
  const sentinels = data?.redis?.sentinels ?? d.redis.sentinels;
  const nodePools = data?.kafka?.nodePools ?? d.kafka.nodePools;
  const brokers = data?.kafka?.brokers ?? d.kafka.brokers;
  return {
    mongodb: {
      ...d.mongodb,
      ...data?.mongodb,
      resources: mergeResources(d.mongodb.resources, data?.mongodb?.resources),
    },
    redis: {
      ...d.redis,
      ...data?.redis,
      quorum: data?.redis?.quorum ?? Math.floor(sentinels / 2) + 1,
      resources: mergeResources(d.redis.resources, data?.redis?.resources),
    },
    kafka: {
      ...d.kafka,
      ...data?.kafka,
      // Combined nodes are the controllers; a configured `controllers` is refused in checkInvariants.
      controllers: nodePools === 'combined' ? brokers : (data?.kafka?.controllers ?? d.kafka.controllers),
      resources: mergeResources(d.kafka.resources, data?.kafka?.resources),
    },
  };
}

function resolveBackup(
  tier: Tier,
  cluster: ClusterSpec | undefined,
  defaults: TierDefaults,
  backup: RawConfig['backup'],
  unparsed: unknown,
  problems: ConfigProblem[],
): BackupSpec {
  const raw = backup?.storage;
  const path = `${P}backup.storage`;
  const given = (unparsed as { storage?: unknown } | undefined)?.storage !== undefined;
  if (raw === undefined) {
    // A storage block that failed its schema is already reported.
    if (!given)
      problems.push({
        path,
        message:
          tier === 'eks'
            ? 'is required: {bucket} names the S3 bucket this stack creates for MongoDB backups (bucket names are global)'
            : 'is required: {bucket, endpointUrl, credentialsSecret} of the S3-compatible service that keeps MongoDB backups',
      });
  } else if (tier === 'onprem') {
    for (const key of ['endpointUrl', 'credentialsSecret'] as const) {
      if (raw[key] === undefined) {
        problems.push({ path: `${path}.${key}`, message: 'is required on prem (S3-compatible storage)' });
      }
    }
  } else {
    for (const key of ['endpointUrl', 'credentialsSecret'] as const) {
      if (raw[key] !== undefined) {
        problems.push({
          path: `${path}.${key}`,
          message: `is not used on EKS: the stack creates the bucket and the backup agent uses its IRSA role (got ${show(raw[key])})`,
        });
      }
    }
  }
  const region = raw?.region ?? (cluster?.tier === 'eks' ? cluster.region : 'us-east-1');
  return {
    ...defaults.backup,
    ...(backup?.schedule !== undefined && { schedule: backup.schedule }),
    ...(backup?.pointInTimeRecovery !== undefined && { pointInTimeRecovery: backup.pointInTimeRecovery }),
    ...(backup?.retentionDays !== undefined && { retentionDays: backup.retentionDays }),
    ...(backup?.rpoMinutes !== undefined && { rpoMinutes: backup.rpoMinutes }),
    storage: {
      bucket: raw?.bucket ?? '',
      region,
      ...(raw?.endpointUrl !== undefined && { endpointUrl: raw.endpointUrl }),
      ...(raw?.credentialsSecret !== undefined && { credentialsSecret: raw.credentialsSecret }),
      forcePathStyle: raw?.forcePathStyle ?? raw?.endpointUrl !== undefined,
    },
  };
}

function parseServices(value: unknown, problems: ConfigProblem[]): Map<ServiceName, RawService> {
  const services = new Map<ServiceName, RawService>();
  if (value === undefined) return services;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push({
      path: `${P}services`,
      message: `must be a map from service name to settings (got ${show(value)})`,
    });
    return services;
  }
  for (const [name, entry] of Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    const path = `${P}services.${name}`;
    if (!(SERVICE_NAMES as readonly string[]).includes(name)) {
      problems.push({ path, message: `unknown service; allowed: ${SERVICE_NAMES.join(', ')}` });
      continue;
    }
    const result = serviceSchema.safeParse(entry);
    if (result.success) services.set(name as ServiceName, result.data);
    else problems.push(...toProblems(path, entry, result.error));
  }
  return services;
}

/** What the offline plan passes for secret values it cannot decrypt: their contents go unchecked. */
export const REDACTED_SECRET = '[secret]';

function parseCluster(
  stack: string,
  tier: Tier,
  value: unknown,
  kubeconfig: string | undefined,
  defaults: TierDefaults,
  problems: ConfigProblem[],
): ClusterSpec | undefined {
  const path = `${P}cluster`;
  if (tier === 'onprem') {
    if (kubeconfig !== undefined) problems.push(...checkKubeconfig(kubeconfig, value));
    const result = onPremClusterSchema.safeParse(value ?? {});
    if (!result.success) {
      problems.push(...toProblems(path, value, result.error));
      return undefined;
    }
    const c = result.data;
    if (kubeconfig === undefined && c.context === undefined) {
      problems.push({
        path,
        message: `an on-prem cluster needs the secret ${P}kubeconfig or ${path}.context (got neither)`,
      });
    }
    const undeclared: [string, unknown, string][] = [
      ['storageClass', c.storageClass, 'the StorageClass for persistent volumes, e.g. "standard"'],
      ['loadBalancer', c.loadBalancer, '{mode: metallb, addressPool: <pool>} or {mode: nodePort}'],
      ['registry', c.registry, 'the registry images are pulled from, e.g. "registry.internal/platform"'],
    ];
    for (const [key, val, what] of undeclared) {
      if (val === undefined) {
        problems.push({
          path: `${path}.${key}`,
          message: `is a capability every on-prem cluster must declare: ${what}`,
        });
      }
    }
    const lb = c.loadBalancer;
    if (lb?.mode === 'nodePort' && (lb.httpPort ?? 30080) === (lb.httpsPort ?? 30443)) {
      problems.push({
        path: `${path}.loadBalancer.httpsPort`,
        message: `must differ from httpPort: both listeners would claim node port ${lb.httpsPort ?? 30443}`,
      });
    }
    if (c.storageClass === undefined || c.loadBalancer === undefined || c.registry === undefined)
      return undefined;
    return {
      tier,
      hasKubeconfig: kubeconfig !== undefined,
      ...(c.context !== undefined && { context: c.context }),
      storageClass: c.storageClass,
      loadBalancer:
        c.loadBalancer.mode === 'metallb'
          ? c.loadBalancer
          : {
              mode: 'nodePort',
              httpPort: c.loadBalancer.httpPort ?? 30080,
              httpsPort: c.loadBalancer.httpsPort ?? 30443,
            },
      registry: c.registry,
      zones: { topologyKey: c.zones?.topologyKey ?? 'kubernetes.io/hostname', count: c.zones?.count ?? 1 },
      metricsServer: c.metricsServer ?? 'install',
    };
  }

  if (kubeconfig !== undefined) {
    problems.push({
      path: `${P}kubeconfig`,
      message: 'is for on-prem clusters; EKS stacks get their kubeconfig from the cluster they create',
    });
  }
  const result = eksClusterSchema.safeParse(value ?? {});
  if (!result.success) {
    problems.push(...toProblems(path, value, result.error));
    return undefined;
  }
  const c = result.data;
  const d = defaults.cluster;
  const region = c.region ?? d.region ?? 'eu-west-1';
  const zones = c.availabilityZones ?? ['a', 'b', 'c'].map((z) => `${region}${z}`);
  if (c.vpcCidr === undefined) {
    problems.push({
      path: `${path}.vpcCidr`,
      message:
        'is required for EKS: a /16 to /20 IPv4 block that no other environment uses, e.g. "10.20.0.0/16"',
    });
    return undefined;
  }
  const network = checkNetwork(path, region, zones, c, d.serviceCidr ?? '172.20.0.0/16', problems);
  const publicAccessCidrs = c.publicAccessCidrs ?? [];
  if (publicAccessCidrs.includes('0.0.0.0/0') && c.allowPublicAccessFromAnywhere !== true) {
    problems.push({
      path: `${path}.publicAccessCidrs`,
      message: `opens the API endpoint to the whole internet ("0.0.0.0/0"); list your networks, or set ${path}.allowPublicAccessFromAnywhere: true`,
    });
  }
  const nodeGroups = resolveNodeGroups(path, c.nodeGroups, d.nodeGroups, problems);
  if (!network || !nodeGroups) return undefined;
  return {
    tier,
    region,
    kubernetesVersion: c.kubernetesVersion ?? d.kubernetesVersion ?? '1.33',
    availabilityZones: zones,
    vpcCidr: c.vpcCidr,
    ...network,
    natGateways: c.natGateways ?? d.natGateways ?? 'one',
    publicAccessCidrs,
    admins: c.admins ?? [],
    amiType: c.amiType ?? d.amiType ?? 'AL2023',
    nodeGroups,
    secretsManagerPrefix: c.secretsManagerPrefix ?? `platform/${stack}/`,
  };
}

type RawNodeGroups = Partial<Record<'system' | 'workloads' | 'data', Partial<NodeGroupSpec>>>;

function resolveNodeGroups(
  path: string,
  raw: RawNodeGroups | undefined,
  defaults: EksClusterSpec['nodeGroups'] | undefined,
  problems: ConfigProblem[],
): EksClusterSpec['nodeGroups'] | undefined {
  if (!defaults) return undefined;
  const groups = {} as Record<'system' | 'workloads' | 'data', NodeGroupSpec>;
  let ok = true;
  for (const name of ['system', 'workloads', 'data'] as const) {
    const g: NodeGroupSpec = { ...defaults[name], ...raw?.[name] };
    if (!(g.minSize <= g.desiredSize && g.desiredSize <= g.maxSize)) {
      problems.push({
        path: `${path}.nodeGroups.${name}`,
        message: `sizes must satisfy minSize <= desiredSize <= maxSize (got ${g.minSize} <= ${g.desiredSize} <= ${g.maxSize})`,
      });
      ok = false;
    }
    groups[name] = g;
  }
  return ok ? groups : undefined;
}

/**
 * A kubeconfig must name its clusters, users and contexts, and the context we use must exist. The
 * contents are a secret: problems describe the structure, never the text.
 */
export function checkKubeconfig(text: string, cluster: unknown): ConfigProblem[] {
  if (text === REDACTED_SECRET) return [];
  const path = `${P}kubeconfig`;
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch {
    return [{ path, message: 'is not valid YAML or JSON (contents not shown: it is a secret)' }];
  }
  if (doc === null || typeof doc !== 'object') {
    return [{ path, message: 'must be a kubeconfig document with clusters, users and contexts' }];
  }
  const k = doc as Record<string, unknown>;
  const names = (key: string) =>
    Array.isArray(k[key]) ? (k[key] as unknown[]).map((e) => (e as { name?: unknown } | null)?.name) : [];
  const problems: ConfigProblem[] = [];
  for (const key of ['clusters', 'users', 'contexts']) {
    if (names(key).length === 0) problems.push({ path, message: `has no ${key}: it must list at least one` });
  }
  const wanted =
    (cluster as { context?: unknown } | undefined)?.context ?? (k['current-context'] as unknown) ?? undefined;
  if (problems.length === 0) {
    if (typeof wanted !== 'string') {
      problems.push({ path, message: `sets no current-context and ${P}cluster.context is not set either` });
    } else if (!names('contexts').includes(wanted)) {
      problems.push({
        path,
        message: `has no context "${wanted}"; contexts: ${names('contexts').map(String).join(', ')}`,
      });
    }
  }
  return problems;
}

/** Service settings win over `serviceDefaults`, which win over the tier's defaults; key by key. */
function resolveService(
  name: ServiceName,
  service: RawService,
  overrides: RawServiceDefaults | undefined,
  defaults: TierDefaults,
): ServiceSpec {
  const base = defaults.service;
  return {
    name,
    image: service.image,
    replicas: service.replicas ?? overrides?.replicas ?? base.replicas,
    autoscaling: { ...base.autoscaling, ...overrides?.autoscaling, ...service.autoscaling },
    resources: {
      requests: {
        ...base.resources.requests,
        ...overrides?.resources?.requests,
        ...service.resources?.requests,
      },
      limits: { ...base.resources.limits, ...overrides?.resources?.limits, ...service.resources?.limits },
    },
    delivery: {
      strategy: service.delivery?.strategy ?? overrides?.delivery?.strategy ?? base.delivery.strategy,
      canary: { ...base.delivery.canary, ...overrides?.delivery?.canary, ...service.delivery?.canary },
      blueGreen: {
        ...base.delivery.blueGreen,
        ...overrides?.delivery?.blueGreen,
        ...service.delivery?.blueGreen,
      },
      analysis: {
        ...base.delivery.analysis,
        ...overrides?.delivery?.analysis,
        ...service.delivery?.analysis,
      },
    },
  };
}

/** Rules of one service's delivery settings that span fields (steps ascending, limits below the count). */
function checkDelivery(
  path: string,
  delivery: DeliverySpec,
  own: RawService['delivery'] | 'all',
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const sets = (value: unknown) => own === 'all' || value !== undefined;
  const steps = delivery.canary.steps;
  if (sets(own !== 'all' && own?.canary?.steps) && steps.some((w, i) => i > 0 && w <= (steps[i - 1] ?? 0))) {
    problems.push({
      path: `${path}.delivery.canary.steps`,
      message: `must be strictly ascending weights in 1..99 (got [${steps.join(', ')}])`,
    });
  }
  const a = delivery.analysis;
  const ownAnalysis = own === 'all' ? undefined : own?.analysis;
  const setsLimits = (limit: unknown) => sets(limit) || sets(ownAnalysis?.count);
  if (setsLimits(ownAnalysis?.failureLimit) && a.failureLimit >= a.count) {
    problems.push({
      path: `${path}.delivery.analysis.failureLimit`,
      message: `must be less than analysis.count (${a.count}), or the analysis can never fail (got ${a.failureLimit})`,
    });
  }
  if (setsLimits(ownAnalysis?.inconclusiveLimit) && a.inconclusiveLimit >= a.count) {
    problems.push({
      path: `${path}.delivery.analysis.inconclusiveLimit`,
      message: `must be less than analysis.count (${a.count}), or silence could never pause the rollout (got ${a.inconclusiveLimit})`,
    });
  }
  return problems;
}

/** Rules across fields, checked on the resolved spec so that defaults take part. */
function checkInvariants(
  spec: Omit<EnvironmentSpec, 'warnings'>,
  services: ReadonlyMap<ServiceName, RawService>,
  serviceDefaults: RawServiceDefaults | undefined,
  defaults: TierDefaults,
  rawData: RawData | undefined,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  // serviceDefaults are checked once, at their own path; a service only for the values it sets itself, so
  // one bad default is one error and not one per service.
  const shared = resolveService('user', { image: '' }, serviceDefaults, defaults);
  problems.push(...checkSizing(`${P}serviceDefaults`, shared, undefined));
  problems.push(...checkDelivery(`${P}serviceDefaults`, shared.delivery, 'all'));
  for (const s of spec.services) {
    const path = `${P}services.${s.name}`;
    problems.push(...checkSizing(path, s, services.get(s.name) ?? { image: s.image }));
    problems.push(...checkDelivery(path, s.delivery, services.get(s.name)?.delivery));
    problems.push(...checkServiceImage(`${path}.image`, s.name, s.image, spec.cluster));
    if (spec.imagePolicy.requireDigest && !s.image.includes('@sha256:')) {
      problems.push({
        path: `${path}.image`,
        message: `must be pinned by digest ("name@sha256:<64 hex>") because ${P}imagePolicy.requireDigest is true (got ${show(s.image)})`,
      });
    }
  }

  if (DIGEST_ONLY_ENVIRONMENTS.includes(spec.name) && !spec.imagePolicy.requireDigest) {
    problems.push({
      path: `${P}imagePolicy.requireDigest`,
      message: `must be true in ${DIGEST_ONLY_ENVIRONMENTS.join(' and ')}, which run images by digest only (got false)`,
    });
  }

  problems.push(...checkDataInvariants(spec.data, rawData));

  if (spec.backup.schedule === 'continuous' && !spec.backup.pointInTimeRecovery) {
    problems.push({
      path: `${P}backup.pointInTimeRecovery`,
      message: `must be true when backup.schedule is "continuous" (got false)`,
    });
  }
  if (spec.monitoring.paging && spec.monitoring.level === 'basic') {
    problems.push({
      path: `${P}monitoring.paging`,
      message: `needs monitoring.level "alerting" or "full" to route pages through Alertmanager (got level "basic")`,
    });
  }
  return problems;
}

/**
 * High-availability rules of the data stores, on the resolved sizes: a replica set and a sentinel group that
 * survive the loss of one member, a quorum that is a majority, topics that fit on the brokers and keep
 * accepting writes with one broker down.
 */
function checkDataInvariants(data: DataSpec, raw: RawData | undefined): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const at = (path: string, message: string) => problems.push({ path: `${P}data.${path}`, message });
  const { mongodb, redis, kafka } = data;
  if (mongodb.members < 3 || mongodb.members % 2 === 0) {
    at(
      'mongodb.members',
      `must be an odd number >= 3 for a replica set that survives a member loss (got ${mongodb.members})`,
    );
  }
  if (redis.sentinels < 3 || redis.sentinels % 2 === 0) {
    at('redis.sentinels', `must be an odd number >= 3 (got ${redis.sentinels})`);
  }
  const majority = Math.floor(redis.sentinels / 2) + 1;
  if (redis.quorum < majority || redis.quorum > redis.sentinels) {
    at(
      'redis.quorum',
      `must be a majority of the ${redis.sentinels} sentinels, between ${majority} and ${redis.sentinels} (got ${redis.quorum})`,
    );
  }
  if (kafka.nodePools === 'combined') {
    if (raw?.kafka?.controllers !== undefined) {
      at(
        'kafka.controllers',
        `is only used with nodePools "dedicated"; combined nodes are the controllers (got ${raw.kafka.controllers})`,
      );
    }
    if (kafka.brokers < 3 || kafka.brokers % 2 === 0) {
      at(
        'kafka.brokers',
        `must be an odd number >= 3 with nodePools "combined", since every node is a KRaft controller (got ${kafka.brokers})`,
      );
    }
  } else if (kafka.controllers < 3 || kafka.controllers % 2 === 0) {
    at('kafka.controllers', `must be an odd number >= 3 for a KRaft quorum (got ${kafka.controllers})`);
  }
  if (kafka.replicationFactor > kafka.brokers) {
    at(
      'kafka.replicationFactor',
      `must be <= kafka.brokers (${kafka.brokers}): each replica needs its own broker (got ${kafka.replicationFactor})`,
    );
  }
  if (kafka.minInsyncReplicas >= kafka.replicationFactor) {
    at(
      'kafka.minInsyncReplicas',
      `must be below kafka.replicationFactor (${kafka.replicationFactor}), or one broker down stops every producer (got ${kafka.minInsyncReplicas})`,
    );
  }
  for (const [name, r] of [
    ['mongodb', mongodb.resources],
    ['redis', redis.resources],
    ['kafka', kafka.resources],
  ] as const) {
    problems.push(...checkRequestsWithinLimits(`${P}data.${name}.resources`, r));
  }
  return problems;
}

/**
 * HPA bounds and requests within limits. With `own` (a service's own settings), only the rules that involve
 * a value the service sets are checked; the rest were checked at serviceDefaults.
 */
function checkSizing(
  path: string,
  s: Omit<ServiceSpec, 'name'>,
  own: RawService | undefined,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const hpa = s.autoscaling;
  const a = own?.autoscaling;
  const ownsHpa =
    !own || a?.enabled !== undefined || a?.minReplicas !== undefined || a?.maxReplicas !== undefined;
  if (ownsHpa && hpa.enabled && hpa.minReplicas > hpa.maxReplicas) {
    problems.push({
      path: `${path}.autoscaling`,
      message: `minReplicas (${hpa.minReplicas}) must be <= maxReplicas (${hpa.maxReplicas})`,
    });
  }
  const r = own?.resources;
  problems.push(
    ...checkRequestsWithinLimits(`${path}.resources`, s.resources, {
      cpu: !own || r?.requests?.cpu !== undefined || r?.limits?.cpu !== undefined,
      memory: !own || r?.requests?.memory !== undefined || r?.limits?.memory !== undefined,
    }),
  );
  return problems;
}

function checkRequestsWithinLimits(
  path: string,
  r: ContainerResourcesSpec,
  check: { readonly cpu: boolean; readonly memory: boolean } = { cpu: true, memory: true },
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (check.cpu && parseCpu(r.requests.cpu) > parseCpu(r.limits.cpu)) {
    problems.push({
      path,
      message: `requests.cpu (${r.requests.cpu}) must not exceed limits.cpu (${r.limits.cpu})`,
    });
  }
  if (check.memory && parseBytes(r.requests.memory) > parseBytes(r.limits.memory)) {
    problems.push({
      path,
      message: `requests.memory (${r.requests.memory}) must not exceed limits.memory (${r.limits.memory})`,
    });
  }
  return problems;
}

function dedupe(problems: readonly ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
