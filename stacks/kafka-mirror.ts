import * as aws from '@pulumi/aws';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { DEFAULT_MIRROR_NAME, MIRROR_MAKER_LISTENER_NAME } from '../charts';
import type { KafkaMirrorTarget } from '../charts/monitoring-rules';
import type { EksCluster } from '../infra/cluster';
import { KAFKA_NAME, KafkaMirror } from '../infra/data';
import type { LoadedEnvironment } from './config';
import { eventTopics, serviceDataNeeds } from './data-layer';
import type { DrLinks } from './dr-links';
import type { Environment } from './environment';
import { MIRROR_BOOTSTRAP_LABEL, mirrorSourceBootstrap } from './mirror-bootstrap';
import type { EnvironmentSpec } from './spec';

export { MIRROR_BOOTSTRAP_LABEL, mirrorSourceBootstrap };

/** Strimzi's name for a `loadbalancer` listener's bootstrap Service: `<cluster>-kafka-<listener>-bootstrap`. */
export const MIRROR_BOOTSTRAP_SERVICE = `${KAFKA_NAME}-kafka-${MIRROR_MAKER_LISTENER_NAME}-bootstrap`;
/** Short: MirrorMaker 2 follows a replaced bootstrap NLB within a minute of the record's update. */
const RECORD_TTL_SECONDS = 60;

/** The standby's KafkaMirror* alerts: the lag budget of the spec, checkpoints allowed one emit + sync. */
export function mirrorMakerAlerts(spec: EnvironmentSpec): KafkaMirrorTarget | undefined {
  if (spec.dr?.enabled !== true) return undefined;
  const mm = spec.dr.kafka.mirrorMaker;
  return {
    name: DEFAULT_MIRROR_NAME,
    replicationLagBudgetSeconds: mm.replicationLagBudgetSeconds,
    checkpointLagBudgetSeconds: mm.emitCheckpointsIntervalSeconds + mm.syncGroupOffsetsIntervalSeconds,
  };
}

/** What is mirrored: the data layer's topics (the patterns pick among them) and every consumer group. */
export function mirrorSelection(spec: EnvironmentSpec): { knownTopics: string[]; groups: string[] } {
  const needs = serviceDataNeeds(spec.services.map((s) => s.name));
  return {
    knownTopics: (eventTopics(spec.data.kafka) ?? []).map((t) => t.name),
    groups: [...new Set(needs.flatMap((n) => n.kafka?.groups ?? []))].sort(),
  };
}

/** The MirrorMaker 2 in the standby while prod serves; 0 after the reviewed failover stops the mirror. */
export function mirrorMakerReplicas(spec: EnvironmentSpec): number {
  return spec.dr?.failover.serve === 'standby' ? 0 : 1;
}

export interface KafkaMirrorSites {
  readonly primary: { readonly environment: Environment; readonly eks: EksCluster };
  readonly standby: { readonly environment: Environment };
  readonly links: DrLinks;
}

/**
 * Kafka MirrorMaker 2 from prod into the DR standby (issue 18): the fixed bootstrap name as a Route 53 record
 * (a CNAME to the listener's bootstrap NLB, read from its Service once Strimzi reports the cluster Ready), then
 * KafkaMirror (source user in prod, MirrorMaker 2 in the standby), after the peering's routes. The listener
 * itself is the data layer's (mirrorMakerListenerOf in stacks/data-layer.ts).
 */
export function mirrorKafka(loaded: LoadedEnvironment, sites: KafkaMirrorSites): KafkaMirror {
  const { spec } = loaded;
  const dr = spec.dr;
  if (dr?.enabled !== true || spec.cluster.tier !== 'eks') {
    throw new Error(`${spec.name}: mirrorKafka needs platform:dr.enabled on an EKS cluster`);
  }
  const primaryVpcCidr = spec.cluster.vpcCidr;
  const { host, bootstrap } = mirrorSourceBootstrap(spec);
  const zoneId = spec.dns!.hostedZoneId;
  const primary = sites.primary.environment;
  const standby = sites.standby.environment;
  const ns = spec.namespaces;
  const name = `${spec.name}-kafka-mirror`;

  // Ids unknown until the cluster exists: a first preview skips the read instead of failing on it.
  const kafkaReady = primary.data.kafka.ready.filter(
    (r): r is pulumi.CustomResource => r instanceof pulumi.CustomResource,
  );
  const serviceId = pulumi
    .all(kafkaReady.map((r) => r.id))
    .apply(() => `${ns.data}/${MIRROR_BOOTSTRAP_SERVICE}`);
  const service = k8s.core.v1.Service.get(`${name}-bootstrap-read`, serviceId, {
    provider: primary.cluster.provider,
    dependsOn: [...primary.data.kafka.ready],
  });
  const nlb = service.status.apply((status) => {
    const hostname = status?.loadBalancer?.ingress?.[0]?.hostname;
    if (hostname !== undefined && hostname !== '') return hostname;
    // Strimzi reports Ready only once the NLB has an address; the offline plan's reads carry no status.
    if (pulumi.runtime.isDryRun()) return `${MIRROR_BOOTSTRAP_SERVICE}.nlb.invalid`;
    throw new Error(
      `${spec.name}: Service ${ns.data}/${MIRROR_BOOTSTRAP_SERVICE} has no load balancer hostname yet (status.loadBalancer.ingress is empty)`,
    );
  });
  const record = new aws.route53.Record(
    `${name}-bootstrap`,
    { zoneId, name: host, type: 'CNAME', ttl: RECORD_TTL_SECONDS, records: [nlb] },
    { provider: sites.primary.eks.awsProvider },
  );

  const { knownTopics, groups } = mirrorSelection(spec);
  return new KafkaMirror(name, {
    standbyName: `${spec.name}-standby-kafka-mirror`,
    primary: {
      provider: primary.cluster.provider,
      secretBackend: primary.cluster.secretBackend,
      namespace: ns.data,
      dependsOn: [...primary.data.kafka.ready],
    },
    standby: {
      provider: standby.cluster.provider,
      secretBackend: standby.cluster.secretBackend,
      namespace: ns.data,
      monitoringNamespace: ns.monitoring,
      placement: standby.cluster.dataPlacement,
      replicas: mirrorMakerReplicas(spec),
      // MirrorMaker 2 reaches prod over the peering, by the record's name.
      dependsOn: [...standby.data.kafka.ready, ...sites.links.peering.routes, record],
    },
    sourceBootstrap: bootstrap,
    primaryVpcCidr,
    mirrorMaker: dr.kafka.mirrorMaker,
    knownTopics,
    groups,
  });
}
