import type {
  KafkaClusterProps,
  KafkaNodeGroup,
  KafkaNodePools,
  KafkaTopicSpec,
} from './kafka-cluster-props';

export type NodeRole = 'controller' | 'broker';

/** A KafkaNodePool to render, with the props path its numbers came from (for error messages). */
export interface NodePool {
  readonly name: string;
  readonly roles: readonly NodeRole[];
  readonly group: KafkaNodeGroup;
  readonly path: string;
}

export function nodePoolsOf(nodePools: KafkaNodePools): NodePool[] {
  if (nodePools.mode === 'combined') {
    return [{ name: 'combined', roles: ['controller', 'broker'], group: nodePools, path: 'nodePools' }];
  }
  return [
    {
      name: 'controller',
      roles: ['controller'],
      group: nodePools.controllers,
      path: 'nodePools.controllers',
    },
    { name: 'broker', roles: ['broker'], group: nodePools.brokers, path: 'nodePools.brokers' },
  ];
}

export function brokerCount(pools: readonly NodePool[]): number {
  return pools.filter((p) => p.roles.includes('broker')).reduce((sum, p) => sum + p.group.replicas, 0);
}

/** Strimzi names pods and services after the cluster, so it must be a DNS-1123 label. */
const CLUSTER_NAME = /^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/;
/** Valid both as a Kafka topic name (<= 249 chars) and as a Kubernetes object name. */
const TOPIC_NAME = /^[a-z0-9]([a-z0-9.-]{0,247}[a-z0-9])?$/;
const USER_NAME = /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/;
/** A literal group id; '*' would be Kafka's wildcard even with the literal pattern type. */
const GROUP_ID = /^[A-Za-z0-9._-]+$/;
const QUANTITY = /^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
const PINNED_VERSION = /^[0-9]+\.[0-9]+\.[0-9]+$/;
const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

function fail(path: string, rule: string, got: unknown): never {
  throw new Error(`kafka.${path} ${rule} (got ${JSON.stringify(got)})`);
}

function requireInteger(path: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) fail(path, `must be an integer >= ${min}`, value);
}

/**
 * Throws on the first prop Strimzi or Kafka would reject, or accept into a cluster that loses data or
 * availability: each error names the field, the value and what is allowed.
 */
export function validateKafkaCluster(props: KafkaClusterProps, name: string): void {
  if (!CLUSTER_NAME.test(name)) fail('name', 'must be a DNS-1123 label of at most 40 characters', name);
  if (!PINNED_VERSION.test(props.version)) {
    fail('version', 'must be a pinned Kafka version such as "4.1.0"', props.version);
  }
  if (Object.keys(props.operatorPodLabels).length === 0) {
    fail('operatorPodLabels', 'must name at least one label (an empty selector matches every pod)', {});
  }

  const pools = nodePoolsOf(props.nodePools);
  for (const pool of pools) {
    requireInteger(`${pool.path}.replicas`, pool.group.replicas, 1);
    if (!QUANTITY.test(pool.group.storage)) {
      fail(`${pool.path}.storage`, 'must be a Kubernetes quantity such as "100Gi"', pool.group.storage);
    }
    // A KRaft quorum of n voters survives (n - 1) / 2 failures: an even count adds a node but no tolerance.
    const controllers = pool.group.replicas;
    if (pool.roles.includes('controller') && (controllers < 3 || controllers % 2 === 0)) {
      const why = pool.roles.includes('broker') ? ', since every combined node is a KRaft controller' : '';
      fail(`${pool.path}.replicas`, `must be an odd number >= 3${why}`, controllers);
    }
  }
  const brokers = brokerCount(pools);

  const { defaultReplicationFactor: factor, minInsyncReplicas: minIsr } = props.config;
  requireInteger('config.defaultReplicationFactor', factor, 1);
  if (factor > brokers) fail('config.defaultReplicationFactor', `must be <= brokers (${brokers})`, factor);
  requireInteger('config.minInsyncReplicas', minIsr, 1);
  // With min.insync.replicas equal to the replication factor, one broker down stops every producer.
  if (minIsr >= factor) {
    fail('config.minInsyncReplicas', `must be < config.defaultReplicationFactor (${factor})`, minIsr);
  }

  const topics = props.topics ?? [];
  const topicIndex = new Map<string, number>();
  topics.forEach((topic, i) => {
    const path = `topics[${i}]`;
    if (!TOPIC_NAME.test(topic.name)) {
      fail(
        `${path}.name`,
        'must be 1-249 lowercase letters, digits, "." or "-", alphanumeric at both ends',
        topic.name,
      );
    }
    const first = topicIndex.get(topic.name);
    if (first !== undefined) fail(`${path}.name`, `duplicates topics[${first}].name`, topic.name);
    topicIndex.set(topic.name, i);
    requireInteger(`${path}.partitions`, topic.partitions, 1);
    requireInteger(`${path}.replicas`, topic.replicas, 1);
    if (topic.replicas > brokers) fail(`${path}.replicas`, `must be <= brokers (${brokers})`, topic.replicas);
    validateTopicMinIsr(topic, path, minIsr);
  });

  const mirror = props.mirrorMakerListener;
  if (mirror !== undefined) {
    // An empty list would leave the NLB open to the whole VPC and the policy to nobody: refuse it.
    if (mirror.allowedCidrs.length === 0) {
      fail('mirrorMakerListener.allowedCidrs', 'must name at least one CIDR (the standby VPC)', []);
    }
    mirror.allowedCidrs.forEach((cidr, i) => {
      const m = IPV4_CIDR.exec(cidr);
      if (m === null || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 32) {
        fail(`mirrorMakerListener.allowedCidrs[${i}]`, 'must be an IPv4 CIDR such as "10.41.0.0/16"', cidr);
      }
    });
    const port = mirror.port ?? 9094;
    if (!Number.isInteger(port) || port < 9094 || port > 65535) {
      // Strimzi reserves 9090-9093 for its own listeners and replication.
      fail('mirrorMakerListener.port', 'must be an integer from 9094 to 65535', port);
    }
  }

  const userIndex = new Map<string, number>();
  (props.users ?? []).forEach((user, i) => {
    const path = `users[${i}]`;
    if (!USER_NAME.test(user.name)) {
      fail(
        `${path}.name`,
        'must be a DNS-1123 subdomain (lowercase letters, digits, "." and "-")',
        user.name,
      );
    }
    const first = userIndex.get(user.name);
    if (first !== undefined) fail(`${path}.name`, `duplicates users[${first}].name`, user.name);
    userIndex.set(user.name, i);
    for (const field of ['produces', 'consumes'] as const) {
      user[field].forEach((topic, j) => {
        if (!topicIndex.has(topic)) {
          const declared = [...topicIndex.keys()].join(', ') || 'none';
          fail(`${path}.${field}[${j}]`, `must name a declared topic (declared: ${declared})`, topic);
        }
      });
    }
    user.groups.forEach((group, j) => {
      if (!GROUP_ID.test(group)) {
        fail(
          `${path}.groups[${j}]`,
          'must be a literal group id of letters, digits, ".", "_" and "-"',
          group,
        );
      }
    });
  });
}

/** A topic whose min.insync.replicas reaches its replica count stops accepting acks=all writes on any outage. */
function validateTopicMinIsr(topic: KafkaTopicSpec, path: string, clusterMinIsr: number): void {
  const own = topic.config?.['min.insync.replicas'];
  if (own === undefined) {
    if (clusterMinIsr >= topic.replicas) {
      fail(`${path}.replicas`, `must be > config.minInsyncReplicas (${clusterMinIsr})`, topic.replicas);
    }
    return;
  }
  const minIsr = Number(own);
  const field = `${path}.config["min.insync.replicas"]`;
  if (!Number.isInteger(minIsr) || minIsr < 1) fail(field, 'must be an integer >= 1', own);
  if (minIsr >= topic.replicas) fail(field, `must be < replicas (${topic.replicas})`, own);
}
