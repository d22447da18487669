import type { KafkaMirrorMakerProps, MirrorSelection } from './kafka-mirror-maker-props';

const NAME = /^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/;
const ALIAS = /^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$/;
const GROUP_ID = /^[A-Za-z0-9._-]+$/;
const HOST_PORT = /^[A-Za-z0-9.-]+:[0-9]{1,5}$/;
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

function fail(path: string, rule: string, got: unknown): never {
  throw new Error(`kafkaMirror.${path} ${rule} (got ${JSON.stringify(got)})`);
}

function requireInteger(path: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) fail(path, `must be an integer >= ${min}`, value);
}

/** The declared topics matched by a whole-name pattern, sorted. */
export function mirroredTopics(selection: MirrorSelection): string[] {
  const patterns = selection.topicPatterns.map((p) => new RegExp(`^(?:${p})$`));
  return [...new Set(selection.knownTopics)].filter((t) => patterns.some((p) => p.test(t))).sort();
}

/** Throws on the first selection MirrorMaker 2 would run with while mirroring nothing, or too rarely. */
export function validateSelection(selection: MirrorSelection): void {
  if (selection.topicPatterns.length === 0) {
    fail('selection.topicPatterns', 'must name at least one topic pattern (none mirrors nothing)', []);
  }
  selection.topicPatterns.forEach((pattern, i) => {
    const path = `selection.topicPatterns[${i}]`;
    let re: RegExp;
    try {
      re = new RegExp(`^(?:${pattern})$`);
    } catch {
      return fail(path, 'must be a valid regular expression', pattern);
    }
    // A pattern matching no declared topic is a typo, not a topic to come: ACLs would not cover it.
    if (!selection.knownTopics.some((t) => re.test(t))) {
      fail(
        path,
        `must match at least one of the cluster's topics (${selection.knownTopics.join(', ')})`,
        pattern,
      );
    }
  });
  selection.groups.forEach((group, i) => {
    if (!GROUP_ID.test(group))
      fail(`selection.groups[${i}]`, 'must be a literal group id [A-Za-z0-9._-]+', group);
  });
  requireInteger('selection.syncGroupOffsetsIntervalSeconds', selection.syncGroupOffsetsIntervalSeconds, 1);
  requireInteger('selection.emitCheckpointsIntervalSeconds', selection.emitCheckpointsIntervalSeconds, 1);
}

export function validateMirrorMaker(props: KafkaMirrorMakerProps, name: string): void {
  if (!NAME.test(name)) fail('name', 'must be a DNS-1123 label of at most 40 characters', name);
  if (!/^[0-9]+\.[0-9]+\.[0-9]+$/.test(props.version)) {
    fail('version', 'must be a pinned Kafka version such as "4.1.0"', props.version);
  }
  // 0 is the failover switch: MirrorMaker 2 stops, its topics and the translated offsets stay.
  requireInteger('replicas', props.replicas ?? 1, 0);
  validateSelection(props.selection);
  const { source, target } = props;
  if (!ALIAS.test(source.alias))
    fail('source.alias', 'must be a DNS-1123 label of at most 32 characters', source.alias);
  if (!ALIAS.test(target.alias))
    fail('target.alias', 'must be a DNS-1123 label of at most 32 characters', target.alias);
  if (source.alias === target.alias) fail('target.alias', 'must differ from source.alias', target.alias);
  if (!HOST_PORT.test(source.bootstrapServers)) {
    fail('source.bootstrapServers', 'must be one host:port', source.bootstrapServers);
  }
  requireInteger('source.port', source.port, 1);
  if (source.cidrs.length === 0)
    fail('source.cidrs', 'must name the source VPC CIDR (none blocks the mirror)', []);
  source.cidrs.forEach((cidr, i) => {
    const m = CIDR.exec(cidr);
    if (m === null || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 32) {
      fail(`source.cidrs[${i}]`, 'must be an IPv4 CIDR such as "10.40.0.0/16"', cidr);
    }
  });
}
