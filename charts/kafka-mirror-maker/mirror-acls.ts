import type { KafkaAclRule } from './kafka-user-object';

/** Kafka ACL operations a KafkaUser rule may grant (Strimzi's names). */
export type MirrorAclOperation =
  'Read' | 'Write' | 'Create' | 'Alter' | 'Describe' | 'DescribeConfigs' | 'AlterConfigs';

const topic = (
  name: string,
  operations: MirrorAclOperation[],
  patternType: 'literal' | 'prefix' = 'literal',
) => ({ type: 'allow', resource: { type: 'topic', name, patternType }, operations }) as const;
const group = (
  name: string,
  operations: MirrorAclOperation[],
  patternType: 'literal' | 'prefix' = 'literal',
) => ({ type: 'allow', resource: { type: 'group', name, patternType }, operations }) as const;

/**
 * Prod's side, read-only: MirrorMaker 2 reads the mirrored topics and their configs, lists the cluster, and
 * reads the services' group offsets for the checkpoints. Offset syncs are kept on the target, so nothing is
 * written in prod.
 */
export function sourceAcls(topics: readonly string[], groups: readonly string[]): KafkaAclRule[] {
  return [
    { type: 'allow', resource: { type: 'cluster' }, operations: ['Describe'] },
    ...topics.map((t) => topic(t, ['Read', 'Describe', 'DescribeConfigs'])),
    ...[...new Set(groups)].sort().map((g) => group(g, ['Read', 'Describe'])),
  ];
}

/** Names of MirrorMaker 2's own topics and group in the target cluster. */
export interface MirrorInternals {
  /** Connect's group, and the prefix of its config, offset and status topics. */
  readonly connectPrefix: string;
  readonly sourceAlias: string;
}

/**
 * The standby's side: create and write the mirrored topics (same names, IdentityReplicationPolicy) and keep
 * their configs in step, MirrorMaker 2's internal topics (heartbeats, checkpoints, offset syncs, Connect's),
 * Connect's group, and commit the translated offsets of the services' groups.
 */
export function targetAcls(
  topics: readonly string[],
  groups: readonly string[],
  internals: MirrorInternals,
): KafkaAclRule[] {
  const all: MirrorAclOperation[] = [
    'Read',
    'Write',
    'Create',
    'Describe',
    'Alter',
    'DescribeConfigs',
    'AlterConfigs',
  ];
  return [
    { type: 'allow', resource: { type: 'cluster' }, operations: ['Describe', 'DescribeConfigs'] },
    ...topics.map((t) => topic(t, all)),
    topic('heartbeats', all),
    topic(`${internals.sourceAlias}.checkpoints.internal`, all),
    topic('mm2-offset-syncs.', all, 'prefix'),
    topic(internals.connectPrefix, all, 'prefix'),
    group(internals.connectPrefix, ['Read', 'Describe'], 'prefix'),
    ...[...new Set(groups)].sort().map((g) => group(g, ['Read', 'Describe'])),
  ];
}
