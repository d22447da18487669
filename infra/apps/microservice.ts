import type * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import {
  MicroserviceChart,
  PublicRouteChart,
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
  };
  /** Resources (namespaces, secrets) that must exist before the workload. */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** Deploys one service through the microservice chart under the environment's provider. */
export class Microservice extends pulumi.ComponentResource {
  readonly serviceName: string;
  readonly namespace: string;
  readonly image: string;

  constructor(name: string, args: MicroserviceArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:apps:Microservice', name, {}, opts);
    const route = args.route;
    const routeObjects = route
      ? synthesize(
          (app) =>
            new PublicRouteChart(app, `${args.serviceName}-route`, {
              name: args.serviceName,
              namespace: args.namespace,
              gateway: route.gateway,
              listeners: route.gateway.httpsListeners,
              hostnames: route.gateway.hostnames,
              pathPrefixes: route.pathPrefixes,
              backends: [{ name: args.serviceName, port: SERVICE_HTTP_PORT }],
              traffic: route.traffic,
            }),
        )
      : [];
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
        }),
    );
    applyObjects(`${name}-manifests`, [...workloadObjects, ...routeObjects], {
      parent: this,
      provider: args.provider,
      ...(args.dependsOn && { dependsOn: args.dependsOn }),
    });
    this.serviceName = args.serviceName;
    this.namespace = args.namespace;
    this.image = args.image;
    this.registerOutputs({ serviceName: this.serviceName, namespace: this.namespace, image: this.image });
  }
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
