import type { KafkaUserSpec } from './kafka-cluster-props';

export type AclOperation = 'Read' | 'Write' | 'Describe';

/** One `simple` authorization rule of a KafkaUser, as Strimzi's CRD spells it. */
export interface KafkaAcl {
  readonly type: 'allow';
  readonly resource: {
    readonly type: 'topic' | 'group';
    readonly name: string;
    readonly patternType: 'literal';
  };
  readonly operations: readonly AclOperation[];
}

/**
 * Exactly what the user declares, on literal names: Write + Describe on the topics it produces to, Read +
 * Describe on the topics it consumes, Read on its consumer groups. Producers need no cluster-level
 * IdempotentWrite: since Kafka 3.0 Write on a topic covers idempotent producing. Transactional ids are not
 * granted, so transactional producers are refused.
 */
export function userAcls(user: KafkaUserSpec): KafkaAcl[] {
  const produces = new Set(user.produces);
  const consumes = new Set(user.consumes);
  // One rule per topic, so a topic that is both produced and consumed reads as one line in a review.
  const topics = [...new Set([...user.produces, ...user.consumes])].sort();
  const topicAcls = topics.map((topic): KafkaAcl => {
    const operations: AclOperation[] = [];
    if (consumes.has(topic)) operations.push('Read');
    if (produces.has(topic)) operations.push('Write');
    operations.push('Describe');
    return { type: 'allow', resource: { type: 'topic', name: topic, patternType: 'literal' }, operations };
  });
  const groupAcls = [...new Set(user.groups)].sort().map((group): KafkaAcl => ({
    type: 'allow',
    resource: { type: 'group', name: group, patternType: 'literal' },
    operations: ['Read'],
  }));
  return [...topicAcls, ...groupAcls];
}
