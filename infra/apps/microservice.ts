import type * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { ServiceSlo } from '../../charts/slo';
import type { AnalysisThresholds } from '../../charts/rollout-analysis/analysis-thresholds';
import { sloAnalysisTemplate } from '../../charts/rollout-analysis/slo-analysis-template';
import {
  previewReadyUrl,
  smokeAnalysisTemplate,
} from '../../charts/rollout-analysis/smoke-analysis-template';
import { sloTemplateName, smokeTemplateName } from '../../charts/rollout-analysis/template-names';
import {
  type CanaryStep,
  type KubernetesObject,
  MicroserviceChart,
  type MicroserviceDelivery,
  PublicRouteChart,
  publicRouteNames,
  type RouteTraffic,
  SERVICE_HTTP_PORT,
  synthesize,
  type NetworkPeer,
  type SecretKeyRef,
  type TopologySpread,
} from '../../charts';
import type { GatewayRef } from '../cluster';
import { applyObjects } from '../kubernetes';

export interface MicroserviceArgs {
  readonly provider: k8s.Provider;
  readonly serviceName: string;
  readonly description: string;
  readonly namespace: string;
  readonly monitoringNamespace: string;
  readonly image: string;
  readonly replicas: number;
  /** undefined turns the HorizontalPodAutoscaler off. */
  readonly autoscaling?: {
    readonly minReplicas: number;
    readonly maxReplicas: number;
    readonly cpuUtilization: number;
    readonly memoryUtilization: number;
  };
  readonly resources: {
    readonly requests: { readonly cpu: string; readonly memory: string };
    readonly limits: { readonly cpu: string; readonly memory: string };
  };
  readonly allowFrom: readonly NetworkPeer[];
  readonly allowTo: readonly NetworkPeer[];
  readonly spread: readonly TopologySpread[];
  readonly env?: Readonly<Record<string, string>>;
  /** Secrets (in the namespace) whose keys become environment variables: the data-store credentials. */
  readonly envFromSecrets?: readonly string[];
  /** Single variables from a key of a Secret (another service's key, for service-to-service calls). */
  readonly secretEnv?: Readonly<Record<string, SecretKeyRef>>;
  /** The public route, for services the gateway serves: the catalog's path prefixes on the Gateway. */
  readonly route?: {
    readonly gateway: GatewayRef;
    readonly pathPrefixes: readonly string[];
    readonly traffic: RouteTraffic;
    /**
     * Extra annotations on every HTTPRoute of the service, e.g. ExternalDNS's failover record settings
     * (DnsFailover.routeAnnotations). Inputs, since a health check's id is only known once it exists.
     */
    readonly annotations?: Readonly<Record<string, pulumi.Input<string>>>;
  };
  /** How new versions roll out; canary and blue-green need the Argo Rollouts controller. */
  readonly delivery: MicroserviceDeliveryArgs;
  /** Resources (namespaces, secrets) that must exist before the workload. */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** What the analyses of a progressive rollout measure: the service's SLO series in that Prometheus. */
export interface RolloutAnalysisArgs {
  readonly slo: ServiceSlo;
  readonly thresholds: AnalysisThresholds;
  readonly prometheusAddress: string;
}

export type MicroserviceDeliveryArgs =
  | { readonly strategy: 'rolling' }
  | {
      readonly strategy: 'canary';
      readonly steps: readonly CanaryStep[];
      readonly analysis: RolloutAnalysisArgs;
    }
  | {
      readonly strategy: 'blueGreen';
      readonly autoPromotion: boolean;
      readonly scaleDownDelaySeconds: number;
      readonly analysis: RolloutAnalysisArgs;
    };

/**
 * The chart's delivery and the AnalysisTemplates it references. A canary analyses its own track in the
 * background; blue-green smoke-checks the preview before the switch and analyses the new stable after it.
 * A public canary's traffic is weighted on every HTTPRoute of the service by the Gateway API plugin.
 */
export function rolloutPlan(
  serviceName: string,
  namespace: string,
  delivery: MicroserviceDeliveryArgs,
  httpRoutes: readonly string[] | undefined,
): { delivery: MicroserviceDelivery; templates: KubernetesObject[] } {
  if (delivery.strategy === 'rolling') return { delivery, templates: [] };
  const slo = sloAnalysisTemplate(delivery.analysis) as unknown as KubernetesObject;
  const sloRun = (track: string) => ({ templateName: sloTemplateName(serviceName), args: { track } });
  if (delivery.strategy === 'canary') {
    return {
      delivery: {
        strategy: 'canary',
        steps: delivery.steps,
        analysis: sloRun('canary'),
        ...(httpRoutes && { httpRoutes }),
      },
      templates: [slo],
    };
  }
  const smoke = smokeAnalysisTemplate({
    service: serviceName,
    namespace,
    url: previewReadyUrl(serviceName, namespace),
  }) as unknown as KubernetesObject;
  return {
    delivery: {
      strategy: 'blueGreen',
      autoPromotion: delivery.autoPromotion,
      scaleDownDelaySeconds: delivery.scaleDownDelaySeconds,
      prePromotionAnalysis: { templateName: smokeTemplateName(serviceName) },
      postPromotionAnalysis: sloRun('stable'),
    },
    templates: [smoke, slo],
  };
}

/** Deploys one service through the microservice chart under the environment's provider. */
export class Microservice extends pulumi.ComponentResource {
  readonly serviceName: string;
  readonly namespace: string;
  readonly image: string;
  readonly strategy: MicroserviceDeliveryArgs['strategy'];

  constructor(name: string, args: MicroserviceArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:apps:Microservice', name, {}, opts);
    const route = args.route;
    const canaryRoutes =
      route && args.delivery.strategy === 'canary'
        ? publicRouteNames(args.serviceName, route.traffic)
        : undefined;
    const rollout = rolloutPlan(args.serviceName, args.namespace, args.delivery, canaryRoutes);
    const routeChartObjects = route
      ? synthesize(
          (app) =>
            new PublicRouteChart(app, `${args.serviceName}-route`, {
              name: args.serviceName,
              namespace: args.namespace,
              gateway: route.gateway,
              listeners: route.gateway.httpsListeners,
              hostnames: route.gateway.hostnames,
              pathPrefixes: route.pathPrefixes,
              // A canary's route starts all on stable; the plugin moves the weights step by step.
              backends: canaryRoutes
                ? [
                    { name: args.serviceName, port: SERVICE_HTTP_PORT, weight: 100 },
                    { name: `${args.serviceName}-canary`, port: SERVICE_HTTP_PORT, weight: 0 },
                  ]
                : [{ name: args.serviceName, port: SERVICE_HTTP_PORT }],
              traffic: route.traffic,
            }),
        )
      : [];
    const routeObjects = withRouteAnnotations(routeChartObjects, route?.annotations);
    const workloadObjects = synthesize(
      (app) =>
        new MicroserviceChart(app, args.serviceName, {
          name: args.serviceName,
          namespace: args.namespace,
          description: args.description,
          image: args.image,
          version: imageVersion(args.image),
          replicas: args.replicas,
          ...(args.autoscaling && { autoscaling: args.autoscaling }),
          resources: args.resources,
          monitoringNamespace: args.monitoringNamespace,
          allowFrom: args.allowFrom,
          allowTo: args.allowTo,
          spread: args.spread,
          ...(args.env && { env: args.env }),
          ...(args.envFromSecrets && { envFromSecrets: args.envFromSecrets }),
          ...(args.secretEnv && { secretEnv: args.secretEnv }),
          delivery: rollout.delivery,
        }),
    );
    applyObjects(`${name}-manifests`, [...workloadObjects, ...routeObjects, ...rollout.templates], {
      parent: this,
      provider: args.provider,
      ...(args.dependsOn && { dependsOn: args.dependsOn }),
    });
    this.serviceName = args.serviceName;
    this.namespace = args.namespace;
    this.image = args.image;
    this.strategy = args.delivery.strategy;
    this.registerOutputs({
      serviceName: this.serviceName,
      namespace: this.namespace,
      image: this.image,
      strategy: this.strategy,
    });
  }
}

/**
 * `objects` with `annotations` added to each HTTPRoute's metadata. The values may be Outputs: ConfigGroup
 * passes each object to its resource as is, which resolves nested Inputs.
 */
function withRouteAnnotations<T extends { kind?: string; metadata?: object }>(
  objects: T[],
  annotations: Readonly<Record<string, pulumi.Input<string>>> | undefined,
): T[] {
  if (annotations === undefined || Object.keys(annotations).length === 0) return objects;
  return objects.map((o) => {
    if (o.kind !== 'HTTPRoute') return o;
    const metadata = (o.metadata ?? {}) as { annotations?: Record<string, pulumi.Input<string>> };
    return { ...o, metadata: { ...metadata, annotations: { ...metadata.annotations, ...annotations } } };
  });
}

/** The version an image reference carries: its tag, else a short form of its digest. */
export function imageVersion(image: string): string {
  const digest = /@sha256:([a-f0-9]{12})/.exec(image);
  const withoutDigest = image.replace(/@sha256:[a-f0-9]+$/, '');
  const tag = /:([^/:]+)$/.exec(withoutDigest);
  if (tag?.[1]) return tag[1];
  if (digest?.[1]) return `sha256-${digest[1]}`;
  return 'unversioned';
}
