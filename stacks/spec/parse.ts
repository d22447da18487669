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
  type RawService,
  type RawServiceDefaults,
  type Tier,
} from './schema';
import type { ClusterSpec, EnvironmentSpec, ServiceSpec } from './types';
import { toProblems } from './zod-issues';

/** The Pulumi config namespace of this project: keys are written `platform:<key>` in the stack files. */
export const CONFIG_NAMESPACE = 'platform';
const P = `${CONFIG_NAMESPACE}:`;

type Shape = typeof configSchema.shape;

/**
 * Validates a stack's raw `platform:` config (keys without the namespace, values already JSON-decoded)
 * and resolves it against the tier's defaults. Throws a ConfigError listing every problem at once: each
 * top-level key and each service is checked on its own, so one mistake does not hide the others.
 */
export function parseEnvironment(stack: string, raw: Readonly<Record<string, unknown>>): EnvironmentSpec {
  const problems: ConfigProblem[] = [];
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
  const kubeconfig = section('kubeconfig');
  const services = parseServices(raw.services, problems);

  // Without a valid tier there are no defaults to resolve against; report what we found so far.
  if (tier === undefined) {
    if (raw.tier === undefined) {
      problems.push({ path: `${P}tier`, message: `is required; allowed: ${TIERS.join(' | ')}` });
    }
    throw new ConfigError(stack, dedupe(problems));
  }
  const defaults = TIER_DEFAULTS[tier];
  const cluster = parseCluster(tier, raw.cluster, kubeconfig !== undefined, defaults, problems);

  const resolvedServices: ServiceSpec[] = [];
  for (const [name, service] of services) {
    const spec = resolveService(name, service, serviceDefaults, defaults);
    resolvedServices.push(spec);
  }

  const spec: EnvironmentSpec = {
    name: stack,
    tier,
    cluster: cluster ?? { tier: 'onprem', hasKubeconfig: false, storageClass: defaults.cluster.storageClass },
    namespaces: { ...defaults.namespaces, ...namespaces },
    services: resolvedServices,
    data: {
      mongodb: { ...defaults.data.mongodb, ...data?.mongodb },
      redis: { ...defaults.data.redis, ...data?.redis },
      kafka: { ...defaults.data.kafka, ...data?.kafka },
    },
    monitoring: { ...defaults.monitoring, ...monitoring },
    backup: { ...defaults.backup, ...backup },
    imagePolicy: { ...defaults.imagePolicy, ...imagePolicy },
  };

  problems.push(...checkInvariants(spec, new Set(services.keys())));
  if (problems.length > 0) throw new ConfigError(stack, dedupe(problems));
  return spec;
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

function parseCluster(
  tier: Tier,
  value: unknown,
  hasKubeconfig: boolean,
  defaults: TierDefaults,
  problems: ConfigProblem[],
): ClusterSpec | undefined {
  const path = `${P}cluster`;
  if (tier === 'onprem') {
    const result = onPremClusterSchema.safeParse(value ?? {});
    if (!result.success) {
      problems.push(...toProblems(path, value, result.error));
      return undefined;
    }
    if (!hasKubeconfig && result.data.context === undefined) {
      problems.push({
        path,
        message: `an on-prem cluster needs the secret ${P}kubeconfig or ${path}.context (got neither)`,
      });
    }
    return {
      tier,
      hasKubeconfig,
      storageClass: result.data.storageClass ?? defaults.cluster.storageClass,
      ...(result.data.context !== undefined && { context: result.data.context }),
    };
  }
  const result = eksClusterSchema.safeParse(value ?? {});
  if (!result.success) {
    problems.push(...toProblems(path, value, result.error));
    return undefined;
  }
  return {
    tier,
    hasKubeconfig,
    region: result.data.region ?? defaults.cluster.region ?? 'eu-west-1',
    kubernetesVersion: result.data.kubernetesVersion ?? defaults.cluster.kubernetesVersion ?? '1.33',
    storageClass: result.data.storageClass ?? defaults.cluster.storageClass,
    ...(result.data.context !== undefined && { context: result.data.context }),
  };
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
    delivery: { ...base.delivery, ...overrides?.delivery, ...service.delivery },
  };
}

/** Rules across fields, checked on the resolved spec so that defaults take part. */
function checkInvariants(spec: EnvironmentSpec, configured: ReadonlySet<ServiceName>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const servicePath = (name: string) =>
    configured.has(name as ServiceName) ? `${P}services.${name}` : `${P}serviceDefaults`;
  for (const s of spec.services) {
    const path = servicePath(s.name);
    const hpa = s.autoscaling;
    if (hpa.enabled && hpa.minReplicas > hpa.maxReplicas) {
      problems.push({
        path: `${path}.autoscaling`,
        message: `minReplicas (${hpa.minReplicas}) must be <= maxReplicas (${hpa.maxReplicas})`,
      });
    }
    const { requests, limits } = s.resources;
    if (parseCpu(requests.cpu) > parseCpu(limits.cpu)) {
      problems.push({
        path: `${path}.resources`,
        message: `requests.cpu (${requests.cpu}) must not exceed limits.cpu (${limits.cpu})`,
      });
    }
    if (parseBytes(requests.memory) > parseBytes(limits.memory)) {
      problems.push({
        path: `${path}.resources`,
        message: `requests.memory (${requests.memory}) must not exceed limits.memory (${limits.memory})`,
      });
    }
    if (spec.imagePolicy.requireDigest && !s.image.includes('@sha256:')) {
      problems.push({
        path: `${path}.image`,
        message: `must be pinned by digest ("name@sha256:<64 hex>") because ${P}imagePolicy.requireDigest is true (got ${show(s.image)})`,
      });
    }
  }

  const { mongodb, redis } = spec.data;
  if (mongodb.members < 3 || mongodb.members % 2 === 0) {
    problems.push({
      path: `${P}data.mongodb.members`,
      message: `must be an odd number >= 3 for a replica set that survives a member loss (got ${mongodb.members})`,
    });
  }
  if (redis.sentinels < 3 || redis.sentinels % 2 === 0) {
    problems.push({
      path: `${P}data.redis.sentinels`,
      message: `must be an odd number >= 3 (got ${redis.sentinels})`,
    });
  }

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

function dedupe(problems: readonly ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
