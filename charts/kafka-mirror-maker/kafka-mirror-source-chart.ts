import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { standardLabels } from '../lib';
import type { KafkaMirrorSourceProps } from './kafka-mirror-maker-props';
import { sourceAcls } from './mirror-acls';
import { mirroredTopics, validateSelection } from './mirror-validation';
import { scramUser } from './kafka-user-object';

export const DEFAULT_SOURCE_USER = 'mirror-maker-source';

/**
 * Prod's side of the mirror: the read-only SCRAM-SHA-512 KafkaUser MirrorMaker 2 (in the standby) logs in
 * as, with its password from a Secret Pulumi generated (the same Secrets Manager entry the standby reads).
 * The listener it connects to is `mirrorMakerListener` of KafkaClusterChart.
 */
export class KafkaMirrorSourceChart extends Chart {
  constructor(scope: Construct, id: string, props: KafkaMirrorSourceProps) {
    super(scope, id);
    validateSelection(props.selection);
    const cluster = props.cluster ?? 'kafka';
    const name = props.userName ?? DEFAULT_SOURCE_USER;
    const labels = {
      ...standardLabels(name, 'platform', { component: 'kafka-mirror' }),
      'strimzi.io/cluster': cluster,
    };
    const acls = sourceAcls(mirroredTopics(props.selection), props.selection.groups);
    new ApiObject(
      this,
      'source-user',
      scramUser({ name, namespace: props.namespace, labels }, acls, props.passwordSecret),
    );
  }
}
