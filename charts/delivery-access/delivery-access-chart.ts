import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import type { Construct } from 'constructs';
import { standardLabels } from '../lib';

export interface DeliveryAccessProps {
  /** Namespace of the Rollouts and their HTTPRoutes (apps). */
  readonly namespace: string;
  /** The Argo Rollouts controller's ServiceAccount; the plugin runs in its pod with its token. */
  readonly controller: { readonly namespace: string; readonly serviceAccount: string };
  /** HTTPRoutes whose backend weights canary Rollouts move: the only routes the plugin may change. */
  readonly httpRoutes: readonly string[];
  /** @default 'platform' */
  readonly partOf?: string;
}

/** Name of the Role and RoleBinding. */
export const DELIVERY_ACCESS_NAME = 'argo-rollouts-gatewayapi-plugin';

const DNS_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * What the Gateway API traffic-router plugin may do in one namespace (the chart's provider RBAC is off):
 * get, update and patch the named HTTPRoutes and nothing else of the Gateway API, and get Services. With no
 * routes it renders nothing, because a rule with an empty `resourceNames` would cover every route.
 */
export class DeliveryAccessChart extends Chart {
  constructor(scope: Construct, id: string, props: DeliveryAccessProps) {
    super(scope, id);
    const routes = [...new Set(props.httpRoutes)].sort();
    for (const route of props.httpRoutes) {
      if (route.length > 253 || !DNS_NAME.test(route)) {
        throw new Error(
          `delivery httpRoutes must be DNS subdomain names (lowercase, digits, '-', '.'; <= 253) (got ${JSON.stringify(route)})`,
        );
      }
    }
    if (routes.length !== props.httpRoutes.length) {
      throw new Error(`delivery httpRoutes must not repeat a route (got ${props.httpRoutes.join(', ')})`);
    }
    if (routes.length === 0) return;

    const metadata = {
      name: DELIVERY_ACCESS_NAME,
      namespace: props.namespace,
      labels: standardLabels('argo-rollouts', props.partOf ?? 'platform', { component: 'rbac' }),
    };
    new k8s.KubeRole(this, 'role', {
      metadata,
      rules: [
        // `list` is not granted: Kubernetes cannot limit it by resourceNames, so it would reveal every route
        // of the namespace. The plugin needs it only to discover routes by label selector; our Rollouts name
        // their routes, which takes `get` alone (plugin docs, installation.md "Permissions"). No watch, no
        // create, no delete: the plugin edits rules inside existing routes.
        {
          apiGroups: ['gateway.networking.k8s.io'],
          resources: ['httproutes'],
          resourceNames: routes,
          verbs: ['get', 'patch', 'update'],
        },
        // The plugin reads the stable and canary Services. The controller's ClusterRole already allows this;
        // the rule says what the plugin itself needs, so the Role stays right if that ClusterRole shrinks.
        { apiGroups: [''], resources: ['services'], verbs: ['get'] },
      ],
    });
    new k8s.KubeRoleBinding(this, 'binding', {
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: DELIVERY_ACCESS_NAME },
      subjects: [
        {
          kind: 'ServiceAccount',
          name: props.controller.serviceAccount,
          namespace: props.controller.namespace,
        },
      ],
    });
  }
}
