/**
 * Every Helm chart the platform installs, pinned. Upgrades are deliberate one-line changes here, reviewed
 * through the plan like any other change.
 */
export interface ChartPin {
  readonly chart: string;
  readonly version: string;
  /** Helm repository URL, or an OCI registry reference (then `chart` is the full oci:// path). */
  readonly repo?: string;
}

export const CHARTS = {
  envoyGateway: { chart: 'oci://docker.io/envoyproxy/gateway-helm', version: 'v1.5.1' },
  certManager: { chart: 'cert-manager', version: 'v1.18.2', repo: 'https://charts.jetstack.io' },
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
  },
} as const satisfies Record<string, ChartPin>;
