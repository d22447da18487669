/**
 * A prometheus-operator PodMonitor or ServiceMonitor, as rendered, turned into the Prometheus scrape_config the
 * operator would generate for it, for a Prometheus without Kubernetes: the relabelings are the operator's
 * (selector filters, port filter, namespace/pod/container, podTargetLabels, job, endpoint, the monitor's own
 * relabelings, shard filter) and run in the real Prometheus. Only service discovery is replaced: each target
 * is a static target at a loopback address that carries the `__meta_kubernetes_*` labels Kubernetes service
 * discovery would give that pod, so relabelings that read them work unchanged.
 */
import { createHash } from 'node:crypto';

/** A relabeling as the CRDs spell it. */
export interface RelabelSpec {
  readonly action?: string;
  readonly sourceLabels?: readonly string[];
  readonly separator?: string;
  readonly targetLabel?: string;
  readonly regex?: string;
  readonly modulus?: number;
  readonly replacement?: string;
}

export interface MonitorEndpointSpec {
  readonly port?: string;
  readonly portNumber?: number;
  readonly targetPort?: number | string;
  readonly path?: string;
  readonly scheme?: string;
  readonly params?: Readonly<Record<string, readonly string[]>>;
  readonly interval?: string;
  readonly scrapeTimeout?: string;
  readonly honorLabels?: boolean;
  readonly honorTimestamps?: boolean;
  readonly relabelings?: readonly RelabelSpec[];
  readonly metricRelabelings?: readonly RelabelSpec[];
  readonly filterRunning?: boolean;
  readonly followRedirects?: boolean;
  readonly enableHttp2?: boolean;
  readonly [field: string]: unknown;
}

export interface LabelSelectorSpec {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly {
    readonly key: string;
    readonly operator: string;
    readonly values?: readonly string[];
  }[];
}

interface MonitorSpecCommon {
  readonly jobLabel?: string;
  readonly podTargetLabels?: readonly string[];
  readonly selector: LabelSelectorSpec;
  readonly namespaceSelector?: { readonly any?: boolean; readonly matchNames?: readonly string[] };
  readonly sampleLimit?: number;
  readonly targetLimit?: number;
  readonly labelLimit?: number;
  readonly labelNameLengthLimit?: number;
  readonly labelValueLengthLimit?: number;
  readonly [field: string]: unknown;
}

interface ObjectMeta {
  readonly name: string;
  readonly namespace: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface PodMonitorObject {
  readonly apiVersion: string;
  readonly kind: 'PodMonitor';
  readonly metadata: ObjectMeta;
  readonly spec: MonitorSpecCommon & { readonly podMetricsEndpoints?: readonly MonitorEndpointSpec[] };
}

export interface ServiceMonitorObject {
  readonly apiVersion: string;
  readonly kind: 'ServiceMonitor';
  readonly metadata: ObjectMeta;
  readonly spec: MonitorSpecCommon & {
    readonly targetLabels?: readonly string[];
    readonly endpoints: readonly MonitorEndpointSpec[];
  };
}

export type MonitorObject = PodMonitorObject | ServiceMonitorObject;

/** A pod as Kubernetes service discovery would see it, except that it listens on `address` (loopback). */
export interface MonitoredPod {
  /** host:port Prometheus scrapes instead of podIP:containerPort, e.g. 127.0.0.1:40123. */
  readonly address: string;
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  /** @default {} */
  readonly annotations?: Readonly<Record<string, string>>;
  readonly container: string;
  /** The container port the endpoint scrapes (name as in the pod spec, number as in the pod spec). */
  readonly port: { readonly name?: string; readonly number: number; readonly protocol?: string };
  /** @default 'node-0' */
  readonly nodeName?: string;
  /** @default 'Running' */
  readonly phase?: string;
  /** Owner, as __meta_kubernetes_pod_controller_*. @default none */
  readonly controller?: { readonly kind: string; readonly name: string };
}

/** For ServiceMonitors: a pod behind a Service, through that Service's port. */
export interface MonitoredEndpoint {
  readonly pod: MonitoredPod;
  readonly service: {
    readonly name: string;
    readonly labels: Readonly<Record<string, string>>;
    /** @default {} */
    readonly annotations?: Readonly<Record<string, string>>;
    /** Name of the Service port (and so of the Endpoints port) that leads to `pod.port`. */
    readonly portName: string;
  };
}

export interface ScrapeDefaults {
  /** The Prometheus's scrapeInterval, for endpoints without `interval`. */
  readonly scrapeInterval: string;
  /** The Prometheus's scrapeTimeout, for endpoints without `scrapeTimeout`; unset leaves Prometheus's default. */
  readonly scrapeTimeout?: string;
}

export type RelabelConfig = Readonly<Record<string, unknown>>;
export type ScrapeConfig = Readonly<Record<string, unknown>>;

/** Prometheus's and the operator's label-name sanitising: anything outside [a-zA-Z0-9_] becomes `_`. */
export function sanitizeLabelName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_]/g, '_');
}

// Endpoint fields that need credentials, certificates or a proxy: not reproducible against loopback servers.
const UNSUPPORTED_ENDPOINT_FIELDS = [
  'basicAuth',
  'authorization',
  'bearerTokenSecret',
  'bearerTokenFile',
  'tlsConfig',
  'oauth2',
  'proxyUrl',
] as const;

const RELABEL_ACTIONS = new Set([
  'replace',
  'keep',
  'drop',
  'hashmod',
  'labelmap',
  'labeldrop',
  'labelkeep',
  'lowercase',
  'uppercase',
  'keepequal',
  'dropequal',
]);

/** The CRD's camelCase relabeling as Prometheus's snake_case; the operator lowercases the action. */
export function relabelConfig(spec: RelabelSpec, field: string): RelabelConfig {
  const action = spec.action?.toLowerCase();
  if (action !== undefined && !RELABEL_ACTIONS.has(action)) {
    throw new Error(
      `${field}.action must be one of ${[...RELABEL_ACTIONS].join('|')} (got ${JSON.stringify(spec.action)})`,
    );
  }
  return {
    ...(spec.sourceLabels !== undefined && { source_labels: [...spec.sourceLabels] }),
    ...(spec.separator !== undefined && { separator: spec.separator }),
    ...(spec.targetLabel !== undefined && { target_label: spec.targetLabel }),
    ...(spec.regex !== undefined && { regex: spec.regex }),
    ...(spec.modulus !== undefined && { modulus: spec.modulus }),
    ...(spec.replacement !== undefined && { replacement: spec.replacement }),
    ...(action !== undefined && { action }),
  };
}

function labelFamily(prefix: string, values: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    out[`${prefix}_${sanitizeLabelName(key)}`] = value;
    out[`${prefix}present_${sanitizeLabelName(key)}`] = 'true';
  }
  return out;
}

/** The `__meta_kubernetes_*` labels the pod role of Kubernetes service discovery gives this pod's port. */
export function podMetaLabels(pod: MonitoredPod): Record<string, string> {
  const host = pod.address.replace(/:\d+$/, '');
  return {
    __meta_kubernetes_namespace: pod.namespace,
    __meta_kubernetes_pod_name: pod.name,
    __meta_kubernetes_pod_ip: host,
    __meta_kubernetes_pod_host_ip: host,
    __meta_kubernetes_pod_ready: 'true',
    __meta_kubernetes_pod_phase: pod.phase ?? 'Running',
    __meta_kubernetes_pod_node_name: pod.nodeName ?? 'node-0',
    __meta_kubernetes_pod_container_name: pod.container,
    __meta_kubernetes_pod_container_init: 'false',
    __meta_kubernetes_pod_container_port_number: String(pod.port.number),
    __meta_kubernetes_pod_container_port_protocol: pod.port.protocol ?? 'TCP',
    ...(pod.port.name !== undefined && { __meta_kubernetes_pod_container_port_name: pod.port.name }),
    ...(pod.controller !== undefined && {
      __meta_kubernetes_pod_controller_kind: pod.controller.kind,
      __meta_kubernetes_pod_controller_name: pod.controller.name,
    }),
    ...labelFamily('__meta_kubernetes_pod_label', pod.labels),
    ...labelFamily('__meta_kubernetes_pod_annotation', pod.annotations ?? {}),
  };
}

/** The endpoints role's labels: the pod's, plus the Service's and the endpoint's. */
export function endpointMetaLabels(endpoint: MonitoredEndpoint): Record<string, string> {
  const { pod, service } = endpoint;
  return {
    ...podMetaLabels(pod),
    __meta_kubernetes_service_name: service.name,
    __meta_kubernetes_endpoints_name: service.name,
    __meta_kubernetes_endpoint_port_name: service.portName,
    __meta_kubernetes_endpoint_port_protocol: pod.port.protocol ?? 'TCP',
    __meta_kubernetes_endpoint_ready: 'true',
    __meta_kubernetes_endpoint_node_name: pod.nodeName ?? 'node-0',
    __meta_kubernetes_endpoint_address_target_kind: 'Pod',
    __meta_kubernetes_endpoint_address_target_name: pod.name,
    ...labelFamily('__meta_kubernetes_service_label', service.labels),
    ...labelFamily('__meta_kubernetes_service_annotation', service.annotations ?? {}),
  };
}

// Label families whose members depend on the object (label and annotation names).
const META_FAMILIES = [
  '__meta_kubernetes_pod_label_',
  '__meta_kubernetes_pod_labelpresent_',
  '__meta_kubernetes_pod_annotation_',
  '__meta_kubernetes_pod_annotationpresent_',
  '__meta_kubernetes_service_label_',
  '__meta_kubernetes_service_labelpresent_',
  '__meta_kubernetes_service_annotation_',
  '__meta_kubernetes_service_annotationpresent_',
];

/**
 * A relabeling that reads a discovery label this translation does not set would silently read "" here while
 * reading a value in a cluster, so it is refused rather than translated wrongly.
 */
function checkSourceLabels(
  relabelings: readonly RelabelSpec[],
  field: string,
  known: ReadonlySet<string>,
  role: 'pod' | 'endpoints',
): void {
  relabelings.forEach((r, i) => {
    for (const label of r.sourceLabels ?? []) {
      if (!label.startsWith('__meta_')) continue;
      const inFamily = META_FAMILIES.some(
        (f) => label.startsWith(f) && (role === 'endpoints' || !f.startsWith('__meta_kubernetes_service_')),
      );
      if (!known.has(label) && !inFamily) {
        throw new Error(
          `${field}[${i}].sourceLabels: ${label} is not a label the ${role} role of Kubernetes service discovery sets here ` +
            `(known: ${[...known].filter((k) => !META_FAMILIES.some((f) => k.startsWith(f))).join(', ')}, ` +
            `and ${META_FAMILIES.filter((f) => role === 'endpoints' || !f.startsWith('__meta_kubernetes_service_')).join('*, ')}*)`,
        );
      }
    }
  });
}

/** keep/drop relabelings for a label selector, as the operator writes them. */
function selectorRelabelings(selector: LabelSelectorSpec, object: 'pod' | 'service'): RelabelConfig[] {
  const label = (k: string) => `__meta_kubernetes_${object}_label_${sanitizeLabelName(k)}`;
  const present = (k: string) => `__meta_kubernetes_${object}_labelpresent_${sanitizeLabelName(k)}`;
  const out: RelabelConfig[] = [];
  const matchLabels = selector.matchLabels ?? {};
  for (const key of Object.keys(matchLabels).sort()) {
    out.push({
      action: 'keep',
      source_labels: [label(key), present(key)],
      regex: `(${matchLabels[key]});true`,
    });
  }
  (selector.matchExpressions ?? []).forEach((exp, i) => {
    const values = (exp.values ?? []).join('|');
    switch (exp.operator) {
      case 'In':
        out.push({
          action: 'keep',
          source_labels: [label(exp.key), present(exp.key)],
          regex: `(${values});true`,
        });
        break;
      case 'NotIn':
        out.push({
          action: 'drop',
          source_labels: [label(exp.key), present(exp.key)],
          regex: `(${values});true`,
        });
        break;
      case 'Exists':
        out.push({ action: 'keep', source_labels: [present(exp.key)], regex: 'true' });
        break;
      case 'DoesNotExist':
        out.push({ action: 'drop', source_labels: [present(exp.key)], regex: 'true' });
        break;
      default:
        throw new Error(
          `spec.selector.matchExpressions[${i}].operator must be one of In|NotIn|Exists|DoesNotExist (got ${JSON.stringify(exp.operator)})`,
        );
    }
  });
  return out;
}

function selectedNamespaces(monitor: MonitorObject): readonly string[] | 'any' {
  const selector = monitor.spec.namespaceSelector;
  if (selector?.any === true) return 'any';
  if (selector?.matchNames !== undefined && selector.matchNames.length > 0) return selector.matchNames;
  return [monitor.metadata.namespace];
}

function checkNamespace(monitor: MonitorObject, pod: MonitoredPod, index: number): void {
  const namespaces = selectedNamespaces(monitor);
  if (namespaces !== 'any' && !namespaces.includes(pod.namespace)) {
    throw new Error(
      `targets[${index}]: pod ${pod.namespace}/${pod.name} is outside the namespaces ${monitor.kind} ` +
        `${monitor.metadata.namespace}/${monitor.metadata.name} watches (${namespaces.join(', ')})`,
    );
  }
}

function checkEndpoint(ep: MonitorEndpointSpec, field: string): void {
  for (const key of UNSUPPORTED_ENDPOINT_FIELDS) {
    if (ep[key] !== undefined) {
      throw new Error(
        `${field}.${key} is not supported against loopback test targets (remove it or extend scrape-config.ts)`,
      );
    }
  }
}

/** The job-independent head of a scrape config: name, honor flags, interval, timeout, path, scheme, params. */
function scrapeHead(
  jobName: string,
  ep: MonitorEndpointSpec,
  defaults: ScrapeDefaults,
): Record<string, unknown> {
  const timeout = ep.scrapeTimeout ?? defaults.scrapeTimeout;
  return {
    job_name: jobName,
    honor_labels: ep.honorLabels ?? false,
    ...(ep.honorTimestamps !== undefined && { honor_timestamps: ep.honorTimestamps }),
    scrape_interval: ep.interval ?? defaults.scrapeInterval,
    ...(timeout !== undefined && { scrape_timeout: timeout }),
    metrics_path: ep.path ?? '/metrics',
    ...(ep.scheme !== undefined && { scheme: ep.scheme }),
    ...(ep.params !== undefined && { params: ep.params }),
    ...(ep.followRedirects !== undefined && { follow_redirects: ep.followRedirects }),
    ...(ep.enableHttp2 !== undefined && { enable_http2: ep.enableHttp2 }),
  };
}

/** What every generated job ends with: the monitor's limits. */
function limits(monitor: MonitorObject): Record<string, unknown> {
  const s = monitor.spec;
  return {
    ...(s.sampleLimit !== undefined && { sample_limit: s.sampleLimit }),
    ...(s.targetLimit !== undefined && { target_limit: s.targetLimit }),
    ...(s.labelLimit !== undefined && { label_limit: s.labelLimit }),
    ...(s.labelNameLengthLimit !== undefined && { label_name_length_limit: s.labelNameLengthLimit }),
    ...(s.labelValueLengthLimit !== undefined && { label_value_length_limit: s.labelValueLengthLimit }),
  };
}

const JOB_NAME_TO_TMP: RelabelConfig = { source_labels: ['job'], target_label: '__tmp_prometheus_job_name' };
const RUNNING_FILTER: RelabelConfig = {
  action: 'drop',
  source_labels: ['__meta_kubernetes_pod_phase'],
  regex: '(Failed|Succeeded)',
};
// The operator's shard filter with one shard, as its config reloader substitutes $(SHARD) for shard 0.
const SHARD_FILTER: readonly RelabelConfig[] = [
  { source_labels: ['__address__'], target_label: '__tmp_hash', modulus: 1, action: 'hashmod' },
  { source_labels: ['__tmp_hash'], regex: '0', action: 'keep' },
];

function copyLabels(from: 'pod' | 'service', names: readonly string[]): RelabelConfig[] {
  return names.map((l) => ({
    source_labels: [`__meta_kubernetes_${from}_label_${sanitizeLabelName(l)}`],
    target_label: sanitizeLabelName(l),
    regex: '(.+)',
    replacement: '${1}',
  }));
}

function userRelabelings(ep: MonitorEndpointSpec, field: string) {
  return {
    relabel: (ep.relabelings ?? []).map((r, i) => relabelConfig(r, `${field}.relabelings[${i}]`)),
    metric: (ep.metricRelabelings ?? []).map((r, i) => relabelConfig(r, `${field}.metricRelabelings[${i}]`)),
  };
}

/** One scrape config per podMetricsEndpoint, with `pods` as its static targets. */
export function podMonitorScrapeConfigs(
  monitor: PodMonitorObject,
  pods: readonly MonitoredPod[],
  defaults: ScrapeDefaults,
): ScrapeConfig[] {
  const { namespace, name } = monitor.metadata;
  pods.forEach((pod, i) => checkNamespace(monitor, pod, i));
  const known = new Set(pods.flatMap((p) => Object.keys(podMetaLabels(p))));
  const targets = pods.map((pod) => ({ targets: [pod.address], labels: podMetaLabels(pod) }));
  return (monitor.spec.podMetricsEndpoints ?? []).map((ep, i) => {
    const field = `spec.podMetricsEndpoints[${i}]`;
    checkEndpoint(ep, field);
    checkSourceLabels(ep.relabelings ?? [], `${field}.relabelings`, known, 'pod');
    const user = userRelabelings(ep, field);
    const portFilter: RelabelConfig[] = [];
    let endpointLabel: string | undefined;
    if (ep.port !== undefined && ep.port !== '') {
      portFilter.push({
        action: 'keep',
        source_labels: ['__meta_kubernetes_pod_container_port_name'],
        regex: ep.port,
      });
      endpointLabel = ep.port;
    } else if (ep.portNumber !== undefined) {
      portFilter.push({
        action: 'keep',
        source_labels: ['__meta_kubernetes_pod_container_port_number'],
        regex: String(ep.portNumber),
      });
      endpointLabel = String(ep.portNumber);
    } else if (ep.targetPort !== undefined) {
      const byName = typeof ep.targetPort === 'string';
      portFilter.push({
        action: 'keep',
        source_labels: [`__meta_kubernetes_pod_container_port_${byName ? 'name' : 'number'}`],
        regex: String(ep.targetPort),
      });
      endpointLabel = String(ep.targetPort);
    }
    const relabelings: RelabelConfig[] = [
      JOB_NAME_TO_TMP,
      ...(ep.filterRunning === false ? [] : [RUNNING_FILTER]),
      ...selectorRelabelings(monitor.spec.selector, 'pod'),
      ...portFilter,
      { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
      { source_labels: ['__meta_kubernetes_pod_container_name'], target_label: 'container' },
      { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
      ...copyLabels('pod', monitor.spec.podTargetLabels ?? []),
      { target_label: 'job', replacement: `${namespace}/${name}` },
      ...(monitor.spec.jobLabel !== undefined && monitor.spec.jobLabel !== ''
        ? [
            {
              source_labels: [`__meta_kubernetes_pod_label_${sanitizeLabelName(monitor.spec.jobLabel)}`],
              target_label: 'job',
              regex: '(.+)',
              replacement: '${1}',
            },
          ]
        : []),
      ...(endpointLabel !== undefined ? [{ target_label: 'endpoint', replacement: endpointLabel }] : []),
      ...user.relabel,
      ...SHARD_FILTER,
    ];
    return {
      ...scrapeHead(`podMonitor/${namespace}/${name}/${i}`, ep, defaults),
      static_configs: targets,
      relabel_configs: relabelings,
      ...(user.metric.length > 0 && { metric_relabel_configs: user.metric }),
      ...limits(monitor),
    };
  });
}

/** One scrape config per ServiceMonitor endpoint, with `endpoints` (pods behind Services) as static targets. */
export function serviceMonitorScrapeConfigs(
  monitor: ServiceMonitorObject,
  endpoints: readonly MonitoredEndpoint[],
  defaults: ScrapeDefaults,
): ScrapeConfig[] {
  const { namespace, name } = monitor.metadata;
  endpoints.forEach((e, i) => checkNamespace(monitor, e.pod, i));
  const known = new Set(endpoints.flatMap((e) => Object.keys(endpointMetaLabels(e))));
  const targets = endpoints.map((e) => ({ targets: [e.pod.address], labels: endpointMetaLabels(e) }));
  return monitor.spec.endpoints.map((ep, i) => {
    const field = `spec.endpoints[${i}]`;
    checkEndpoint(ep, field);
    checkSourceLabels(ep.relabelings ?? [], `${field}.relabelings`, known, 'endpoints');
    const user = userRelabelings(ep, field);
    const portFilter: RelabelConfig[] = [];
    let endpointLabel: string | undefined;
    if (ep.port !== undefined && ep.port !== '') {
      portFilter.push({
        action: 'keep',
        source_labels: ['__meta_kubernetes_endpoint_port_name'],
        regex: ep.port,
      });
      endpointLabel = ep.port;
    } else if (ep.targetPort !== undefined) {
      const byName = typeof ep.targetPort === 'string';
      portFilter.push({
        action: 'keep',
        source_labels: [`__meta_kubernetes_pod_container_port_${byName ? 'name' : 'number'}`],
        regex: String(ep.targetPort),
      });
      endpointLabel = String(ep.targetPort);
    }
    const target = [
      '__meta_kubernetes_endpoint_address_target_kind',
      '__meta_kubernetes_endpoint_address_target_name',
    ];
    const relabelings: RelabelConfig[] = [
      JOB_NAME_TO_TMP,
      ...selectorRelabelings(monitor.spec.selector, 'service'),
      ...portFilter,
      {
        source_labels: target,
        separator: ';',
        regex: 'Node;(.*)',
        replacement: '${1}',
        target_label: 'node',
      },
      { source_labels: target, separator: ';', regex: 'Pod;(.*)', replacement: '${1}', target_label: 'pod' },
      { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
      { source_labels: ['__meta_kubernetes_service_name'], target_label: 'service' },
      { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
      { source_labels: ['__meta_kubernetes_pod_container_name'], target_label: 'container' },
      ...(ep.filterRunning === false ? [] : [RUNNING_FILTER]),
      ...copyLabels('service', monitor.spec.targetLabels ?? []),
      ...copyLabels('pod', monitor.spec.podTargetLabels ?? []),
      { source_labels: ['__meta_kubernetes_service_name'], target_label: 'job', replacement: '${1}' },
      ...(monitor.spec.jobLabel !== undefined && monitor.spec.jobLabel !== ''
        ? [
            {
              source_labels: [`__meta_kubernetes_service_label_${sanitizeLabelName(monitor.spec.jobLabel)}`],
              target_label: 'job',
              regex: '(.+)',
              replacement: '${1}',
            },
          ]
        : []),
      ...(endpointLabel !== undefined ? [{ target_label: 'endpoint', replacement: endpointLabel }] : []),
      ...user.relabel,
      ...SHARD_FILTER,
    ];
    return {
      ...scrapeHead(`serviceMonitor/${namespace}/${name}/${i}`, ep, defaults),
      static_configs: targets,
      relabel_configs: relabelings,
      ...(user.metric.length > 0 && { metric_relabel_configs: user.metric }),
      ...limits(monitor),
    };
  });
}

/** Labels Argo Rollouts puts on the pods of one ReplicaSet (canaryMetadata, stableMetadata, ...). */
interface PodMetadataSpec {
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** A rendered Deployment or Argo Rollout (argoproj.io/v1alpha1), as far as its pods matter to monitoring. */
export interface WorkloadObject {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly spec: {
    readonly template: {
      readonly metadata?: {
        readonly labels?: Readonly<Record<string, string>>;
        readonly annotations?: Readonly<Record<string, string>>;
      };
      readonly spec: {
        readonly containers: readonly {
          readonly name: string;
          readonly ports?: readonly {
            readonly name?: string;
            readonly containerPort: number;
            readonly protocol?: string;
          }[];
        }[];
      };
    };
    /** Only read for a Rollout: the metadata Argo adds to the stable (canary) or active (blueGreen) pods. */
    readonly strategy?: {
      readonly canary?: { readonly stableMetadata?: PodMetadataSpec };
      readonly blueGreen?: { readonly activeMetadata?: PodMetadataSpec };
    };
  };
}

/** The label Argo Rollouts adds to every pod (and to the Services' selectors) to tell ReplicaSets apart. */
export const ROLLOUTS_HASH_LABEL = 'rollouts-pod-template-hash';

// Argo and Kubernetes encode the template hash with this alphabet (no vowels, no 0/1/3), 10 characters.
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * A stand-in for the ReplicaSet's pod-template-hash: stable for the same template, shaped like Argo's
 * (not Argo's FNV value; nothing here compares it with a cluster).
 */
function templateHash(template: WorkloadObject['spec']['template']): string {
  const digest = createHash('sha256').update(JSON.stringify(template)).digest();
  return [...digest.subarray(0, 10)].map((byte) => SAFE_ALPHABET[byte % SAFE_ALPHABET.length]).join('');
}

/**
 * The labels and annotations of the pods a workload runs once nothing is being rolled out. A Deployment's
 * pods carry its template's. A Rollout's template carries no track (Argo relabels pods when it promotes them),
 * so its steady-state pods are those of the stable ReplicaSet (canary) or the active one (blueGreen): the
 * template's labels plus stableMetadata/activeMetadata, plus Argo's rollouts-pod-template-hash.
 */
export function steadyStatePodMetadata(workload: WorkloadObject): {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** The ReplicaSet the pods belong to. */
  readonly replicaSet: string;
} {
  const { name } = workload.metadata;
  const template = workload.spec.template;
  if (workload.kind === 'Deployment') {
    return {
      labels: template.metadata?.labels ?? {},
      annotations: template.metadata?.annotations ?? {},
      replicaSet: `${name}-rs`,
    };
  }
  if (workload.kind !== 'Rollout') {
    throw new Error(`${name}: kind must be Deployment or Rollout (got ${workload.kind})`);
  }
  const { canary, blueGreen } = workload.spec.strategy ?? {};
  if ((canary === undefined) === (blueGreen === undefined)) {
    throw new Error(`Rollout ${name}: spec.strategy must have exactly one of canary, blueGreen`);
  }
  const extra = canary !== undefined ? canary.stableMetadata : blueGreen?.activeMetadata;
  const hash = templateHash(template);
  return {
    labels: { ...(template.metadata?.labels ?? {}), ...(extra?.labels ?? {}), [ROLLOUTS_HASH_LABEL]: hash },
    annotations: { ...(template.metadata?.annotations ?? {}), ...(extra?.annotations ?? {}) },
    replicaSet: `${name}-${hash}`,
  };
}

/**
 * A steady-state pod of a rendered Deployment or Rollout (see steadyStatePodMetadata): its labels and
 * annotations, the container and port (by container port name), listening on `address` instead of its pod IP.
 * The pod name is made up: `<deployment>-<suffix>`, or `<rollout>-<hash>-<suffix>` like the ReplicaSet's pods.
 */
export function podOfWorkload(
  workload: WorkloadObject,
  options: { readonly address: string; readonly portName: string; readonly suffix?: string },
): MonitoredPod {
  const { name, namespace } = workload.metadata;
  const meta = steadyStatePodMetadata(workload);
  if (namespace === undefined) throw new Error(`${workload.kind} ${name}: metadata.namespace is required`);
  const template = workload.spec.template;
  const found = template.spec.containers.flatMap((container) =>
    (container.ports ?? []).filter((p) => p.name === options.portName).map((port) => ({ container, port })),
  );
  const [match] = found;
  if (match === undefined) {
    throw new Error(
      `${workload.kind} ${namespace}/${name}: no container port named ${options.portName} ` +
        `(ports: ${template.spec.containers.flatMap((c) => (c.ports ?? []).map((p) => `${c.name}/${p.name ?? p.containerPort}`)).join(', ') || 'none'})`,
    );
  }
  const suffix = options.suffix ?? '0';
  return {
    address: options.address,
    name: workload.kind === 'Rollout' ? `${meta.replicaSet}-${suffix}` : `${name}-${suffix}`,
    namespace,
    labels: meta.labels,
    annotations: meta.annotations,
    container: match.container.name,
    port: {
      name: match.port.name,
      number: match.port.containerPort,
      protocol: match.port.protocol ?? 'TCP',
    },
    controller: { kind: 'ReplicaSet', name: meta.replicaSet },
  };
}
