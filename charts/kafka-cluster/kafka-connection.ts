import type { KafkaClusterProps } from './kafka-cluster-props';

/** Port of the cluster's one listener: TLS with SCRAM-SHA-512 authentication. */
export const KAFKA_TLS_PORT = 9093;
export const DEFAULT_KAFKA_NAME = 'kafka';
/** Default port of the optional MirrorMaker listener (internal NLBs, for the DR standby). */
export const MIRROR_MAKER_LISTENER_PORT = 9094;

/** What a client needs besides its own credentials (the KafkaUser's password Secret). */
export interface KafkaConnection {
  /** `<name>-kafka-bootstrap.<namespace>.svc:9093` */
  readonly bootstrapServers: string;
  /** Secret, created by Strimzi, whose `ca.crt` signs the brokers' certificates. */
  readonly clusterCaSecret: string;
  readonly mechanism: 'scram-sha-512';
}

/** How clients reach the cluster `KafkaClusterChart` renders from the same props; Strimzi names the parts. */
export function kafkaConnection(props: Pick<KafkaClusterProps, 'namespace' | 'name'>): KafkaConnection {
  const name = props.name ?? DEFAULT_KAFKA_NAME;
  return {
    bootstrapServers: `${name}-kafka-bootstrap.${props.namespace}.svc:${KAFKA_TLS_PORT}`,
    clusterCaSecret: `${name}-cluster-ca-cert`,
    mechanism: 'scram-sha-512',
  };
}
