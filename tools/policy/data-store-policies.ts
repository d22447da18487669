/**
 * High-availability invariants of the data stores, checked on the rendered objects (the config parser checks
 * the same rules on the stack file first, with config paths; this is the second line, on what would be
 * applied): at most one member down through voluntary disruptions, odd voting groups of at least 3, topics
 * that fit on the brokers and keep accepting writes with one broker down.
 */
interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly [key: string]: unknown;
}

type Dict = Record<string, unknown>;
const dict = (v: unknown): Dict =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Dict) : {};
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export type Report = (rule: string, o: K8sObject, message: string) => void;

/** A disruption budget that lets more than one pod go at once defeats a 3-member quorum. */
function checkBudget(o: K8sObject, where: string, budget: Dict, error: Report): void {
  const max = budget.maxUnavailable;
  if (typeof max === 'number' && max > 1) {
    error('pdb-one-down', o, `${where}maxUnavailable must be at most 1 (got ${max})`);
  }
  if (typeof max === 'string') {
    error('pdb-one-down', o, `${where}maxUnavailable must be the number 1, not a percentage (got "${max}")`);
  }
}

function brokerCount(objects: readonly K8sObject[], cluster: string, namespace: string | undefined): number {
  return objects
    .filter(
      (p) =>
        p.kind === 'KafkaNodePool' &&
        p.metadata.namespace === namespace &&
        dict(dict(p.metadata).labels)['strimzi.io/cluster'] === cluster &&
        list(dict(p.spec).roles).includes('broker'),
    )
    .reduce((sum, p) => sum + Number(dict(p.spec).replicas ?? 0), 0);
}

export function checkDataStores(objects: readonly K8sObject[], error: Report): void {
  for (const o of objects) {
    const spec = dict(o.spec);
    if (o.kind === 'PodDisruptionBudget') checkBudget(o, '', spec, error);

    if (o.kind === 'PerconaServerMongoDB') {
      list(spec.replsets).forEach((r, i) => {
        const rs = dict(r);
        const size = Number(rs.size);
        if (!(size >= 3 && size % 2 === 1)) {
          error(
            'replica-set-size',
            o,
            `spec.replsets[${i}].size must be an odd number >= 3 (got ${String(rs.size)})`,
          );
        }
        checkBudget(o, `spec.replsets[${i}].podDisruptionBudget.`, dict(rs.podDisruptionBudget), error);
      });
    }

    if (o.kind === 'Kafka') {
      const kafka = dict(spec.kafka);
      checkBudget(
        o,
        'spec.kafka.template.podDisruptionBudget.',
        dict(dict(kafka.template).podDisruptionBudget),
        error,
      );
      const config = dict(kafka.config);
      const brokers = brokerCount(objects, o.metadata.name, o.metadata.namespace);
      const rf = Number(config['default.replication.factor'] ?? 1);
      if (rf > brokers) {
        error(
          'kafka-replication',
          o,
          `default.replication.factor (${rf}) must be <= the ${brokers} broker(s)`,
        );
      }
    }

    if (o.kind === 'KafkaNodePool' && list(spec.roles).includes('controller')) {
      const controllers = objects
        .filter(
          (p) =>
            p.kind === 'KafkaNodePool' &&
            p.metadata.namespace === o.metadata.namespace &&
            dict(dict(p.metadata).labels)['strimzi.io/cluster'] ===
              dict(dict(o.metadata).labels)['strimzi.io/cluster'] &&
            list(dict(p.spec).roles).includes('controller'),
        )
        .reduce((sum, p) => sum + Number(dict(p.spec).replicas ?? 0), 0);
      if (!(controllers >= 3 && controllers % 2 === 1)) {
        error('kraft-quorum', o, `the KRaft controllers must be an odd number >= 3 (got ${controllers})`);
      }
    }

    if (o.kind === 'KafkaTopic') {
      const cluster = String(dict(dict(o.metadata).labels)['strimzi.io/cluster']);
      const kafkaObject = objects.find(
        (k) =>
          k.kind === 'Kafka' && k.metadata.name === cluster && k.metadata.namespace === o.metadata.namespace,
      );
      const replicas = Number(spec.replicas);
      const brokers = brokerCount(objects, cluster, o.metadata.namespace);
      if (replicas > brokers) {
        error(
          'kafka-replication',
          o,
          `replicas (${replicas}) must be <= the ${brokers} broker(s) of "${cluster}"`,
        );
      }
      const clusterMinIsr = dict(dict(dict(kafkaObject?.spec).kafka).config)['min.insync.replicas'];
      const minIsr = Number(dict(spec.config)['min.insync.replicas'] ?? clusterMinIsr ?? 1);
      if (replicas > 1 && minIsr >= replicas) {
        error(
          'kafka-replication',
          o,
          `min.insync.replicas (${minIsr}) must be below replicas (${replicas}), or one broker down stops producers`,
        );
      }
    }
  }
}
