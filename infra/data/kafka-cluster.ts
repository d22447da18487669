import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import {
  KafkaClusterChart,
  kafkaConnection,
  synthesize,
  type KafkaClusterProps,
  type MirrorMakerListener,
  type NetworkPeer,
  type Placement,
} from '../../charts';
import type { SecretBackend } from '../cluster';
import { applyObjects, pinnedRelease } from '../kubernetes';
import { CHARTS, DATA_IMAGES } from '../versions';
import { generatedPassword } from './generated-password';
import { withAnnotations } from './with-annotations';

export const KAFKA_NAME = 'kafka';
/** Labels of the Strimzi cluster operator's pods. */
export const STRIMZI_OPERATOR_POD_LABELS = { 'strimzi.io/kind': 'cluster-operator' } as const;
/** The Secret in the apps namespace with the cluster CA certificate clients verify the brokers with. */
export const KAFKA_CA_SECRET = 'kafka-cluster-ca';

export interface KafkaUserNeeds {
  /** The service: also the Kafka user and its consumer group. */
  readonly name: string;
  readonly produces: readonly string[];
  readonly consumes: readonly string[];
  readonly groups: readonly string[];
}

export interface KafkaClusterArgs {
  readonly provider: k8s.Provider;
  readonly secretBackend: SecretBackend;
  readonly namespace: string;
  /** Where the services run: the cluster CA certificate is copied there. */
  readonly appsNamespace: string;
  readonly monitoringNamespace: string;
  readonly nodePools: KafkaClusterProps['nodePools'];
  readonly storageClass: string;
  readonly rackTopologyKey?: string;
  readonly antiAffinityTopologyKey: string;
  readonly placement: Placement;
  readonly config: KafkaClusterProps['config'];
  readonly topics: KafkaClusterProps['topics'];
  readonly users: readonly KafkaUserNeeds[];
  readonly clients: readonly NetworkPeer[];
  /**
   * DR primary only: the MirrorMaker listener (internal NLBs) the standby's MirrorMaker 2 reads through.
   * @default undefined (no such listener)
   */
  readonly mirrorMakerListener?: MirrorMakerListener;
  readonly dependsOn: readonly pulumi.Resource[];
}

export interface KafkaAccess {
  readonly username: string;
  /** SCRAM-SHA-512 password, a Pulumi secret. */
  readonly password: pulumi.Output<string>;
}

/**
 * Kafka for one environment: the Strimzi operator (pinned release, watching the data namespace), a generated
 * SCRAM password per service, and the KRaft cluster with its node pools, topics and users
 * (charts/kafka-cluster). Pulumi waits until Strimzi reports the cluster Ready, then copies the cluster CA
 * certificate (public) next to the services, which verify the brokers' TLS with it.
 */
export class KafkaCluster extends pulumi.ComponentResource {
  readonly bootstrapServers: string;
  readonly mechanism: string;
  readonly access: Readonly<Record<string, KafkaAccess>>;
  readonly caSecret: string;
  readonly ready: pulumi.Resource[];

  constructor(name: string, args: KafkaClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:data:KafkaCluster', name, {}, opts);
    const ns = args.namespace;
    const onCluster = (...deps: pulumi.Resource[]) => ({
      parent: this,
      provider: args.provider,
      dependsOn: [...args.dependsOn, ...deps],
    });

    const operator = pinnedRelease(
      `${name}-operator`,
      CHARTS.strimzi,
      {
        releaseName: 'strimzi',
        namespace: ns,
        values: {
          replicas: 1,
          watchAnyNamespace: false,
          // Our own policies (charts/kafka-cluster) are the whole set: Strimzi's generated one would admit
          // its metrics port from every namespace and is invisible to the plan's reachability proof.
          generateNetworkPolicy: false,
          resources: { requests: { cpu: '200m', memory: '384Mi' }, limits: { cpu: '1', memory: '384Mi' } },
        },
      },
      onCluster(),
    );

    const access: Record<string, KafkaAccess> = {};
    const userSecrets: pulumi.Resource[] = [];
    for (const user of args.users) {
      const { password, ready } = generatedPassword(
        `${name}-${user.name}-user`,
        {
          provider: args.provider,
          backend: args.secretBackend,
          secretName: `kafka-user-${user.name}`,
          namespace: ns,
          dependsOn: args.dependsOn,
        },
        this,
      );
      userSecrets.push(...ready);
      access[user.name] = { username: user.name, password };
    }

    const props: KafkaClusterProps = {
      namespace: ns,
      name: KAFKA_NAME,
      version: DATA_IMAGES.kafkaVersion,
      nodePools: args.nodePools,
      storageClass: args.storageClass,
      ...(args.rackTopologyKey !== undefined && { rackTopologyKey: args.rackTopologyKey }),
      antiAffinityTopologyKey: args.antiAffinityTopologyKey,
      placement: args.placement,
      config: args.config,
      topics: args.topics,
      users: args.users.map((u) => ({
        ...u,
        passwordSecret: { name: `kafka-user-${u.name}`, key: 'password' },
      })),
      clients: args.clients,
      ...(args.mirrorMakerListener !== undefined && { mirrorMakerListener: args.mirrorMakerListener }),
      operatorPodLabels: STRIMZI_OPERATOR_POD_LABELS,
      monitoringNamespace: args.monitoringNamespace,
    };
    const objects = withAnnotations(
      synthesize((app) => new KafkaClusterChart(app, 'kafka', props)),
      'Kafka',
      { 'pulumi.com/waitFor': 'condition=Ready' },
    );
    const cluster = applyObjects(`${name}-cluster`, objects, onCluster(operator, ...userSecrets));

    // The id is unknown until the cluster exists, so a first preview skips the read instead of failing on a
    // Secret that Strimzi has not written yet.
    const connection = kafkaConnection(props);
    // ConfigGroup keys its children by `<apiVersion>/<kind>::<resourcePrefix>-<namespace>/<name>`.
    const kafkaKey = `kafka.strimzi.io/v1beta2/Kafka::${name}-cluster-${ns}/${KAFKA_NAME}`;
    const caId = cluster.resources
      .apply((children) => (children[kafkaKey] as k8s.apiextensions.CustomResource | undefined)?.metadata)
      .apply(() => `${ns}/${connection.clusterCaSecret}`);
    const ca = k8s.core.v1.Secret.get(`${name}-cluster-ca-read`, caId, {
      parent: this,
      provider: args.provider,
    });
    const caCopy = new k8s.core.v1.Secret(
      `${name}-cluster-ca`,
      {
        metadata: {
          name: KAFKA_CA_SECRET,
          namespace: args.appsNamespace,
          labels: { 'app.kubernetes.io/name': 'kafka', 'app.kubernetes.io/managed-by': 'platform' },
        },
        type: 'Opaque',
        data: { KAFKA_CA_CERT: ca.data.apply((d) => d?.['ca.crt'] ?? '') },
      },
      onCluster(cluster),
    );

    this.bootstrapServers = connection.bootstrapServers;
    this.mechanism = connection.mechanism;
    this.access = access;
    this.caSecret = KAFKA_CA_SECRET;
    this.ready = [operator, cluster, caCopy];
    this.registerOutputs({ bootstrapServers: this.bootstrapServers, caSecret: this.caSecret });
  }
}
