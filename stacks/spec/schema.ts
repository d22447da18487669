import { z } from 'zod';
import { parseImageRef } from './image-ref';

/**
 * The schema of what a `Pulumi.<env>.yaml` may hold under the `platform:` namespace. Everything is
 * optional here except what no default can supply (the tier, each service's image): tier defaults fill the
 * rest (see defaults.ts), and cross-field rules run on the merged result (see validate.ts).
 *
 * Objects are strict, so a misspelled key is an error that lists the allowed keys instead of being ignored.
 */

/** A strict object whose unknown-key error names the keys that are allowed. */
function strict<T extends z.ZodRawShape>(shape: T) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? `unknown key; allowed keys: ${allowed}` : undefined,
  });
}

const int = (min: number, max: number) => z.number().int().min(min).max(max);

export const TIERS = ['onprem', 'eks'] as const;
export type Tier = (typeof TIERS)[number];

/** Kubernetes CPU quantity: "250m", "0.5", "2". */
export const CPU_PATTERN = /^(\d+m|\d+(\.\d{1,3})?)$/;
/** Kubernetes memory/storage quantity in binary units: "256Mi", "20Gi". */
export const BYTES_PATTERN = /^\d+(Ki|Mi|Gi|Ti)$/;
// The patterns admit no sign, so negative quantities fail them; zero matches and is refused separately
// (a zero request or limit is never meant, and a zero-sized volume cannot be provisioned).
const cpu = z
  .string()
  .regex(CPU_PATTERN, { error: 'must be a CPU quantity such as "250m" or "1"' })
  .refine((q) => !CPU_PATTERN.test(q) || /[1-9]/.test(q), {
    error: 'must be greater than zero, such as "250m" or "1"',
  });
const bytes = z
  .string()
  .regex(BYTES_PATTERN, { error: 'must be a size with a binary unit such as "256Mi" or "20Gi"' })
  .refine((q) => !BYTES_PATTERN.test(q) || /[1-9]/.test(q), {
    error: 'must be greater than zero, such as "256Mi" or "20Gi"',
  });

/** A Gateway API duration ("15s", "1m30s", "500ms") that is not zero. */
const duration = z
  .string()
  .regex(/^([0-9]{1,5}(h|m|s|ms)){1,4}$/, { error: 'must be a duration such as "15s", "1m" or "500ms"' })
  .refine((d) => !/^([0-9]{1,5}(h|m|s|ms)){1,4}$/.test(d) || /[1-9]/.test(d), {
    error: 'must be greater than zero, such as "15s"',
  });

/** DNS-1123 label: what Kubernetes requires of namespace and object names. */
export const DNS_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const dnsLabel = z.string().regex(DNS_LABEL, {
  error: 'must be a DNS-1123 label (lowercase letters, digits and "-", at most 63 characters)',
});

/**
 * `registry/path/name:tag` or `registry/path/name@sha256:<64 hex>` (optionally both), checked part by part
 * (image-ref.ts) so the error names the wrong part; `latest` and unpinned references are refused. Which
 * registry and repository a service may use is checked against the cluster in parse.ts.
 */
const image = z.string().superRefine((ref, ctx) => {
  const parsed = parseImageRef(ref);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.problem });
});

export const DELIVERY_STRATEGIES = ['rolling', 'blueGreen', 'canary'] as const;

const resourcePair = strict({ cpu: cpu.optional(), memory: bytes.optional() });

export const resourcesSchema = strict({
  requests: resourcePair.optional(),
  limits: resourcePair.optional(),
});

export const autoscalingSchema = strict({
  enabled: z.boolean().optional(),
  minReplicas: int(1, 1000).optional(),
  maxReplicas: int(1, 1000).optional(),
  targetCPUUtilizationPercentage: int(1, 100).optional(),
  targetMemoryUtilizationPercentage: int(1, 100).optional(),
});

/** An Argo Rollouts duration ("30s", "5m", "1h"): a whole number of seconds, minutes or hours. */
const ARGO_DURATION = /^[1-9][0-9]{0,4}(s|m|h)$/;
const argoDuration = z
  .string()
  .regex(ARGO_DURATION, { error: 'must be a duration such as "30s", "5m" or "1h" (whole s, m or h)' });
/** Share in (0, 1), exclusive. */
const share = z.number().refine((v) => v > 0 && v < 1, { error: 'must be a number in (0, 1)' });

export const canarySchema = strict({
  /** Traffic weights (%) of the canary before full promotion, ascending, each in 1..99. */
  steps: z.array(int(1, 99)).min(1).max(10).optional(),
  /** Pause after each step: a duration, or "manual" to wait for `kubectl argo rollouts promote`. */
  pause: z
    .string()
    .regex(/^(manual|[1-9][0-9]{0,4}(s|m|h))$/, {
      error: 'must be "manual" or a duration such as "30s", "5m" or "1h" (whole s, m or h)',
    })
    .optional(),
});

export const blueGreenSchema = strict({
  /** Switch traffic to the preview by itself once pre-promotion analysis passes (false: manual approval). */
  autoPromotion: z.boolean().optional(),
  /** Seconds the old colour keeps running after a switch, for an instant abort/undo. */
  scaleDownDelaySeconds: int(0, 86_400).optional(),
});

export const analysisSchema = strict({
  interval: argoDuration.optional(),
  count: int(1, 100).optional(),
  failureLimit: int(0, 99).optional(),
  inconclusiveLimit: int(0, 99).optional(),
  minRequests: int(1, 1_000_000).optional(),
  maxErrorRatio: share.optional(),
  maxP99Seconds: z
    .number()
    .refine((v) => v > 0 && v <= 60, { error: 'must be a number of seconds in (0, 60]' })
    .optional(),
});

export const deliverySchema = strict({
  strategy: z.enum(DELIVERY_STRATEGIES).optional(),
  canary: canarySchema.optional(),
  blueGreen: blueGreenSchema.optional(),
  analysis: analysisSchema.optional(),
});

export const ROLLOUTS_PLUGIN_SOURCES = ['download', 'image'] as const;
export const CPU_ARCHITECTURES = ['amd64', 'arm64'] as const;

/** The Argo Rollouts controller and its Gateway API plugin (platform-wide, not per service). */
export const deliveryPlatformSchema = strict({
  controllerReplicas: int(1, 5).optional(),
  plugin: strict({
    /** download: from the plugin's GitHub release at start; image: copied from an image (air-gapped). */
    source: z.enum(ROLLOUTS_PLUGIN_SOURCES).optional(),
    /** For source "image": the plugin image mirrored into the cluster's registry, pinned by digest. */
    image: image.optional(),
    arch: z.enum(CPU_ARCHITECTURES).optional(),
  }).optional(),
});

/** Sizing that applies to every service unless the service overrides it. */
export const serviceDefaultsSchema = strict({
  replicas: int(1, 1000).optional(),
  autoscaling: autoscalingSchema.optional(),
  resources: resourcesSchema.optional(),
  delivery: deliverySchema.optional(),
});

export const serviceSchema = strict({
  image,
  replicas: int(1, 1000).optional(),
  autoscaling: autoscalingSchema.optional(),
  resources: resourcesSchema.optional(),
  delivery: deliverySchema.optional(),
});

/** Namespaces Kubernetes owns: the platform must never deploy into (or default-deny) them. */
export const RESERVED_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'] as const;
const namespaceName = dnsLabel.refine(
  (name) =>
    !DNS_LABEL.test(name) ||
    (!(RESERVED_NAMESPACES as readonly string[]).includes(name) && !name.startsWith('kube-')),
  {
    error: `must not be a namespace Kubernetes owns (${RESERVED_NAMESPACES.join(', ')}, or any "kube-" name)`,
  },
);

export const namespacesSchema = strict({
  platform: namespaceName.optional(),
  data: namespaceName.optional(),
  apps: namespaceName.optional(),
  monitoring: namespaceName.optional(),
});

const cidrText = z
  .string()
  .regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, { error: 'must be an IPv4 CIDR such as "10.20.0.0/16"' });

export const loadBalancerSchema = z.discriminatedUnion(
  'mode',
  [
    strict({
      mode: z.literal('metallb'),
      /** MetalLB address pool the gateway's Service takes its address from. */
      addressPool: dnsLabel,
    }),
    strict({
      mode: z.literal('nodePort'),
      httpPort: int(30000, 32767).optional(),
      httpsPort: int(30000, 32767).optional(),
    }),
  ],
  { error: 'must be {mode: metallb, addressPool: <pool>} or {mode: nodePort, httpPort?, httpsPort?}' },
);

export const onPremClusterSchema = strict({
  /** kubeconfig context to use; the kubeconfig itself is the secret key `platform:kubeconfig`. */
  context: z.string().min(1).optional(),
  storageClass: dnsLabel.optional(),
  loadBalancer: loadBalancerSchema.optional(),
  /** Registry prefix images are pulled from, e.g. "registry.onprem.internal/platform". */
  registry: z
    .string()
    .regex(/^[a-z0-9]+([._-][a-z0-9]+)*(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/, {
      error: 'must be a registry host with an optional path, such as "registry.internal/platform"',
    })
    .optional(),
  /** Node label naming failure domains, and how many the cluster has. */
  zones: strict({ topologyKey: z.string().min(1).optional(), count: int(1, 10).optional() }).optional(),
  /** Whether the cluster already runs metrics-server; when not, the platform installs it. */
  metricsServer: z.enum(['install', 'present']).optional(),
});

/** AWS region such as eu-west-1 or us-gov-west-1. */
export const AWS_REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

const nodeGroupSchema = strict({
  instanceTypes: z
    .array(
      z
        .string()
        .regex(/^[a-z0-9-]+\.[a-z0-9]+$/, { error: 'must be an EC2 instance type such as "m6i.large"' }),
    )
    .min(1)
    .optional(),
  minSize: int(0, 500).optional(),
  desiredSize: int(0, 500).optional(),
  maxSize: int(1, 500).optional(),
  diskSizeGiB: int(20, 2000).optional(),
});

export const eksClusterSchema = strict({
  region: z.string().regex(AWS_REGION, { error: 'must be an AWS region such as "eu-west-1"' }).optional(),
  kubernetesVersion: z
    .string()
    .regex(/^1\.\d{2}$/, { error: 'must be a Kubernetes minor version such as "1.33"' })
    .optional(),
  /** Zones to spread over; @default the region's a, b and c zones. */
  availabilityZones: z
    .array(
      z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, {
        error: 'must be an availability zone such as "eu-west-1a"',
      }),
    )
    .optional(),
  vpcCidr: cidrText.optional(),
  publicSubnetCidrs: z.array(cidrText).optional(),
  privateSubnetCidrs: z.array(cidrText).optional(),
  /** The Kubernetes service CIDR; must not overlap the VPC. */
  serviceCidr: cidrText.optional(),
  natGateways: z.enum(['one', 'perZone']).optional(),
  /** CIDRs allowed to reach the public API endpoint; empty keeps the endpoint private only. */
  publicAccessCidrs: z.array(cidrText).optional(),
  /** Set to true to allow 0.0.0.0/0 in publicAccessCidrs (refused otherwise). */
  allowPublicAccessFromAnywhere: z.boolean().optional(),
  /** IAM principals (role or user ARNs) that get cluster-admin through access entries. */
  admins: z
    .array(
      z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@/-]+$/, {
        error: 'must be an IAM role or user ARN',
      }),
    )
    .optional(),
  amiType: z.enum(['AL2023', 'Bottlerocket']).optional(),
  nodeGroups: strict({
    system: nodeGroupSchema.optional(),
    workloads: nodeGroupSchema.optional(),
    data: nodeGroupSchema.optional(),
  }).optional(),
  /** Secrets Manager path External Secrets may read; @default "platform/<stack>/". */
  secretsManagerPrefix: z
    .string()
    .regex(/^[\w/+=.@-]+\/$/, { error: 'must be a path ending in "/"' })
    .optional(),
});

export const gatewaySchema = strict({
  /** Hostnames the gateway's HTTPS listener serves; @default ["*.<stack>.platform.internal"]. */
  hostnames: z
    .array(
      z.string().regex(/^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/, {
        error: 'must be a DNS name, optionally starting with "*."',
      }),
    )
    .min(1)
    .optional(),
  /** Longest a request may take end to end at the edge, e.g. "15s". */
  requestTimeout: duration.optional(),
  /** Retries of requests that never reached a backend (connect failure, refused stream); 0 turns them off. */
  retries: int(0, 5).optional(),
  /** Per-backend circuit breaking: connections, queued and parallel requests above these are refused (503). */
  circuitBreaker: strict({
    maxConnections: int(1, 1_000_000).optional(),
    maxPendingRequests: int(1, 1_000_000).optional(),
    maxParallelRequests: int(1, 1_000_000).optional(),
  }).optional(),
  /** Proxies in front of the gateway that add X-Forwarded-For (0: the client is the connection's source). */
  trustedProxyHops: int(0, 5).optional(),
  /** Concurrent client connections per Envoy proxy. */
  connectionLimit: int(1, 1_000_000).optional(),
  /** How much of a connection's data Envoy buffers, e.g. "1Mi". */
  connectionBufferLimit: bytes.optional(),
  /** Edge rate limit per client IP and proxy replica (local rate limiting). */
  rateLimit: strict({
    requestsPerMinute: int(1, 1_000_000).optional(),
    /** Stricter (or looser) limits for paths under a public prefix, e.g. {"/api/auth/login": 10}. */
    paths: z.record(z.string(), int(1, 1_000_000)).optional(),
  }).optional(),
});

export const certificatesSchema = strict({
  /** internal-ca: a private CA made by cert-manager; acme: Let's Encrypt (or another ACME CA) with DNS-01 on Route 53. */
  issuer: z.enum(['internal-ca', 'acme']).optional(),
  acme: strict({
    email: z.email({ error: 'must be an email address' }),
    server: z.url({ error: 'must be an https URL' }).optional(),
    hostedZoneId: z
      .string()
      .regex(/^Z[A-Z0-9]{5,32}$/, { error: 'must be a Route 53 hosted zone id such as "Z0123456789ABC"' }),
  }).optional(),
});

/** EKS: the Route 53 zone ExternalDNS publishes the gateway's hostnames into (README, "North-south routes"). */
export const dnsSchema = strict({
  hostedZoneId: z
    .string()
    .regex(/^Z[A-Z0-9]{5,32}$/, { error: 'must be a Route 53 hosted zone id such as "Z0123456789ABC"' }),
  /** Every gateway hostname must lie inside it; ExternalDNS manages records under it only. */
  domain: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/, {
    error: 'must be a DNS name such as "uat.example.com" (no "*.", no trailing dot)',
  }),
  /** Whether the zone is a private hosted zone (answers only in associated VPCs; DR associates the standby's). @default false */
  private: z.boolean().optional(),
});

const dataResources = strict({ requests: resourcePair.optional(), limits: resourcePair.optional() });

export const KAFKA_NODE_POOLS = ['combined', 'dedicated'] as const;

export const dataSchema = strict({
  mongodb: strict({
    /** Replica set members: odd and >= 3. */
    members: int(1, 7).optional(),
    /** Volume per member. */
    storage: bytes.optional(),
    resources: dataResources.optional(),
  }).optional(),
  redis: strict({
    /** Redis servers: one master, the rest replicas. */
    dataNodes: int(1, 9).optional(),
    /** Sentinel processes: odd and >= 3. */
    sentinels: int(1, 9).optional(),
    /** Sentinels that must agree a master is down; @default a majority of the sentinels. */
    quorum: int(1, 9).optional(),
    storage: bytes.optional(),
    resources: dataResources.optional(),
  }).optional(),
  kafka: strict({
    /** combined: every node is controller and broker; dedicated: separate controller and broker pools. */
    nodePools: z.enum(KAFKA_NODE_POOLS).optional(),
    brokers: int(1, 15).optional(),
    /** KRaft controllers in the dedicated pool (odd, >= 3); combined pools use the brokers. */
    controllers: int(1, 9).optional(),
    /** Volume per broker. */
    storage: bytes.optional(),
    /** Volume per dedicated controller (metadata only). */
    controllerStorage: bytes.optional(),
    /** Replicas of every event topic, and the cluster's default.replication.factor. */
    replicationFactor: int(1, 15).optional(),
    /** Replicas that must acknowledge a write with acks=all. */
    minInsyncReplicas: int(1, 15).optional(),
    /** Partitions of every event topic. */
    partitions: int(1, 1000).optional(),
    resources: dataResources.optional(),
  }).optional(),
});

export const MONITORING_LEVELS = ['basic', 'alerting', 'full'] as const;
export const CHAT_RECEIVER_TYPES = ['slack', 'webhook'] as const;
export const PAGING_RECEIVER_TYPES = ['pagerduty', 'webhook'] as const;

/** A Prometheus/Alertmanager duration such as "30s", "5m" or "4h" (not zero). */
const promDuration = z
  .string()
  .regex(/^[1-9][0-9]{0,4}(ms|s|m|h|d)$/, { error: 'must be a duration such as "30s", "5m" or "4h"' });
/** A key of a Kubernetes Secret. */
const secretKey = z
  .string()
  .regex(/^[-._a-zA-Z0-9]{1,253}$/, { error: 'must be a Secret key (letters, digits, "-", "_" and ".")' });
const s3Bucket = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
  error: 'must be an S3 bucket name (3-63 lowercase letters, digits, "." and "-")',
});
/** A fraction strictly between 0 and 1, such as 0.995. */
const objective = z.number().gt(0).lt(1);
/**
 * A webhook receiver's endpoint when it is not secret: the Secret then holds a bearer token for it. Without
 * it the Secret holds the whole URL (needs Alertmanager >= 0.26).
 */
const webhookUrl = z.url({
  protocol: /^https$/,
  error: 'must be an https URL such as "https://hooks.example.com/alerts"',
});
export const sloSchema = strict({
  /** Share of requests (5xx are failures) that must succeed over 30 days, e.g. 0.995. */
  availability: objective.optional(),
  latency: strict({
    /** Share of requests that must be faster than thresholdSeconds, e.g. 0.99. */
    objective: objective.optional(),
    /** One of the services' histogram bucket bounds (0.005 ... 10). */
    thresholdSeconds: z.number().positive().optional(),
  }).optional(),
});

export const monitoringSchema = strict({
  /** basic: Prometheus, Grafana, logs and traces; alerting: + Alertmanager; full: sized for production. */
  level: z.enum(MONITORING_LEVELS).optional(),
  /** 24/7 paging receivers for critical alerts (needs receivers.paging). */
  paging: z.boolean().optional(),
  /** How long Prometheus keeps samples: "15d", "12w". */
  retention: z
    .string()
    .regex(/^[1-9]\d*[dhw]$/, { error: 'must be a duration such as "15d" or "12w"' })
    .optional(),
  /** Prometheus volume per replica; must hold `retention` of samples. */
  storage: bytes.optional(),
  scrapeInterval: promDuration.optional(),
  evaluationInterval: promDuration.optional(),
  prometheusReplicas: int(1, 5).optional(),
  alertmanagerReplicas: int(1, 5).optional(),
  /** Where Alertmanager sends alerts; each names a Secret (in the monitoring namespace) and its key. */
  receivers: strict({
    chat: strict({
      type: z.enum(CHAT_RECEIVER_TYPES),
      secret: dnsLabel,
      /** @default "url" */
      key: secretKey.optional(),
      url: webhookUrl.optional(),
      /** Slack channel, e.g. "#platform-alerts". */
      channel: z
        .string()
        .regex(/^[#@]?[a-z0-9][a-z0-9._-]{0,79}$/, { error: 'must be a channel such as "#platform-alerts"' })
        .optional(),
    }).optional(),
    paging: strict({
      type: z.enum(PAGING_RECEIVER_TYPES),
      secret: dnsLabel,
      /** @default "routing-key" for pagerduty, "url" for webhook */
      key: secretKey.optional(),
      url: webhookUrl.optional(),
    }).optional(),
    /** Dead man's switch: the always-firing Watchdog alert goes to a heartbeat service (a webhook). */
    watchdog: strict({ secret: dnsLabel, key: secretKey.optional(), url: webhookUrl.optional() }).optional(),
  }).optional(),
  grouping: strict({
    groupWait: promDuration.optional(),
    groupInterval: promDuration.optional(),
    repeatInterval: promDuration.optional(),
  }).optional(),
  /** Loki: how long logs are kept, its volume, and (EKS) the S3 bucket of its chunks and indexes. */
  logs: strict({
    retention: z
      .string()
      .regex(/^[1-9]\d*[dhw]$/, { error: 'must be a duration such as "7d" or "4w"' })
      .optional(),
    storage: bytes.optional(),
    bucket: s3Bucket.optional(),
  }).optional(),
  /** Tempo: how long traces are kept, its volume, (EKS) its S3 bucket, and the services' sampling ratio. */
  traces: strict({
    // Tempo reads Go durations, which have no days.
    retention: z
      .string()
      .regex(/^[1-9]\d*h$/, { error: 'must be a duration in hours such as "72h" or "336h"' })
      .optional(),
    storage: bytes.optional(),
    bucket: s3Bucket.optional(),
    /** Share of new traces the services record (parent-based: a sampled caller's trace is always continued). */
    sampleRatio: z.number().min(0).max(1).optional(),
  }).optional(),
  /** Where the README is published: alerts link to `<runbookBaseUrl>#alert-<name>` (its alert table). */
  runbookBaseUrl: z
    .url({
      protocol: /^https?$/,
      error: 'must be an http(s) URL of the README, such as "https://git.example.com/platform/README.md"',
    })
    .optional(),
  /** Alerts this environment does not evaluate, by name (README, "Alerts"). */
  disabledAlerts: z.array(z.string()).max(100).optional(),
  /** Service level objectives: the defaults for every service, and per-service overrides. */
  slo: strict({
    ...sloSchema.shape,
    services: z.record(z.string(), sloSchema).optional(),
  }).optional(),
});

export const BACKUP_SCHEDULES = ['weekly', 'daily', 'continuous'] as const;
export const backupSchema = strict({
  schedule: z.enum(BACKUP_SCHEDULES).optional(),
  pointInTimeRecovery: z.boolean().optional(),
  retentionDays: int(1, 3650).optional(),
  /** Recovery point objective in minutes: a schedule whose worst-case data loss exceeds it is a warning. */
  rpoMinutes: int(1, 100_000).optional(),
  /** Where MongoDB backups go: an S3 bucket (created by the stack on EKS) or an S3-compatible service on prem. */
  storage: strict({
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
      error: 'must be an S3 bucket name (3-63 lowercase letters, digits, "." and "-")',
    }),
    /** @default the cluster's region on EKS, "us-east-1" on prem */
    region: z.string().regex(AWS_REGION, { error: 'must be a region such as "eu-west-1"' }).optional(),
    /** S3-compatible endpoint (on prem), e.g. "https://minio.backup.internal:9000". */
    endpointUrl: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as "https://minio.internal:9000"' })
      .optional(),
    /** Secret in the data namespace with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (on prem). */
    credentialsSecret: dnsLabel.optional(),
    /** Path-style addressing, which most S3-compatible services need. @default true with endpointUrl */
    forcePathStyle: z.boolean().optional(),
  }).optional(),
});

export const authSchema = strict({
  /**
   * Emails of the first administrators: the user service gives them the `admin` role at login (through the
   * Secret `user-admins`); they grant every other role through the API.
   */
  adminEmails: z
    .array(z.email({ error: 'must be an email address' }))
    .max(50)
    .optional(),
  /** Any text; changing it makes `pulumi up` generate new service-to-service keys (see README, rotation). */
  serviceKeyRotation: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, {
      error: 'must be 1-64 letters, digits, ".", "_" or "-", e.g. "2026-12"',
    })
    .optional(),
});

/** Environments that run only what was tested: images by digest (config rule and the image-source policy). */
export const DIGEST_ONLY_ENVIRONMENTS: readonly string[] = ['uat', 'prod'];

export const imagePolicySchema = strict({
  /** Require `@sha256:` digests (promoted images) instead of tags. */
  requireDigest: z.boolean().optional(),
});

/**
 * `platform:policy`: enforcement levels of the platform's policy rules. Rule names and levels are checked by
 * hand in policy-levels.ts, so an unknown rule and a bad level in one map are both reported.
 */
export const policySchema = strict({
  levels: z.record(z.string(), z.unknown()).optional(),
});

export const DR_MONGODB_MODES = ['backupReplication'] as const;
export const DR_NODE_GROUPS = ['system', 'workloads', 'data'] as const;
export const DR_SERVE = ['primary', 'standby'] as const;
export const DR_ALARM_PROTOCOLS = ['email', 'https'] as const;

/** A standby node group: warm at desiredSize, scaled to failoverSize when the standby takes over. */
const standbyNodeGroupSchema = strict({
  minSize: int(0, 500).optional(),
  desiredSize: int(0, 500).optional(),
  /** Nodes after failover; @default the primary group's desiredSize (the standby carries prod's load). */
  failoverSize: int(1, 500).optional(),
});

const dnsName = z.string().regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
  error: 'must be a lowercase DNS name such as "k8s-gateway-0123456789.elb.eu-west-1.amazonaws.com"',
});

const awsRegion = z.string().regex(AWS_REGION, { error: 'must be an AWS region such as "eu-central-1"' });

/**
 * `platform:dr`: a warm standby region for an EKS stack (README, "Disaster recovery"). What replicates how,
 * and the figures the RPO/RTO calculation (dr-objectives.ts) needs; the plan fails when a target is missed.
 */
export const drSchema = strict({
  /** @default false; EKS stacks only. */
  enabled: z.boolean().optional(),
  /** Region of the standby cluster; must differ from platform:cluster.region. */
  standbyRegion: awsRegion,
  /** Day of the last failover drill ("2026-01-15"); the posture warns after 92 days (quarterly drills). */
  lastDrill: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date such as "2026-01-15"' })
    .refine((d) => !/^\d{4}-\d{2}-\d{2}$/.test(d) || isCalendarDate(d), {
      error: 'must be a real calendar date',
    })
    .optional(),
  standby: strict({
    /**
     * The standby VPC: a /16 to /20 block that overlaps neither the primary's VPC nor its service CIDR (the two
     * VPCs are peered for MirrorMaker2). Required when DR is enabled.
     */
    vpcCidr: cidrText.optional(),
    /** @default the standby region's zones a, b and c */
    availabilityZones: z.array(z.string().min(1)).optional(),
    /** @default system 2/2, workloads 1/1, data 3/3 (min/desired), each failing over to the primary's desiredSize. */
    nodeGroups: strict({
      system: standbyNodeGroupSchema.optional(),
      workloads: standbyNodeGroupSchema.optional(),
      data: standbyNodeGroupSchema.optional(),
    }).optional(),
  }).optional(),
  targets: strict({
    /** Most minutes of writes a failover may lose, per store; @default 15 */
    rpoMinutes: int(1, 10_080).optional(),
    /** Longest the product may be down until the standby serves; @default 60 */
    rtoMinutes: int(1, 10_080).optional(),
  }).optional(),
  failover: strict({
    /** From the region failing to the page (alert `for` plus paging); @default 5 */
    detectMinutes: int(0, 240).optional(),
    /** Failover is a reviewed change: declaring the disaster and approving it; @default 15 */
    approvalMinutes: int(0, 480).optional(),
    /** TTL of the Route 53 failover records; @default 60 */
    dnsTtlSeconds: int(1, 86_400).optional(),
    /**
     * Which region the failover records serve. Changing it to "standby" is the reviewed failover change (and
     * back to "primary" the failback); a failed health check alone never moves traffic. @default "primary"
     */
    serve: z.enum(DR_SERVE).optional(),
    /**
     * Public DNS names of each region's gateway NLB, which Route 53's health checks probe (the load balancer
     * controller names the NLB, so Pulumi cannot know it). Required when DR is enabled.
     */
    gatewayHosts: strict({ primary: dnsName, standby: dnsName }).optional(),
  }).optional(),
  alarms: strict({
    /** Who the DR alarms (replication latency, regional health checks) notify through SNS; @default [] (a warning). */
    subscriptions: z
      .array(strict({ protocol: z.enum(DR_ALARM_PROTOCOLS), endpoint: z.string().min(1) }))
      .optional(),
  }).optional(),
  mongodb: strict({
    /** backupReplication: PBM base backups and PITR oplog chunks replicated by S3 cross-region replication. */
    mode: z.enum(DR_MONGODB_MODES).optional(),
    /** S3 Replication Time Control: 99.99 % of objects within 15 minutes, under an SLA; @default true */
    replicationTimeControl: z.boolean().optional(),
    /** Longest a backup object may take to reach the standby; @default 15 with RTC (its SLA), else required. */
    replicationLagBudgetMinutes: int(1, 1440).optional(),
    /** Bucket versioning, which S3 replication requires on both buckets; must be true. @default true */
    versioning: z.boolean().optional(),
    /** Restore speed of a base backup into the standby (measured in a drill); @default 100 */
    restoreThroughputMiBps: int(1, 10_000).optional(),
    /** Data to restore; @default the size of platform:data.mongodb.storage (a full volume, the worst case). */
    dataSizeGiB: int(1, 100_000).optional(),
    /** Oplog written per day, replayed on top of the base backup for a point in time; @default 5 */
    oplogGiBPerDay: z.number().min(0).max(10_000).optional(),
    /** Replay speed of oplog entries (one by one, far slower than a base restore); @default 20 */
    oplogReplayMiBps: int(1, 10_000).optional(),
  }).optional(),
  kafka: strict({
    mirrorMaker: strict({
      /** Topic patterns (regular expressions, whole name) to mirror; @default every business topic. */
      topics: z.array(z.string().min(1)).min(1).optional(),
      /** How often translated offsets are written into the standby's consumer groups; @default 60 */
      syncGroupOffsetsIntervalSeconds: int(1, 3600).optional(),
      /** How often the checkpoint connector emits consumer offsets; @default 60 */
      emitCheckpointsIntervalSeconds: int(1, 3600).optional(),
      /** Longest a record may take to reach the standby (alerted on); @default 60 */
      replicationLagBudgetSeconds: int(1, 86_400).optional(),
    }).optional(),
  }).optional(),
  redis: strict({
    snapshot: strict({
      /** Cron schedule (UTC) of the RDB snapshot to S3; day-of-month and month must be "*". @default "0 3 * * *" */
      schedule: z.string().min(1).optional(),
      /** The cache may start cold in the standby: its RPO is then informational. @default true */
      coldStartAllowed: z.boolean().optional(),
    }).optional(),
  }).optional(),
  images: strict({
    /** ECR replication of the platform's repositories to the standby region; must be true. @default true */
    ecrReplication: z.boolean().optional(),
  }).optional(),
  secrets: strict({
    /** Secrets Manager replica regions of the stack's secrets; must include standbyRegion. @default [standbyRegion] */
    replicaRegions: z.array(awsRegion).min(1).optional(),
  }).optional(),
});

/** Whether "YYYY-MM-DD" names a day that exists (no 2026-02-30). */
function isCalendarDate(text: string): boolean {
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** Every key that may appear under `platform:` in a stack file, with its schema. */
export const configSchema = strict({
  tier: z.enum(TIERS),
  // These three are checked by dedicated code in parse.ts: the kubeconfig is a secret, the cluster's schema
  // depends on the tier, and each service is checked on its own so one bad entry hides no other.
  kubeconfig: z.unknown().optional(),
  cluster: z.unknown().optional(),
  namespaces: namespacesSchema.optional(),
  serviceDefaults: serviceDefaultsSchema.optional(),
  services: z.unknown().optional(),
  data: dataSchema.optional(),
  monitoring: monitoringSchema.optional(),
  backup: backupSchema.optional(),
  imagePolicy: imagePolicySchema.optional(),
  auth: authSchema.optional(),
  gateway: gatewaySchema.optional(),
  certificates: certificatesSchema.optional(),
  dns: dnsSchema.optional(),
  delivery: deliveryPlatformSchema.optional(),
  policy: policySchema.optional(),
  dr: drSchema.optional(),
});

export type RawConfig = z.infer<typeof configSchema>;
export type RawServiceDefaults = z.infer<typeof serviceDefaultsSchema>;
export type RawService = z.infer<typeof serviceSchema>;
