import type { NetworkPeer, ResourceQuantities } from '../lib';

export type Track = 'stable' | 'canary' | 'blue' | 'green';

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
   * Which copy of the service this is; part of the selector so copies never adopt each other's pods.
   * @default 'stable'
   */
  readonly track?: Track;
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
