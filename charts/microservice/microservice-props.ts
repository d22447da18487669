import type { NetworkPeer, ResourceQuantities } from '../lib';

export type Track = 'stable' | 'canary' | 'preview' | 'blue' | 'green';

/** An AnalysisTemplate (in the service's namespace) a Rollout runs, with the arguments it passes. */
export interface RolloutAnalysisRef {
  readonly templateName: string;
  /** @default {} */
  readonly args?: Readonly<Record<string, string>>;
}

/** One canary step: send `weight` % of the traffic to the new version, then pause. */
export interface CanaryStep {
  readonly weight: number;
  /** An Argo duration ("5m"), or "manual" to wait for `kubectl argo rollouts promote`. */
  readonly pause: string;
}

/**
 * How new versions roll out. `rolling` is a Deployment; the others are Argo Rollouts, whose controller sets
 * the track label of the pods (canary/stable, preview/stable) so that metrics tell the versions apart.
 */
export type MicroserviceDelivery =
  | { readonly strategy: 'rolling' }
  | {
      readonly strategy: 'canary';
      readonly steps: readonly CanaryStep[];
      /** Runs in the background from the first step; a failed run aborts the rollout. */
      readonly analysis: RolloutAnalysisRef;
      /**
       * HTTPRoutes (in the service's namespace) whose backends the Gateway API plugin weights between the
       * stable and canary Services. Undefined: no traffic routing, the split follows the pod counts.
       */
      readonly httpRoutes?: readonly string[];
    }
  | {
      readonly strategy: 'blueGreen';
      readonly autoPromotion: boolean;
      readonly scaleDownDelaySeconds: number;
      /** Runs against the preview before the switch; promotion waits for it. */
      readonly prePromotionAnalysis?: RolloutAnalysisRef;
      /** Runs after the switch; a failure switches back while the old pods still run. */
      readonly postPromotionAnalysis?: RolloutAnalysisRef;
    };

export interface MicroserviceAutoscaling {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /**
   * Average CPU utilisation (of requests) the HPA aims for.
   * @default 70
   */
  readonly cpuUtilization?: number;
  /**
   * Average memory utilisation (of requests) the HPA aims for.
   * @default 80
   */
  readonly memoryUtilization?: number;
}

export interface TopologySpread {
  readonly topologyKey: string;
  /**
   * @default 'ScheduleAnyway'
   */
  readonly whenUnsatisfiable?: 'DoNotSchedule' | 'ScheduleAnyway';
}

export interface MicroserviceProps {
  /** Service name: names the Deployment, Service, ServiceAccount and the app.kubernetes.io/name label. */
  readonly name: string;
  readonly namespace: string;
  /** Pinned image reference (tag or digest). */
  readonly image: string;
  /** Value of the app.kubernetes.io/version label and SERVICE_VERSION. */
  readonly version: string;
  /**
   * Which copy of the service this is; part of the selector so copies never adopt each other's pods. Only
   * for rolling delivery: a Rollout's pods get their track from the Argo Rollouts controller.
   * @default 'stable'
   */
  readonly track?: Track;
  /**
   * Rolling (a Deployment), canary or blue-green (an Argo Rollout).
   * @default { strategy: 'rolling' }
   */
  readonly delivery?: MicroserviceDelivery;
  /**
   * Value of app.kubernetes.io/part-of.
   * @default 'platform'
   */
  readonly partOf?: string;
  /** Human-readable purpose, recorded as an annotation. */
  readonly description?: string;
  /**
   * Container port serving the API, /health, /ready and /metrics.
   * @default 8080
   */
  readonly port?: number;
  /** Replicas when autoscaling is off. With autoscaling the Deployment starts at minReplicas. */
  readonly replicas: number;
  /** HorizontalPodAutoscaler settings; undefined turns autoscaling off. */
  readonly autoscaling?: MicroserviceAutoscaling;
  readonly resources: { readonly requests: ResourceQuantities; readonly limits: ResourceQuantities };
  /**
   * Plain (non-secret) environment variables for the container.
   * @default {}
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Names of existing Secrets whose keys become environment variables (envFrom). Charts never hold
   * secret values; Pulumi creates these Secrets.
   * @default []
   */
  readonly envFromSecrets?: readonly string[];
  /**
   * Single environment variables taken from a key of an existing Secret (secretKeyRef), for values that
   * another workload's Secret holds (the keys of the services allowed to call this one).
   * @default {}
   */
  readonly secretEnv?: Readonly<Record<string, SecretKeyRef>>;
  /**
   * Who may open connections to the service port, besides the monitoring namespace.
   * @default [] (only monitoring)
   */
  readonly allowFrom?: readonly NetworkPeer[];
  /**
   * Namespace whose Prometheus scrapes /metrics.
   */
  readonly monitoringNamespace: string;
  /**
   * What the service may connect to, besides DNS.
   * @default [] (DNS only)
   */
  readonly allowTo?: readonly NetworkPeer[];
  /**
   * How replicas spread over failure domains.
   * @default [{ topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' }]
   */
  readonly spread?: readonly TopologySpread[];
  /**
   * Path of the Prometheus metrics the PodMonitor scrapes on the `http` port.
   * @default '/metrics'
   */
  readonly metricsPath?: string;
  /**
   * Liveness probe path.
   * @default '/health'
   */
  readonly livenessPath?: string;
  /**
   * Readiness probe path.
   * @default '/ready'
   */
  readonly readinessPath?: string;
  /**
   * Seconds Kubernetes waits after SIGTERM before killing the pod; the service drains within it.
   * @default 30
   */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * Seconds the pod keeps serving after it is marked for termination, before SIGTERM, so that endpoints
   * and gateways stop routing to it first. Uses the native `sleep` preStop action (Kubernetes 1.30+).
   * @default 5
   */
  readonly preStopSleepSeconds?: number;
}

/** A key of a Secret in the workload's namespace. */
export interface SecretKeyRef {
  readonly secret: string;
  readonly key: string;
}
