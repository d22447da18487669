import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { MONITORING_SELECTOR, standardLabels } from '../lib';
import { prometheusRuleSets } from './prometheus-rules';
import type { PrometheusRulesProps } from './prometheus-rules-props';

const NAME = 'platform-rules';
const ENVIRONMENT_LABEL = 'platform.io/environment';

/**
 * PrometheusRule objects (monitoring.coreos.com/v1) for the SLOs of every service and the platform alerts,
 * labelled so our Prometheus selects them. One object per service SLO and per platform area keeps each
 * object small and its diff readable.
 */
export class PrometheusRulesChart extends Chart {
  constructor(scope: Construct, id: string, props: PrometheusRulesProps) {
    super(scope, id, { namespace: props.namespace });
    const labels = {
      ...standardLabels(NAME, 'monitoring', { component: 'rules' }),
      [ENVIRONMENT_LABEL]: props.environment,
      ...MONITORING_SELECTOR,
    };
    for (const set of prometheusRuleSets(props)) {
      new ApiObject(this, set.id, {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PrometheusRule',
        metadata: { name: `${NAME}-${set.id}`, namespace: props.namespace, labels },
        spec: { groups: set.groups },
      });
    }
  }
}
