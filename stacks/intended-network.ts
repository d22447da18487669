/**
 * The intended network graph: which pod may open a connection to which, declared once, next to the service
 * catalog it starts from. The offline plan computes what the rendered NetworkPolicies actually allow
 * (tools/reachability) and fails on any edge this list does not have, or any edge it has that the policies
 * do not allow. Ports are written out on purpose: a policy that opens one more port, or a chart that moves
 * one, must change this declaration too, in the same review.
 *
 * Pods are named `<namespace>/<app>` as the plan's inventory names them; `outside` is any address outside
 * the cluster (the Kubernetes API server, object stores, nameservers, the internet).
 */
import { MIRROR_MAKER_LISTENER_PORT } from '../charts/kafka-cluster';
import { CONNECT_REST_PORT, DEFAULT_MIRROR_NAME, MIRROR_METRICS_PORT } from '../charts/kafka-mirror-maker';
import { KAFKA_NAME, MONGODB_CLUSTER, REDIS_NAME } from '../infra/data';
import { SERVICE_CATALOG, type DataStore, type ServiceName } from './service-catalog';
import type { EnvironmentSpec, NamespacesSpec } from './spec';
import { standbySpec } from './standby-spec';

export type IntendedProtocol = 'TCP' | 'UDP';

export interface IntendedEdge {
  readonly from: string;
  readonly to: string;
  readonly port: number;
  readonly protocol: IntendedProtocol;
  /** Why the connection exists, for the report when it is missing. */
  readonly why: string;
}

/** What in an environment changes its graph; everything else is the same in every environment. */
export interface NetworkFacts {
  readonly namespaces: NamespacesSpec;
  /** Deployed services; blue-green ones get smoke checks from the Rollouts controller. */
  readonly services: readonly { readonly name: ServiceName; readonly blueGreen: boolean }[];
  /** Alertmanager runs (monitoring level alerting or full). */
  readonly alertmanager: boolean;
  /** Port of the S3 endpoint MongoDB's backup agents upload to (443 for AWS S3, the site's port on prem). */
  readonly backupStorePort: number;
  /** Loki and Tempo keep their data in S3 buckets (EKS with telemetry buckets). */
  readonly telemetryObjectStorage: boolean;
  /** Brokers spread over more than one zone read their node's zone from the API (Strimzi rack awareness). */
  readonly kafkaRackAwareness: boolean;
  /** cert-manager solves ACME DNS-01 and checks the records at the zone's nameservers. */
  readonly dns01: boolean;
  /**
   * The daily Redis snapshot job runs (DR): it asks a sentinel for the master, reads the RDB from it and
   * uploads it to the backup store. @default false
   */
  readonly redisSnapshot?: boolean;
  /**
   * This cluster's side of Kafka MirrorMaker 2 (DR): `source` is prod, whose Kafka has the mm2 listener;
   * `target` is the standby, where MirrorMaker 2 runs and writes into its own Kafka. @default undefined
   */
  readonly kafkaMirror?: 'source' | 'target';
  /**
   * With kafkaMirror: the other region's VPC (STANDBY_VPC in prod, PRIMARY_VPC in the standby) is a named
   * outside address of the reachability input. It may reach and be reached as any outside address is, and in
   * addition only by MirrorMaker 2's path. The plan's input has only `outside`, which no rule admitting a
   * peered-VPC CIDR matches. @default false
   */
  readonly peerVpcs?: boolean;
}

/** Namespaces whose pods' egress is not ours to decide (no policies of the platform run there). */
export const UNMANAGED_NAMESPACES = ['kube-system'] as const;
export const OUTSIDE = 'outside';
export const KUBE_DNS = 'kube-system/kube-dns';
/** The other region's VPC, over the DR peering: outside addresses the MirrorMaker 2 edges name. */
export const PRIMARY_VPC = 'primary-vpc';
export const STANDBY_VPC = 'standby-vpc';

const KUBE_API_PORTS = [443, 6443];
const SERVICE_PORT = 8080;

/** Which cluster of a stack is compared: the primary, or the DR standby (its own cluster and policies). */
export type NetworkSide = 'primary' | 'standby';

/**
 * The facts of a validated stack config. The standby's are those of its derived spec (stacks/standby-spec.ts:
 * no `dr`, so nothing of the primary's DR side such as the snapshot job or the mm2 listener).
 */
export function networkFactsOf(spec: EnvironmentSpec, side: NetworkSide = 'primary'): NetworkFacts {
  if (side === 'standby') {
    const derived = standbySpec(spec);
    if (derived === undefined) {
      throw new Error(`${spec.name}: no DR standby to compare (platform:dr.enabled is not true)`);
    }
    // Not yet kafkaMirror 'target': the plan's inventory (tools/reachability/plan-pods.ts) lists no
    // MirrorMaker 2 pods, so their edges would show as missing; stacks/kafka-mirror-plan.test.ts adds them.
    return networkFactsOf(derived);
  }
  const zones =
    spec.cluster.tier === 'eks' ? spec.cluster.availabilityZones.length : spec.cluster.zones.count;
  return {
    namespaces: spec.namespaces,
    services: spec.services.map((s) => ({ name: s.name, blueGreen: s.delivery.strategy === 'blueGreen' })),
    alertmanager: spec.monitoring.level !== 'basic',
    backupStorePort: backupStorePort(spec),
    telemetryObjectStorage:
      spec.cluster.tier === 'eks' &&
      (spec.monitoring.logs.bucket !== undefined || spec.monitoring.traces.bucket !== undefined),
    kafkaRackAwareness: zones > 1,
    dns01: spec.certificates.issuer === 'acme',
    // The data layer gives prod's Kafka the mm2 listener with DR (stacks/data-layer.ts mirrorMakerListenerOf).
    ...(spec.dr?.enabled === true && { kafkaMirror: 'source' as const }),
    // The data layer renders the snapshot CronJob with DR (stacks/data-layer.ts redisSnapshotOf) and the plan's
    // inventory lists CronJob pods (tools/reachability/plan-pods.ts); the standby's derived spec has no `dr`.
    redisSnapshot: spec.dr?.enabled === true,
  };
}

/** The port of the backup store: AWS S3 on EKS, else the configured endpoint's (https 443, http 80). */
export function backupStorePort(spec: EnvironmentSpec): number {
  if (spec.cluster.tier === 'eks') return 443;
  const url = new URL(spec.backup.storage.endpointUrl ?? 'https://s3.amazonaws.com');
  return url.port !== '' ? Number(url.port) : url.protocol === 'http:' ? 80 : 443;
}

/** Every intended edge of an environment, sorted, each once. */
export function intendedNetwork(facts: NetworkFacts): IntendedEdge[] {
  const ns = facts.namespaces;
  const edges: IntendedEdge[] = [];
  const add = (
    from: string | readonly string[],
    to: string | readonly string[],
    ports: readonly number[],
    why: string,
    protocol: IntendedProtocol = 'TCP',
  ) => {
    for (const f of typeof from === 'string' ? [from] : from)
      for (const t of typeof to === 'string' ? [to] : to)
        for (const port of ports) edges.push({ from: f, to: t, port, protocol, why });
  };
  const pod = (namespace: string, app: string) => `${namespace}/${app}`;
  const apps = (name: string) => pod(ns.apps, name);
  const data = (app: string) => pod(ns.data, app);
  const mon = (app: string) => pod(ns.monitoring, app);
  const plat = (app: string) => pod(ns.platform, app);

  const deployed = new Set(facts.services.map((s) => s.name));
  const services = facts.services.map((s) => s.name);
  const mongod = data(MONGODB_CLUSTER);
  const redis = data(REDIS_NAME);
  const sentinel = data(`${REDIS_NAME}-sentinel`);
  const kafka = data(KAFKA_NAME);
  const entityOperator = data(`${KAFKA_NAME}-entity-operator`);
  const kafkaExporter = data(`${KAFKA_NAME}-kafka-exporter`);
  const strimzi = data('strimzi-cluster-operator');
  const psmdbOperator = data('psmdb-operator');
  const prometheus = mon('prometheus');
  const alertmanager = mon('alertmanager');
  const grafana = mon('grafana');
  const lokiGateway = mon('loki-gateway');
  const loki = mon('loki');
  const tempo = mon('tempo');
  const alloy = mon('alloy');
  const rollouts = plat('argo-rollouts');
  const proxy = plat('envoy-proxy');
  const envoyGateway = plat('envoy-gateway');
  const certManager = plat('cert-manager');

  const redisSnapshot = data(`${REDIS_NAME}-snapshot`);
  // Strimzi names MirrorMaker 2's pods `<name>-mirrormaker2` (strimzi.io/name).
  const mirrorMaker = data(`${DEFAULT_MIRROR_NAME}-mirrormaker2`);

  const pods = [
    ...services.map(apps),
    ...[mongod, psmdbOperator, redis, sentinel, kafka, entityOperator, kafkaExporter, strimzi],
    ...(facts.redisSnapshot === true ? [redisSnapshot] : []),
    ...(facts.kafkaMirror === 'target' ? [mirrorMaker] : []),
    prometheus,
    ...(facts.alertmanager ? [alertmanager] : []),
    grafana,
    mon('kube-state-metrics'),
    mon('operator'),
    mon('admission-create'),
    mon('admission-patch'),
    alloy,
    loki,
    lokiGateway,
    tempo,
    rollouts,
    certManager,
    plat('cert-manager-cainjector'),
    plat('cert-manager-webhook'),
    envoyGateway,
    proxy,
  ];
  add(pods, KUBE_DNS, [53], 'name resolution', 'UDP');
  add(pods, KUBE_DNS, [53], 'name resolution (TCP for large answers)');

  // The services, from the catalog.
  const storePorts: Record<DataStore, [string, number][]> = {
    mongodb: [[mongod, 27017]],
    redis: [
      [redis, 6379],
      [sentinel, 26379],
    ],
    kafka: [[kafka, 9093]],
  };
  for (const s of facts.services) {
    const entry = SERVICE_CATALOG[s.name];
    const self = apps(s.name);
    for (const store of entry.stores)
      for (const [to, port] of storePorts[store]) add(self, to, [port], `${s.name} uses ${store}`);
    for (const callee of entry.calls.filter((c) => deployed.has(c)))
      add(self, apps(callee), [SERVICE_PORT], `${s.name} calls ${callee}`);
    add(self, alloy, [4318], 'traces over OTLP/HTTP');
    add(prometheus, self, [SERVICE_PORT], 'metrics scrape');
    if (entry.public) add(proxy, self, [SERVICE_PORT], 'public route on the gateway');
    if (s.blueGreen) add(rollouts, self, [SERVICE_PORT], 'blue-green pre-promotion smoke check');
  }

  // MongoDB: members replicate; the operator manages them; the backup agents upload to the store.
  add([mongod, psmdbOperator], mongod, [27017], 'replica set members and their operator');
  add(mongod, OUTSIDE, [facts.backupStorePort], 'PBM backups and oplog chunks to S3');
  add(psmdbOperator, OUTSIDE, KUBE_API_PORTS, 'operator watches the API');
  add(prometheus, mongod, [9216], 'mongodb_exporter sidecar');
  add(prometheus, psmdbOperator, [8080], 'operator metrics');

  // Redis: data nodes replicate, sentinels watch them and each other.
  add([redis, sentinel], redis, [6379], 'replication and sentinel checks');
  add([redis, sentinel], sentinel, [26379], 'sentinel gossip and discovery');
  add(prometheus, [redis, sentinel], [9121], 'redis_exporter sidecars');
  if (facts.redisSnapshot === true) {
    add(redisSnapshot, sentinel, [26379], 'the snapshot job asks a sentinel for the master');
    add(redisSnapshot, redis, [6379], 'the snapshot job reads the RDB from the master');
    add(redisSnapshot, OUTSIDE, [facts.backupStorePort], 'the snapshot job uploads to the backup store (S3)');
  }

  // Kafka: Strimzi's components of the cluster reach each other on the cluster's ports (Strimzi's own
  // generated policy is off, charts/kafka-cluster renders the whole set).
  const strimziPods = [kafka, entityOperator, kafkaExporter, strimzi];
  add(strimziPods, kafka, [8443, 9090, 9091, 9093, 9404], 'Strimzi components of one cluster');
  add(strimziPods, entityOperator, [8080, 8081], 'Strimzi components of one cluster');
  add(strimziPods, kafkaExporter, [9404], 'Strimzi components of one cluster');
  add([entityOperator, strimzi], OUTSIDE, KUBE_API_PORTS, 'operators watch the API');
  if (facts.kafkaRackAwareness) add(kafka, OUTSIDE, KUBE_API_PORTS, 'rack awareness reads the node’s zone');
  add(prometheus, [kafka, kafkaExporter], [9404], 'JMX and lag exporters');
  add(prometheus, entityOperator, [8080, 8081], 'topic and user operator metrics');
  add(prometheus, strimzi, [8080], 'operator metrics');
  // DR: MirrorMaker 2 runs in the standby and reads prod's MirrorMaker listener over the VPC peering.
  if (facts.kafkaMirror === 'source') {
    // The cluster's own policy admits its components on every port of the brokers, the listener's too.
    add(strimziPods, kafka, [MIRROR_MAKER_LISTENER_PORT], 'Strimzi components of one cluster');
    if (facts.peerVpcs === true) {
      add(
        STANDBY_VPC,
        kafka,
        [MIRROR_MAKER_LISTENER_PORT],
        'MirrorMaker 2 in the standby reads the mm2 listener',
      );
    }
  }
  if (facts.kafkaMirror === 'target') {
    if (facts.peerVpcs === true) {
      add(mirrorMaker, PRIMARY_VPC, [MIRROR_MAKER_LISTENER_PORT], 'MirrorMaker 2 reads prod’s mm2 listener');
    }
    add(mirrorMaker, kafka, [9093], 'MirrorMaker 2 writes into the standby’s brokers');
    add(
      [strimzi, mirrorMaker],
      mirrorMaker,
      [CONNECT_REST_PORT],
      'the operator manages the connectors; workers forward to the leader',
    );
    add(prometheus, mirrorMaker, [MIRROR_METRICS_PORT], 'MirrorMaker 2 JMX metrics');
  }

  // Monitoring.
  add(prometheus, prometheus, [8080, 9090], 'Prometheus scrapes itself and its reloader');
  add(prometheus, mon('kube-state-metrics'), [8080, 8081], 'kube-state-metrics');
  add(prometheus, mon('operator'), [10250], 'operator metrics');
  add(prometheus, grafana, [3000], 'Grafana metrics');
  add(prometheus, OUTSIDE, [9100, 10250], 'node-exporter and kubelets on the nodes');
  add(prometheus, rollouts, [8090], 'Rollouts controller metrics');
  add(
    [
      prometheus,
      grafana,
      alloy,
      mon('kube-state-metrics'),
      mon('operator'),
      mon('admission-create'),
      mon('admission-patch'),
    ],
    OUTSIDE,
    KUBE_API_PORTS,
    'the Kubernetes API (discovery, sidecars, webhooks’ certificates)',
  );
  add(OUTSIDE, mon('operator'), [10250], 'the API server calls the admission webhook');
  add(grafana, prometheus, [9090], 'dashboards');
  add([grafana, alloy], lokiGateway, [8080], 'logs pushed and queried through the gateway');
  add(lokiGateway, loki, [3100], 'the gateway forwards to Loki');
  add(loki, loki, [3100, 9095, 7946], 'Loki components (HTTP, gRPC, memberlist)');
  add(grafana, tempo, [3200], 'trace queries');
  add(alloy, tempo, [4317], 'traces forwarded over OTLP/gRPC');
  if (facts.telemetryObjectStorage) add([loki, tempo], OUTSIDE, [443], 'chunks and blocks in S3');
  if (facts.alertmanager) {
    add(prometheus, alertmanager, [8080, 9093], 'alerts and reloader metrics');
    add(grafana, alertmanager, [9093], 'alert views');
    add(alertmanager, alertmanager, [9094], 'cluster gossip');
    add(alertmanager, alertmanager, [9094], 'cluster gossip', 'UDP');
    add(alertmanager, OUTSIDE, [443], 'chat, paging and heartbeat receivers');
  }

  // Platform: each controller reaches the API; the API server calls the webhooks; the internet reaches the
  // proxies, which reach the public services and their controller's xDS.
  add(
    [rollouts, certManager, plat('cert-manager-cainjector'), plat('cert-manager-webhook'), envoyGateway],
    OUTSIDE,
    KUBE_API_PORTS,
    'controllers watch the API',
  );
  add(OUTSIDE, plat('cert-manager-webhook'), [10250], 'the API server calls the webhook');
  add(OUTSIDE, envoyGateway, [9443], 'the API server calls the webhook');
  add(OUTSIDE, proxy, [10080, 10443], 'internet traffic on the Gateway’s 80 and 443');
  add(proxy, envoyGateway, [18000], 'xDS configuration');
  add(rollouts, prometheus, [9090], 'analysis queries');
  if (facts.dns01) {
    add(certManager, OUTSIDE, [53], 'DNS-01 self-check at the authoritative nameservers', 'UDP');
    add(certManager, OUTSIDE, [53], 'DNS-01 self-check at the authoritative nameservers');
  }

  // The peered VPC is outside the cluster: what any outside address may do, it may do (its own path is above).
  const peerVpc =
    facts.peerVpcs === true && facts.kafkaMirror !== undefined
      ? { source: STANDBY_VPC, target: PRIMARY_VPC }[facts.kafkaMirror]
      : undefined;
  if (peerVpc !== undefined) {
    const rename = (id: string) => (id === OUTSIDE ? peerVpc : id);
    for (const e of edges.filter((x) => x.from === OUTSIDE || x.to === OUTSIDE)) {
      edges.push({ ...e, from: rename(e.from), to: rename(e.to) });
    }
  }

  const seen = new Set<string>();
  return edges
    .filter((e) => {
      const key = `${e.from} ${e.to} ${e.port} ${e.protocol}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort(
      (a, b) =>
        a.from.localeCompare(b.from) ||
        a.to.localeCompare(b.to) ||
        a.port - b.port ||
        a.protocol.localeCompare(b.protocol),
    );
}
