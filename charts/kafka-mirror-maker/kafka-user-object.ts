import type { ApiObjectProps } from 'cdk8s';

/** One `simple` authorization rule of a KafkaUser, as Strimzi's CRD spells it. */
export interface KafkaAclRule {
  readonly type: 'allow';
  readonly resource:
    | { readonly type: 'cluster' }
    | { readonly type: 'topic' | 'group'; readonly name: string; readonly patternType: 'literal' | 'prefix' };
  readonly operations: readonly string[];
}

/** A SCRAM-SHA-512 KafkaUser: with a password Secret Strimzi uses it, without one it generates the password. */
export function scramUser(
  meta: { readonly name: string; readonly namespace: string; readonly labels: Record<string, string> },
  acls: readonly KafkaAclRule[],
  passwordSecret?: { readonly name: string; readonly key: string },
): ApiObjectProps {
  return {
    apiVersion: 'kafka.strimzi.io/v1beta2',
    kind: 'KafkaUser',
    metadata: meta,
    spec: {
      authentication: {
        type: 'scram-sha-512',
        ...(passwordSecret !== undefined && {
          password: { valueFrom: { secretKeyRef: { name: passwordSecret.name, key: passwordSecret.key } } },
        }),
      },
      authorization: { type: 'simple', acls: acls.map((a) => structuredClone(a)) },
    },
  };
}
