import * as pulumi from '@pulumi/pulumi';
import {
  CertificateIssuersChart,
  GatewayChart,
  httpsListenerNames,
  type GatewayClientTraffic,
  PlatformAccessChart,
  PolicySettingsChart,
  synthesize,
  type PolicyLevels,
  type EndpointAccessSettings,
  type IssuerProps,
  type NamespaceBaselineProps,
} from '../../charts';
import type { ClusterAccess, GatewayRef } from '../cluster';
import { applyObjects, pinnedRelease } from '../kubernetes';
import { ARGO_ROLLOUTS_METRICS_PORT, ARGO_ROLLOUTS_POD_LABELS } from '../delivery';
import { CHARTS } from '../versions';
import { Namespaces } from './namespaces';

export interface ClusterBaselineArgs {
  readonly access: ClusterAccess;
  readonly namespaces: {
    readonly platform: string;
    readonly data: string;
    readonly apps: string;
    readonly monitoring: string;
  };
  /** Quota for the apps namespace, sized by the caller so every HPA can reach its maximum. */
  readonly appsQuota: NamespaceBaselineProps['quota'];
  /** Hostnames the gateway serves over HTTPS. */
  readonly hostnames: readonly string[];
  /** Client-side edge settings of the Gateway (ClientTrafficPolicy). */
  readonly clientTraffic: GatewayClientTraffic;
  /** Services the gateway routes to (the proxies may reach only these). */
  readonly publicServices: readonly string[];
  readonly issuer: IssuerProps;
  /** The Argo Rollouts controller's network access: blue-green services it smoke-checks. */
  readonly rolloutsController: { readonly webCheckServices: readonly string[] };
  /** Enforcement levels of the platform's policy rules, rendered as the `platform-policy` ConfigMap. */
  readonly policy: {
    readonly environment: string;
    readonly levels: PolicyLevels;
    /** EKS: the public endpoint's allowed networks, for the pack's endpoint check. */
    readonly endpointAccess?: EndpointAccessSettings;
  };
  /** Annotations for cert-manager's service account (IRSA role for Route 53 on EKS). */
  readonly certManagerServiceAccountAnnotations?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** The issuer every certificate uses, on every cluster. */
export const CLUSTER_ISSUER = 'platform';
export const GATEWAY_NAME = 'platform';

/**
 * What every cluster gets, on prem and on EKS alike: the namespaces (Pod Security, default-deny, DNS
 * egress; quota and limits for apps), Envoy Gateway with a GatewayClass and a Gateway, cert-manager with
 * the platform ClusterIssuer, the Prometheus Operator CRDs, and metrics-server where the cluster lacks it. Releases install the CRDs,
 * and every object of those kinds depends on its release. The `platform-policy` ConfigMap carries the
 * environment's policy levels.
 */
export class ClusterBaseline extends pulumi.ComponentResource {
  readonly gateway: GatewayRef;
  readonly ready: pulumi.Resource[];

  constructor(name: string, args: ClusterBaselineArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:baseline:ClusterBaseline', name, {}, opts);
    const { access } = args;
    const ns = args.namespaces;
    const provider = access.provider;
    const after = (...deps: pulumi.Resource[]) => ({
      parent: this,
      provider,
      dependsOn: [...access.ready, ...deps],
    });

    const namespaces = new Namespaces(
      `${name}-namespaces`,
      {
        provider,
        namespaces: [
          // Operators and the gateway need more than `restricted` allows; workloads get the strictest level.
          { name: ns.platform, podSecurity: 'privileged' },
          { name: ns.data, podSecurity: 'baseline' },
          {
            name: ns.apps,
            podSecurity: 'restricted',
            ...(args.appsQuota && { quota: args.appsQuota }),
            limitRange: {
              defaultRequest: { cpu: '100m', memory: '128Mi' },
              default: { cpu: '500m', memory: '512Mi' },
              max: { cpu: '4', memory: '8Gi' },
            },
          },
          { name: ns.monitoring, podSecurity: 'privileged' },
        ],
      },
      { parent: this, dependsOn: [...access.ready] },
    );

    const access_ = applyObjects(
      `${name}-platform-access`,
      synthesize(
        (app) =>
          new PlatformAccessChart(app, 'platform-access', {
            namespace: ns.platform,
            appsNamespace: ns.apps,
            publicServices: args.publicServices,
            progressiveDelivery: {
              controllerPodLabels: ARGO_ROLLOUTS_POD_LABELS,
              metricsPort: ARGO_ROLLOUTS_METRICS_PORT,
              monitoringNamespace: ns.monitoring,
              webCheckServices: args.rolloutsController.webCheckServices,
            },
            // ACME DNS-01: cert-manager's self-check asks the zone's nameservers directly.
            dns01SelfCheck: args.issuer.kind === 'acme',
          }),
      ),
      after(namespaces.ready),
    );

    // The levels the plan and the CrossGuard pack apply (tools/policy/enforcement.ts), read from the program.
    // Nothing waits for it: it is read from the program's objects, not from the cluster.
    applyObjects(
      `${name}-policy-settings`,
      synthesize(
        (app) =>
          new PolicySettingsChart(app, 'policy-settings', {
            namespace: ns.platform,
            environment: args.policy.environment,
            levels: args.policy.levels,
            ...(args.policy.endpointAccess && { endpointAccess: args.policy.endpointAccess }),
          }),
      ),
      after(namespaces.ready),
    );

    const certManager = pinnedRelease(
      `${name}-cert-manager`,
      CHARTS.certManager,
      {
        releaseName: 'cert-manager',
        namespace: ns.platform,
        values: {
          crds: { enabled: true },
          replicaCount: 2,
          podDisruptionBudget: { enabled: true, minAvailable: 1 },
          serviceAccount: { annotations: args.certManagerServiceAccountAnnotations ?? {} },
          prometheus: { enabled: true, servicemonitor: { enabled: false } },
        },
      },
      after(namespaces.ready),
    );

    const envoyGateway = pinnedRelease(
      `${name}-envoy-gateway`,
      CHARTS.envoyGateway,
      {
        releaseName: 'envoy-gateway',
        namespace: ns.platform,
        values: { deployment: { replicas: 2 }, podDisruptionBudget: { minAvailable: 1 } },
      },
      after(namespaces.ready),
    );

    // ServiceMonitor/PodMonitor/PrometheusRule CRDs first, so the data stores and services can declare their
    // scrape targets before (and independently of) the monitoring stack.
    const prometheusCrds = pinnedRelease(
      `${name}-prometheus-operator-crds`,
      CHARTS.prometheusOperatorCrds,
      { releaseName: 'prometheus-operator-crds', namespace: ns.monitoring, values: {} },
      after(namespaces.ready),
    );

    const releases: pulumi.Resource[] = [certManager, envoyGateway, prometheusCrds];
    if (access.installMetricsServer) {
      releases.push(
        pinnedRelease(
          `${name}-metrics-server`,
          CHARTS.metricsServer,
          { releaseName: 'metrics-server', namespace: 'kube-system', values: { replicas: 2 } },
          after(),
        ),
      );
    }

    const issuers = applyObjects(
      `${name}-issuers`,
      synthesize(
        (app) =>
          new CertificateIssuersChart(app, 'issuers', {
            certManagerNamespace: ns.platform,
            issuer: args.issuer,
            name: CLUSTER_ISSUER,
          }),
      ),
      after(certManager),
    );

    const gatewayObjects = synthesize(
      (app) =>
        new GatewayChart(app, 'gateway', {
          namespace: ns.platform,
          name: GATEWAY_NAME,
          serviceType: access.gatewayExposure.serviceType,
          serviceAnnotations: access.gatewayExposure.serviceAnnotations,
          ...(access.gatewayExposure.nodePorts && { nodePorts: access.gatewayExposure.nodePorts }),
          hostnames: args.hostnames,
          clientTraffic: args.clientTraffic,
          clusterIssuer: CLUSTER_ISSUER,
          routeNamespaces: [ns.apps],
          topologyKey: access.zones.count > 1 ? access.zones.topologyKey : 'kubernetes.io/hostname',
        }),
    );
    const gateway = applyObjects(
      `${name}-gateway`,
      gatewayObjects,
      after(envoyGateway, certManager, issuers),
    );

    this.gateway = {
      namespace: ns.platform,
      name: GATEWAY_NAME,
      httpsListeners: httpsListenerNames(args.hostnames),
      hostnames: args.hostnames,
    };
    this.ready = [namespaces.ready, access_, ...releases, issuers, gateway];
    this.registerOutputs({ gateway: this.gateway });
  }
}
