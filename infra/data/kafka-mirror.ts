import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { synthesize, type ContainerResources, type Placement } from '../../charts';
import {
  DEFAULT_SOURCE_USER,
  KafkaMirrorMakerChart,
  KafkaMirrorSourceChart,
  type MirrorSelection,
} from '../../charts/kafka-mirror-maker';
import { MIRROR_MAKER_LISTENER_PORT } from '../../charts/kafka-cluster';
import type { SecretBackend } from '../cluster';
import { applyObjects } from '../kubernetes';
import { DATA_IMAGES } from '../versions';
import { generatedPassword } from './generated-password';
import { KAFKA_NAME } from './kafka-cluster';

/** The Secret, in both Kafka namespaces, with the source user's password (key `password`). */
export const MIRROR_SOURCE_PASSWORD_SECRET = `kafka-user-${DEFAULT_SOURCE_USER}`;
/** The Secret in the standby's Kafka namespace with prod's cluster CA certificate (`ca.crt`, public). */
export const MIRROR_SOURCE_CA_SECRET = 'kafka-source-cluster-ca';
const BOOTSTRAP = /^[A-Za-z0-9.-]+:[0-9]{1,5}$/;
/** Rendered in place of the bootstrap address, which is only known once the NLB exists. */
const BOOTSTRAP_PLACEHOLDER = 'bootstrap.invalid:9094';

/** One cluster's side of the mirror: where its Kafka runs and how Pulumi writes there. */
export interface KafkaMirrorSide {
  readonly provider: k8s.Provider;
  readonly secretBackend: SecretBackend;
  /** The Kafka namespace of that cluster. */
  readonly namespace: string;
  /** Resources that must exist first (that cluster's KafkaCluster.ready). */
  readonly dependsOn: readonly pulumi.Resource[];
}

export interface KafkaMirrorArgs {
  /**
   * Prefix of the standby-side resources' names, so they match the standby's URN pattern (a region outage
   * updates only `prod-standby-…` resources; see the README).
   * @default `<name>-standby`
   */
  readonly standbyName?: string;
  /** Prod's cluster (the source): gets the source KafkaUser and owns its password. */
  readonly primary: KafkaMirrorSide;
  /** The standby's cluster (the target): runs MirrorMaker 2. */
  readonly standby: KafkaMirrorSide & {
    readonly monitoringNamespace: string;
    readonly placement?: Placement;
    readonly replicas?: number;
    readonly resources?: ContainerResources;
  };
  /**
   * `host:port` of the primary's MirrorMaker listener bootstrap (its internal NLB). Unknown at plan time: give
   * the NLB a fixed private DNS name (ExternalDNS, or a Route 53 private record) and pass that name.
   */
  readonly sourceBootstrap: pulumi.Input<string>;
  /** The primary VPC's CIDR, where the listener's NLBs are: the only address MirrorMaker 2 may leave for. */
  readonly primaryVpcCidr: string;
  /** @default 9094 (MIRROR_MAKER_LISTENER_PORT) */
  readonly listenerPort?: number;
  /** `spec.dr.kafka.mirrorMaker` */
  readonly mirrorMaker: {
    readonly topics: readonly string[];
    readonly syncGroupOffsetsIntervalSeconds: number;
    readonly emitCheckpointsIntervalSeconds: number;
  };
  /** Topics both clusters declare (the data layer's topic names): ACLs name the mirrored ones literally. */
  readonly knownTopics: readonly string[];
  /** The services' consumer groups, whose offsets follow to the standby. */
  readonly groups: readonly string[];
}

/**
 * Kafka MirrorMaker 2 from prod to the DR standby (issue 18). On the primary: a generated password for the
 * read-only source user (through the primary's secret backend, so Secrets Manager replicates the entry to the
 * standby region) and that KafkaUser. On the standby: the same entry synced by an ExternalSecret, prod's
 * cluster CA copied next to MirrorMaker 2, and charts/kafka-mirror-maker (MirrorMaker 2, its target user,
 * metrics, PodMonitor, policies). The primary's listener itself is KafkaCluster's `mirrorMakerListener`.
 */
export class KafkaMirror extends pulumi.ComponentResource {
  /** The standby's KafkaMirrorMaker2 and the objects next to it. */
  readonly ready: pulumi.Resource[];
  readonly sourceUser: string;
  /** The source user's password, a Pulumi secret (generated once, on the primary). */
  readonly sourcePassword: pulumi.Output<string>;

  constructor(name: string, args: KafkaMirrorArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:data:KafkaMirror', name, {}, opts);
    const { primary, standby } = args;
    const standbyName = args.standbyName ?? `${name}-standby`;
    const selection: MirrorSelection = {
      topicPatterns: args.mirrorMaker.topics,
      knownTopics: args.knownTopics,
      groups: args.groups,
      syncGroupOffsetsIntervalSeconds: args.mirrorMaker.syncGroupOffsetsIntervalSeconds,
      emitCheckpointsIntervalSeconds: args.mirrorMaker.emitCheckpointsIntervalSeconds,
    };
    const passwordSecret = { name: MIRROR_SOURCE_PASSWORD_SECRET, key: 'password' };
    const primaryBackend = primary.secretBackend;
    if (
      primaryBackend.kind === 'aws-secrets-manager' &&
      standby.secretBackend.kind === 'aws-secrets-manager' &&
      (primaryBackend.replicaRegions ?? []).length === 0
    ) {
      // The standby reads the entry's replica in its own region: without one its ExternalSecret never syncs.
      throw new Error(
        'kafkaMirror.primary.secretBackend.replicaRegions must include the standby region (got [])',
      );
    }

    // ---- primary (prod) ----
    const { password, ready: passwordReady } = generatedPassword(
      `${name}-source-user`,
      {
        provider: primary.provider,
        backend: primary.secretBackend,
        secretName: MIRROR_SOURCE_PASSWORD_SECRET,
        namespace: primary.namespace,
        dependsOn: primary.dependsOn,
      },
      this,
    );
    const sourceObjects = synthesize(
      (app) =>
        new KafkaMirrorSourceChart(app, 'mirror-source', {
          namespace: primary.namespace,
          cluster: KAFKA_NAME,
          selection,
          passwordSecret,
        }),
    );
    const source = applyObjects(`${name}-source`, sourceObjects, {
      parent: this,
      provider: primary.provider,
      dependsOn: [...primary.dependsOn, ...passwordReady],
    });

    // ---- standby ----
    const onStandby = (...deps: pulumi.Resource[]) => ({
      parent: this,
      provider: standby.provider,
      dependsOn: [...standby.dependsOn, ...deps],
    });
    const standbyPassword = this.standbyPassword(
      standbyName,
      primary.secretBackend,
      standby,
      password,
      onStandby,
    );

    // Prod's cluster CA (public): MirrorMaker 2 verifies prod's brokers with it.
    const caName = `${KAFKA_NAME}-cluster-ca-cert`;
    const ca = k8s.core.v1.Secret.get(`${name}-source-ca-read`, `${primary.namespace}/${caName}`, {
      parent: this,
      provider: primary.provider,
      dependsOn: [...primary.dependsOn],
    });
    const caCopy = new k8s.core.v1.Secret(
      `${standbyName}-source-ca`,
      {
        metadata: {
          name: MIRROR_SOURCE_CA_SECRET,
          namespace: standby.namespace,
          labels: { 'app.kubernetes.io/name': 'kafka-mirror', 'app.kubernetes.io/managed-by': 'platform' },
        },
        type: 'Opaque',
        data: { 'ca.crt': ca.data.apply((d) => d?.['ca.crt'] ?? '') },
      },
      onStandby(),
    );

    const objects = synthesize(
      (app) =>
        new KafkaMirrorMakerChart(app, 'mirror', {
          namespace: standby.namespace,
          version: DATA_IMAGES.kafkaVersion,
          ...(standby.replicas !== undefined && { replicas: standby.replicas }),
          ...(standby.resources !== undefined && { resources: standby.resources }),
          ...(standby.placement !== undefined && { placement: standby.placement }),
          selection,
          source: {
            alias: 'primary',
            bootstrapServers: BOOTSTRAP_PLACEHOLDER,
            caSecret: MIRROR_SOURCE_CA_SECRET,
            userName: DEFAULT_SOURCE_USER,
            passwordSecret,
            cidrs: [args.primaryVpcCidr],
            port: args.listenerPort ?? MIRROR_MAKER_LISTENER_PORT,
          },
          target: { alias: 'standby', cluster: KAFKA_NAME },
          monitoringNamespace: standby.monitoringNamespace,
        }),
    );
    const bootstrap = pulumi.output(args.sourceBootstrap).apply((value) => {
      if (!BOOTSTRAP.test(value)) {
        throw new Error(`kafkaMirror.sourceBootstrap must be one host:port (got ${JSON.stringify(value)})`);
      }
      return value;
    });
    const isMirror = (o: { kind: string }) => o.kind === 'KafkaMirrorMaker2';
    const rest = applyObjects(
      `${standbyName}-mirror`,
      objects.filter((o) => !isMirror(o)),
      onStandby(caCopy, ...standbyPassword),
    );
    // The one object holding the NLB's address, an Output: a CustomResource resolves it, a ConfigGroup would not.
    const mirrors = objects.filter(isMirror).map((o) => {
      const spec = o.spec as { clusters: Record<string, unknown>[] };
      return new k8s.apiextensions.CustomResource(
        `${standbyName}-mirror-maker`,
        {
          apiVersion: o.apiVersion,
          kind: o.kind,
          metadata: o.metadata,
          spec: {
            ...spec,
            clusters: spec.clusters.map((c, i) => (i === 0 ? { ...c, bootstrapServers: bootstrap } : c)),
          },
        },
        onStandby(rest, caCopy, ...standbyPassword),
      );
    });

    this.ready = [source, rest, caCopy, ...standbyPassword, ...mirrors];
    this.sourceUser = DEFAULT_SOURCE_USER;
    this.sourcePassword = password;
    this.registerOutputs({ sourceUser: this.sourceUser });
  }

  /**
   * The source password in the standby's namespace. Secrets Manager replicates the primary's entry (same name)
   * to the standby region, so an ExternalSecret there reads it; nothing is written twice. Without Secrets
   * Manager (on prem) Pulumi writes the Secret itself from the same generated value.
   */
  private standbyPassword(
    name: string,
    primaryBackend: SecretBackend,
    standby: KafkaMirrorSide,
    password: pulumi.Output<string>,
    onStandby: (...deps: pulumi.Resource[]) => pulumi.CustomResourceOptions,
  ): pulumi.Resource[] {
    const metadata = {
      name: MIRROR_SOURCE_PASSWORD_SECRET,
      namespace: standby.namespace,
      labels: { 'app.kubernetes.io/managed-by': 'platform' },
    };
    const backend = standby.secretBackend;
    if (backend.kind === 'kubernetes' || primaryBackend.kind === 'kubernetes') {
      return [
        new k8s.core.v1.Secret(
          `${name}-standby-password`,
          { metadata, type: 'Opaque', stringData: { password: pulumi.secret(password) } },
          onStandby(),
        ),
      ];
    }
    return [
      new k8s.apiextensions.CustomResource(
        `${name}-standby-password`,
        {
          apiVersion: 'external-secrets.io/v1',
          kind: 'ExternalSecret',
          metadata: { ...metadata, annotations: { 'pulumi.com/waitFor': 'condition=Ready' } },
          spec: {
            refreshInterval: '1h',
            secretStoreRef: { kind: 'ClusterSecretStore', name: backend.clusterSecretStore },
            target: { name: MIRROR_SOURCE_PASSWORD_SECRET, creationPolicy: 'Owner' },
            // The primary's entry name: its replica in the standby region has the same one.
            dataFrom: [{ extract: { key: `${primaryBackend.pathPrefix}${MIRROR_SOURCE_PASSWORD_SECRET}` } }],
          },
        },
        onStandby(),
      ),
    ];
  }
}
