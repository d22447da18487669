/**
 * The data stores of a plan in a few lines for review: MongoDB members, storage, backup schedule and PITR;
 * Kafka version, node pools and topics; Redis data nodes and sentinels. Read from the rendered objects, so
 * the summary shows what would be applied, not what the config meant.
 */
type Dict = Record<string, unknown>;
const dict = (v: unknown): Dict =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Dict) : {};
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

interface Obj {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly [key: string]: unknown;
}

const where = (o: Obj) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

function claimSize(claim: unknown): string {
  return String(dict(dict(dict(claim).resources).requests).storage ?? dict(dict(claim).spec).size ?? '?');
}

function mongodb(o: Obj): string[] {
  const spec = dict(o.spec);
  const lines = list(spec.replsets).map((r) => {
    const rs = dict(r);
    const size = claimSize(dict(dict(rs.volumeSpec).persistentVolumeClaim));
    return `MongoDB ${where(o)}: replica set ${String(rs.name)} x ${String(rs.size)}, ${size} each, image ${String(spec.image)}`;
  });
  const backup = dict(spec.backup);
  const tasks = list(backup.tasks).map(dict);
  const pitr = dict(backup.pitr);
  const schedule = tasks
    .filter((t) => t.enabled === true)
    .map((t) => `"${String(t.schedule)}" keep ${String(t.keep ?? dict(t.retention).count ?? '?')}`)
    .join(', ');
  const storages = Object.values(dict(backup.storages)).map((s) => {
    const s3 = dict(dict(s).s3);
    return `s3://${String(s3.bucket)}${s3.endpointUrl === undefined ? '' : ` at ${String(s3.endpointUrl)}`}`;
  });
  lines.push(
    `  backups: ${backup.enabled === true ? schedule || 'no schedule' : 'off'} to ${storages.join(', ') || '?'}; ` +
      `PITR ${pitr.enabled === true ? `on (oplog span ${String(pitr.oplogSpanMin)} min)` : 'off'}`,
  );
  return lines;
}

function kafka(o: Obj, objects: readonly Obj[]): string[] {
  const spec = dict(dict(o.spec).kafka);
  const pools = objects
    .filter(
      (p) =>
        p.kind === 'KafkaNodePool' &&
        p.metadata.namespace === o.metadata.namespace &&
        dict(dict(p.metadata).labels)['strimzi.io/cluster'] === o.metadata.name,
    )
    .map((p) => {
      const ps = dict(p.spec);
      const storage = dict(ps.storage);
      const size =
        storage.type === 'jbod'
          ? list(storage.volumes)
              .map((v) => String(dict(v).size))
              .join('+')
          : String(storage.size);
      return `${p.metadata.name} x ${String(ps.replicas)} [${list(ps.roles).join('+')}] ${size}`;
    });
  const topics = objects
    .filter((t) => t.kind === 'KafkaTopic' && t.metadata.namespace === o.metadata.namespace)
    .map((t) => {
      const ts = dict(t.spec);
      return `${String(ts.topicName ?? t.metadata.name)} (${String(ts.partitions)}p, rf ${String(ts.replicas)})`;
    });
  const users = objects.filter(
    (u) => u.kind === 'KafkaUser' && u.metadata.namespace === o.metadata.namespace,
  );
  const config = dict(spec.config);
  return [
    `Kafka ${where(o)}: ${String(spec.version)} (KRaft), pools ${pools.join(', ')}; ` +
      `default.replication.factor ${String(config['default.replication.factor'])}, min.insync.replicas ${String(config['min.insync.replicas'])}` +
      (spec.rack === undefined ? '' : `, rack ${String(dict(spec.rack).topologyKey)}`),
    `  topics: ${topics.join(', ') || 'none'}`,
    `  users: ${users.map((u) => u.metadata.name).join(', ') || 'none'}`,
  ];
}

function redis(objects: readonly Obj[]): string[] {
  const sets = objects.filter(
    (o) =>
      o.kind === 'StatefulSet' && String(dict(dict(o.metadata).labels)['app.kubernetes.io/name']) === 'redis',
  );
  if (sets.length === 0) return [];
  const parts = sets.map((s) => {
    const spec = dict(s.spec);
    const claims = list(spec.volumeClaimTemplates).map((c) => claimSize(dict(c).spec));
    return `${s.metadata.name} x ${String(spec.replicas)}${claims.length > 0 ? ` ${claims.join('+')}` : ''}`;
  });
  return [`Redis ${sets[0]!.metadata.namespace ?? ''}: ${parts.join(', ')}`];
}

export function dataStoreLines(objects: readonly Obj[]): string[] {
  const lines: string[] = [];
  for (const o of objects) {
    if (o.kind === 'PerconaServerMongoDB') lines.push(...mongodb(o));
    if (o.kind === 'Kafka') lines.push(...kafka(o, objects));
  }
  lines.push(...redis(objects));
  return lines;
}
