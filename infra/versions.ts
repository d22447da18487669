/**
 * Every Helm chart the platform installs, pinned. Upgrades are deliberate one-line changes here, reviewed
 * through the plan like any other change.
 */
export interface ChartPin {
  readonly chart: string;
  readonly version: string;
  /** Helm repository URL, or an OCI registry reference (then `chart` is the full oci:// path). */
  readonly repo?: string;
  /**
   * For operator charts: the operator version the chart installs (its Chart.yaml `appVersion`). Custom
   * resources that name an operator version (Percona's `crVersion`) must match it; a test checks that.
   */
  readonly appVersion?: string;
}

export const CHARTS = {
  envoyGateway: { chart: 'oci://docker.io/envoyproxy/gateway-helm', version: 'v1.5.1', appVersion: 'v1.5.1' },
  certManager: {
    chart: 'cert-manager',
    version: 'v1.18.2',
    repo: 'https://charts.jetstack.io',
    appVersion: 'v1.18.2',
  },
  metricsServer: {
    chart: 'metrics-server',
    version: '3.13.0',
    repo: 'https://kubernetes-sigs.github.io/metrics-server/',
  },
  awsLoadBalancerController: {
    chart: 'aws-load-balancer-controller',
    version: '1.13.4',
    repo: 'https://aws.github.io/eks-charts',
  },
  clusterAutoscaler: {
    chart: 'cluster-autoscaler',
    version: '9.50.1',
    repo: 'https://kubernetes.github.io/autoscaler',
  },
  externalSecrets: {
    chart: 'external-secrets',
    version: '0.19.2',
    repo: 'https://charts.external-secrets.io',
    appVersion: 'v0.19.2',
  },
  // Publishes the hostnames of the Gateway's HTTPRoutes into the environment's Route 53 zone (EKS only).
  // appVersion as the chart's Chart.yaml has it; the image it runs is tagged v0.18.0.
  externalDns: {
    chart: 'external-dns',
    version: '1.18.0',
    repo: 'https://kubernetes-sigs.github.io/external-dns/',
    appVersion: '0.18.0',
  },
  // Only the Prometheus Operator CRDs, so ServiceMonitors and PodMonitors can exist before the monitoring
  // stack; kube-prometheus-stack is then installed with its own CRDs disabled.
  prometheusOperatorCrds: {
    chart: 'prometheus-operator-crds',
    version: '23.0.0',
    repo: 'https://prometheus-community.github.io/helm-charts',
    appVersion: 'v0.85.0',
  },
  // The monitoring stack: the chart that ships the same Prometheus Operator as the CRD chart above (a test
  // keeps the two appVersions equal), installed with its own CRDs off.
  kubePrometheusStack: {
    chart: 'kube-prometheus-stack',
    version: '77.6.0',
    repo: 'https://prometheus-community.github.io/helm-charts',
    appVersion: 'v0.85.0',
  },
  // Logs and traces: Loki (simple scalable or single binary), Tempo (single binary) and the Alloy collector.
  loki: {
    chart: 'loki',
    version: '6.29.0',
    repo: 'https://grafana.github.io/helm-charts',
    appVersion: '3.4.2',
  },
  tempo: {
    chart: 'tempo',
    version: '1.24.1',
    repo: 'https://grafana.github.io/helm-charts',
    appVersion: '2.9.0',
  },
  alloy: {
    chart: 'alloy',
    version: '0.12.5',
    repo: 'https://grafana.github.io/helm-charts',
    appVersion: 'v1.7.4',
  },
  // Progressive delivery: the Argo Rollouts controller and its CRDs (Rollout, AnalysisTemplate, AnalysisRun,
  // Experiment). Chart 2.41.0 ships controller v1.9.0 (Chart.yaml appVersion; the image tag defaults to it).
  argoRollouts: {
    chart: 'argo-rollouts',
    version: '2.41.0',
    repo: 'https://argoproj.github.io/argo-helm',
    appVersion: 'v1.9.0',
  },
  strimzi: {
    chart: 'oci://quay.io/strimzi-helm/strimzi-kafka-operator',
    version: '0.48.0',
    appVersion: '0.48.0',
  },
  // Percona's chart versions run ahead of the operator: chart 1.21.2 is the one that ships operator 1.21.1
  // (chart 1.21.1 ships operator 1.21.0).
  perconaMongodbOperator: {
    chart: 'psmdb-operator',
    version: '1.21.2',
    repo: 'https://percona.github.io/percona-helm-charts/',
    appVersion: '1.21.1',
  },
} as const satisfies Record<string, ChartPin>;

/**
 * Data-store images and versions, pinned like the charts. The operators run what these name, so an upgrade of
 * MongoDB, Kafka or Redis is a reviewed one-line change too.
 */
export const DATA_IMAGES = {
  /** Percona Server for MongoDB 8.0, as the operator release above supports it. */
  mongodb: 'percona/percona-server-mongodb:8.0.12-4',
  mongodbBackup: 'percona/percona-backup-mongodb:2.11.0',
  mongodbExporter: 'percona/mongodb_exporter:0.47.1',
  /** A Kafka version Strimzi 0.48 supports (KRaft only; see STRIMZI_KAFKA_VERSIONS). */
  kafkaVersion: '4.1.0',
  /** Official Redis image (Debian); the failover drill runs the same generated config with Debian's redis. */
  redis: 'redis:8.2.2-bookworm',
  redisExporter: 'oliver006/redis_exporter:v1.77.0',
  /**
   * AWS's official CLI image (Amazon Linux, with sh and coreutils): the Redis snapshot job's upload step.
   * TODO(pin): pinned by tag like the images above; add its digest (`@sha256:…` from
   * `crane digest public.ecr.aws/aws-cli/aws-cli:2.27.49`), which the build machine cannot look up.
   */
  awsCli: 'public.ecr.aws/aws-cli/aws-cli:2.27.49',
} as const;

/**
 * The operator version the PerconaServerMongoDB object declares (`crVersion`): always the operator the pinned
 * chart installs, so the two cannot drift apart.
 */
export const PERCONA_CR_VERSION = CHARTS.perconaMongodbOperator.appVersion;

/** Kafka versions the pinned Strimzi operator (0.48) can run; `DATA_IMAGES.kafkaVersion` must be one. */
export const STRIMZI_KAFKA_VERSIONS = ['4.0.0', '4.1.0'] as const;

/** CPU architectures the clusters' nodes run (the plugin binary is per architecture). */
export type NodeArch = 'amd64' | 'arm64';

/** A traffic-router plugin of Argo Rollouts, pinned like the charts. */
export interface RolloutsPluginPin {
  /** The name Rollouts refer to under `trafficRouting.plugins` (the plugin requires exactly this name). */
  readonly name: string;
  readonly version: string;
  /** The release binary per architecture (the controller downloads it at start in `download` mode). */
  readonly releaseUrl: Readonly<Record<NodeArch, string>>;
  /**
   * sha256 of each release binary, which the controller verifies after downloading. `undefined` means not
   * pinned yet: the controller then loads the binary unverified.
   */
  readonly sha256: Readonly<Record<NodeArch, string | undefined>>;
  /** The image that carries the same binary (air-gapped `image` mode copies it out in an init container). */
  readonly image: string;
  /** Where the binary lies inside `image`. */
  readonly imageBinaryPath: string;
}

const GATEWAY_API_PLUGIN_VERSION = 'v0.16.0';
const GATEWAY_API_PLUGIN_RELEASE = `https://github.com/argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi/releases/download/${GATEWAY_API_PLUGIN_VERSION}`;

/**
 * The Gateway API traffic-router plugin: moves the HTTPRoute backend weights of canary Rollouts. Typed as the
 * interface (not `as const`) so the checksum slots stay `string | undefined`.
 */
export const GATEWAY_API_PLUGIN: RolloutsPluginPin = {
  name: 'argoproj-labs/gatewayAPI',
  version: GATEWAY_API_PLUGIN_VERSION,
  releaseUrl: {
    amd64: `${GATEWAY_API_PLUGIN_RELEASE}/gatewayapi-plugin-linux-amd64`,
    arm64: `${GATEWAY_API_PLUGIN_RELEASE}/gatewayapi-plugin-linux-arm64`,
  },
  // TODO(pin): copy both checksums from the v0.16.0 GitHub release page (its assets list the sha256 of each
  // binary). This machine cannot reach GitHub, and a checksum we did not read from the release is worse than
  // none. Until then the controller loads the downloaded binary unverified, and
  // infra/delivery warns about it on every preview.
  sha256: { amd64: undefined, arm64: undefined },
  image: `ghcr.io/argoproj-labs/rollouts-plugin-trafficrouter-gatewayapi:${GATEWAY_API_PLUGIN_VERSION}`,
  imageBinaryPath: '/bin/rollouts-plugin-trafficrouter-gatewayapi',
};
