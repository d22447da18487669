import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { standardLabels } from '../lib';

/** One backend of a route; several share the traffic by weight (the delivery strategies split them). */
export interface RouteBackend {
  /** Service name in the route's namespace. */
  readonly name: string;
  readonly port: number;
  /** @default 1 (Gateway API's default) */
  readonly weight?: number;
}

export interface PublicRouteProps {
  /** Name of the HTTPRoute (the service's name). */
  readonly name: string;
  /** Namespace of the route and its backends. */
  readonly namespace: string;
  /** The Gateway the route attaches to. */
  readonly gateway: { readonly namespace: string; readonly name: string };
  /** The Gateway's HTTPS listeners: routes attach to these only, never to the plain-HTTP listener. */
  readonly listeners: readonly string[];
  readonly hostnames: readonly string[];
  /** Path prefixes routed to the backends; nothing else of the service is reachable from outside. */
  readonly pathPrefixes: readonly string[];
  readonly backends: readonly RouteBackend[];
  /**
   * Strict-Transport-Security max-age in seconds, sent with every answer.
   * @default 31536000 (one year)
   */
  readonly hstsMaxAgeSeconds?: number;
}

/** HSTS for every answer of a route: browsers then refuse plain HTTP for the hostnames. */
export function hstsHeader(maxAgeSeconds: number): { name: string; value: string } {
  return { name: 'Strict-Transport-Security', value: `max-age=${maxAgeSeconds}; includeSubDomains` };
}

/**
 * North-south route of one public service: HTTPS listeners of the environment's Gateway, its hostnames,
 * path-prefix matches for the service's public APIs only, and the service's backends.
 */
export class PublicRouteChart extends Chart {
  constructor(scope: Construct, id: string, props: PublicRouteProps) {
    super(scope, id);
    if (props.listeners.length === 0)
      throw new Error(`route ${props.name}: needs at least one HTTPS listener`);
    if (props.pathPrefixes.length === 0)
      throw new Error(`route ${props.name}: needs at least one path prefix`);
    if (props.backends.length === 0) throw new Error(`route ${props.name}: needs at least one backend`);
    const hsts = hstsHeader(props.hstsMaxAgeSeconds ?? 31_536_000);
    new ApiObject(this, 'route', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: standardLabels(props.name, 'platform', { component: 'route' }),
      },
      spec: {
        parentRefs: props.listeners.map((sectionName) => ({
          group: 'gateway.networking.k8s.io',
          kind: 'Gateway',
          namespace: props.gateway.namespace,
          name: props.gateway.name,
          sectionName,
        })),
        hostnames: [...props.hostnames],
        rules: [
          {
            matches: props.pathPrefixes.map((value) => ({ path: { type: 'PathPrefix', value } })),
            filters: [{ type: 'ResponseHeaderModifier', responseHeaderModifier: { set: [hsts] } }],
            backendRefs: props.backends.map((b) => ({
              group: '',
              kind: 'Service',
              name: b.name,
              port: b.port,
              ...(b.weight !== undefined && { weight: b.weight }),
            })),
          },
        ],
      },
    });
  }
}
