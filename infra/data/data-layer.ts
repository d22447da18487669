import type * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type {
  ContainerResources,
  KafkaClusterProps,
  MirrorMakerListener,
  NetworkPeer,
  Placement,
} from '../../charts';
import type { BackupStorage, SecretBackend } from '../cluster';
import { DistributedSecret } from './distributed-secret';
import { KafkaCluster, type KafkaUserNeeds } from './kafka-cluster';
import { MongoDbCluster, type MongoBackupPlan } from './mongodb-cluster';
import { RedisSentinel, type RedisSnapshotPlan } from './redis-sentinel';

/** Which stores a service uses, and its Kafka topics. */
export interface ServiceDataNeeds {
  readonly name: string;
  readonly mongodb: boolean;
  readonly redis: boolean;
  /** Undefined when the service does not use Kafka. */
  readonly kafka?: Omit<KafkaUserNeeds, 'name'>;
}

export interface DataLayerArgs {
  readonly provider: k8s.Provider;
  readonly secretBackend: SecretBackend;
  readonly namespaces: { readonly data: string; readonly apps: string; readonly monitoring: string };
  readonly storageClass: string;
  /** The node label naming failure domains and how many there are. */
  readonly zones: { readonly topologyKey: string; readonly count: number };
  readonly placement: Placement;
  readonly mongodb: {
    readonly members: number;
    readonly storage: string;
    readonly resources: ContainerResources;
    readonly backup: MongoBackupPlan & { readonly storage: BackupStorage };
  };
  readonly redis: {
    readonly dataNodes: number;
    readonly sentinels: number;
    readonly quorum: number;
    readonly storage: string;
    readonly resources: ContainerResources;
    /** The daily RDB snapshot to the backup bucket (DR); absent: none. */
    readonly snapshot?: RedisSnapshotPlan;
  };
  readonly kafka: {
    readonly nodePools: KafkaClusterProps['nodePools'];
    readonly config: KafkaClusterProps['config'];
    readonly topics: KafkaClusterProps['topics'];
    /** DR primary only: the listener the standby's MirrorMaker 2 reads through; absent: none. */
    readonly mirrorMakerListener?: MirrorMakerListener;
  };
  readonly services: readonly ServiceDataNeeds[];
  /** The pods of a service, as a NetworkPolicy peer. */
  readonly servicePeer: (service: string) => NetworkPeer;
  readonly dependsOn: readonly pulumi.Resource[];
}

/** How a service reaches the data stores: plain settings, and Secrets whose keys become env vars. */
export interface ServiceDataAccess {
  readonly env: Readonly<Record<string, string>>;
  readonly secretNames: readonly string[];
  /** The Secrets (or ExternalSecrets) and stores the service waits for. */
  readonly ready: readonly pulumi.Resource[];
}

const HOSTNAME = 'kubernetes.io/hostname';

/**
 * Spread over zones when there is a zone for every member (required anti-affinity would leave the rest
 * Pending), else over hosts.
 */
function antiAffinityKey(
  zones: DataLayerArgs['zones'],
  members: number,
): 'kubernetes.io/hostname' | 'topology.kubernetes.io/zone' {
  return zones.count >= members && zones.topologyKey === 'topology.kubernetes.io/zone'
    ? 'topology.kubernetes.io/zone'
    : HOSTNAME;
}

/**
 * The three data stores of an environment and each service's connection settings. Every store admits only
 * the services that use it (and its operator and monitoring); every password is generated here and reaches
 * the services through one Secret per service in the apps namespace.
 */
export class DataLayer extends pulumi.ComponentResource {
  readonly mongodb: MongoDbCluster;
  readonly redis: RedisSentinel;
  readonly kafka: KafkaCluster;
  readonly services: Readonly<Record<string, ServiceDataAccess>>;

  constructor(name: string, args: DataLayerArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:data:DataLayer', name, {}, opts);
    const ns = args.namespaces;
    const common = {
      provider: args.provider,
      secretBackend: args.secretBackend,
      namespace: ns.data,
      monitoringNamespace: ns.monitoring,
      storageClass: args.storageClass,
      placement: args.placement,
      dependsOn: args.dependsOn,
    };
    const users = (store: 'mongodb' | 'redis' | 'kafka') =>
      args.services.filter((s) => (store === 'kafka' ? s.kafka !== undefined : s[store]));
    const clients = (store: 'mongodb' | 'redis' | 'kafka') =>
      users(store).map((s) => args.servicePeer(s.name));

    this.mongodb = new MongoDbCluster(
      `${name}-mongodb`,
      {
        ...common,
        members: args.mongodb.members,
        storage: args.mongodb.storage,
        resources: args.mongodb.resources,
        antiAffinityTopologyKey: antiAffinityKey(args.zones, args.mongodb.members),
        services: users('mongodb').map((s) => s.name),
        clients: clients('mongodb'),
        backup: args.mongodb.backup,
      },
      { parent: this },
    );
    this.redis = new RedisSentinel(
      `${name}-redis`,
      {
        ...common,
        dataNodes: args.redis.dataNodes,
        sentinels: args.redis.sentinels,
        quorum: args.redis.quorum,
        storage: args.redis.storage,
        resources: args.redis.resources,
        antiAffinityTopologyKey: antiAffinityKey(
          args.zones,
          Math.max(args.redis.dataNodes, args.redis.sentinels),
        ),
        clients: clients('redis'),
        ...(args.redis.snapshot && { snapshot: args.redis.snapshot }),
      },
      { parent: this },
    );
    const brokers =
      args.kafka.nodePools.mode === 'combined'
        ? args.kafka.nodePools.replicas
        : args.kafka.nodePools.brokers.replicas;
    this.kafka = new KafkaCluster(
      `${name}-kafka`,
      {
        ...common,
        appsNamespace: ns.apps,
        nodePools: args.kafka.nodePools,
        // Replicas of a partition go to different zones when the cluster has several.
        ...(args.zones.count > 1 && { rackTopologyKey: args.zones.topologyKey }),
        antiAffinityTopologyKey: antiAffinityKey(args.zones, brokers),
        config: args.kafka.config,
        topics: args.kafka.topics,
        users: users('kafka').map((s) => ({ name: s.name, ...s.kafka! })),
        clients: clients('kafka'),
        ...(args.kafka.mirrorMakerListener && { mirrorMakerListener: args.kafka.mirrorMakerListener }),
      },
      { parent: this },
    );

    const services: Record<string, ServiceDataAccess> = {};
    for (const service of args.services) {
      services[service.name] = this.serviceAccess(name, service, args);
    }
    this.services = services;
    this.registerOutputs({
      mongodb: { replicaSet: this.mongodb.replicaSet, hosts: this.mongodb.hosts },
      redis: { sentinels: this.redis.sentinels, masterName: this.redis.masterName },
      kafka: { bootstrapServers: this.kafka.bootstrapServers },
    });
  }

  /** One Secret per service with exactly its credentials, and the plain settings beside it. */
  private serviceAccess(name: string, service: ServiceDataNeeds, args: DataLayerArgs): ServiceDataAccess {
    const env: Record<string, string> = {};
    const secret: Record<string, pulumi.Input<string>> = {};
    const ready: pulumi.Resource[] = [];
    const secretNames = [`${service.name}-data`];
    if (service.mongodb) {
      const access = this.mongodb.access[service.name]!;
      // The services choose their adapters by these switches; memory is their default for local runs.
      env.STORAGE = 'mongo';
      env.MONGODB_DATABASE = access.database;
      env.MONGODB_REPLICA_SET = this.mongodb.replicaSet;
      secret.MONGODB_URI = access.uri;
      ready.push(...this.mongodb.ready);
    }
    if (service.redis) {
      env.CACHE = 'redis';
      env.REDIS_SENTINELS = this.redis.sentinels.map((s) => `${s.host}:${s.port}`).join(',');
      env.REDIS_MASTER_NAME = this.redis.masterName;
      secret.REDIS_PASSWORD = this.redis.password;
      ready.push(...this.redis.ready);
    }
    if (service.kafka !== undefined) {
      const access = this.kafka.access[service.name]!;
      env.EVENTS = 'kafka';
      env.KAFKA_BROKERS = this.kafka.bootstrapServers;
      env.KAFKA_SASL_MECHANISM = this.kafka.mechanism;
      env.KAFKA_CLIENT_ID = service.name;
      if (service.kafka.groups.length > 0) env.KAFKA_CONSUMER_GROUP = service.kafka.groups[0]!;
      secret.KAFKA_USERNAME = access.username;
      secret.KAFKA_PASSWORD = access.password;
      secretNames.push(this.kafka.caSecret);
      ready.push(...this.kafka.ready);
    }
    const distributed = new DistributedSecret(
      `${name}-${service.name}-data`,
      {
        provider: args.provider,
        backend: args.secretBackend,
        secretName: `${service.name}-data`,
        namespaces: [args.namespaces.apps],
        data: secret,
        labels: { 'app.kubernetes.io/name': service.name },
        dependsOn: args.dependsOn,
      },
      { parent: this },
    );
    return { env, secretNames, ready: [...distributed.ready, ...ready] };
  }
}
