import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { standardLabels } from '../lib';
import {
  POLICY_ENDPOINT_ACCESS_KEY,
  POLICY_ENVIRONMENT_KEY,
  POLICY_LEVELS,
  POLICY_LEVELS_KEY,
  POLICY_SETTINGS_NAME,
  isPolicyLevel,
  type EndpointAccessSettings,
  type PolicyLevels,
} from './policy-settings-contract';

export interface PolicySettingsProps {
  /** The platform namespace. */
  readonly namespace: string;
  /** The environment (stack) the levels were resolved for, e.g. "prod". */
  readonly environment: string;
  /** Rule -> level: the stack file's `platform:policy.levels` over the environment's defaults. */
  readonly levels: PolicyLevels;
  /**
   * EKS: the networks the stack file allows on the public API endpoint, so the pack compares the cluster's
   * endpoint with them as the plan does. Unset (on prem): no such key.
   */
  readonly endpointAccess?: EndpointAccessSettings;
}

/**
 * The `platform-policy` ConfigMap: the enforcement level of each rule the environment sets. It is part of the
 * program's objects, so the offline plan and the CrossGuard pack read the same levels from the same place.
 */
export class PolicySettingsChart extends Chart {
  constructor(scope: Construct, id: string, props: PolicySettingsProps) {
    super(scope, id);
    if (props.environment.trim() === '') {
      throw new Error('policy settings environment must not be empty');
    }
    // Sorted keys: the same levels always render the same text, so a plan diff shows only real changes.
    const entries = Object.entries(props.levels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [rule, level] of entries as [string, unknown][]) {
      if (!isPolicyLevel(level)) {
        throw new Error(
          `policy settings levels.${rule}: must be one of ${POLICY_LEVELS.join(', ')} (got ${JSON.stringify(level)})`,
        );
      }
    }
    const levels = Object.fromEntries(entries);
    new ApiObject(this, 'config-map', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: POLICY_SETTINGS_NAME,
        namespace: props.namespace,
        labels: standardLabels(POLICY_SETTINGS_NAME, 'platform', { component: 'policy' }),
      },
      data: {
        [POLICY_ENVIRONMENT_KEY]: props.environment,
        [POLICY_LEVELS_KEY]: JSON.stringify(levels, null, 2),
        ...(props.endpointAccess && {
          [POLICY_ENDPOINT_ACCESS_KEY]: JSON.stringify(
            {
              publicAccessCidrs: [...props.endpointAccess.publicAccessCidrs],
              allowPublicAccessFromAnywhere: props.endpointAccess.allowPublicAccessFromAnywhere,
            },
            null,
            2,
          ),
        }),
      },
    });
  }
}
