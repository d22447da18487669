import type * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { CHARTS } from '../../versions';
import { ROLE_ARN_ANNOTATION, type ClusterContext } from './cluster-context';
import { externalDnsPolicy } from './controller-policies';
import { pinnedRelease } from '../../kubernetes';
import { IrsaRole } from './irsa-role';

/**
 * Its own namespace, like External Secrets: the cluster's add-ons are installed before the environment's
 * namespaces exist (those come with the baseline, which needs the add-ons ready).
 */
export const EXTERNAL_DNS = { namespace: 'external-dns', serviceAccount: 'external-dns' } as const;

export interface ExternalDnsArgs {
  readonly context: ClusterContext;
  /** The Route 53 hosted zone the records go into. */
  readonly hostedZoneId: string;
  /** The DNS name records are managed under: the zone's domain or a subdomain of it. */
  readonly domain: string;
  /** Only routes attached to Gateways in this namespace (the platform's) are published. */
  readonly gatewayNamespace: string;
}

/**
 * ExternalDNS publishing the hostnames of the Gateway's HTTPRoutes into one Route 53 zone, as alias records
 * to the gateway's NLB.
 *
 * - `upsert-only`: it creates and updates records but never deletes one. A source that is briefly empty (the
 *   Gateway without an address while its load balancer is replaced, routes re-created in a deploy) cannot
 *   take live names out of DNS; the price is that a hostname dropped from the config leaves its record (and
 *   TXT) behind, to delete by hand.
 * - TXT registry, owner `platform-<env>`: ownership records say which environment wrote a name, so two
 *   environments sharing a zone never claim each other's records. Wildcard hostnames get TXT names with
 *   `wildcard` in place of `*`, which a TXT name cannot carry meaningfully.
 */
export class ExternalDns extends pulumi.ComponentResource {
  readonly role: IrsaRole;
  readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: ExternalDnsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:eks:ExternalDns', name, {}, opts);
    const ctx = args.context;
    this.role = new IrsaRole(
      `${name}-irsa`,
      {
        roleName: `${ctx.clusterName}-external-dns`,
        oidcProviderArn: ctx.oidcProviderArn,
        oidcIssuer: ctx.oidcIssuer,
        ...EXTERNAL_DNS,
        policy: externalDnsPolicy(ctx.partition, args.hostedZoneId, args.domain),
        description: `ExternalDNS of ${ctx.clusterName}: records under ${args.domain} in hosted zone ${args.hostedZoneId}`,
        tags: ctx.tags,
      },
      { parent: this },
    );
    this.release = pinnedRelease(
      `${name}-release`,
      CHARTS.externalDns,
      {
        releaseName: 'external-dns',
        namespace: EXTERNAL_DNS.namespace,
        createNamespace: true,
        values: {
          provider: { name: 'aws' },
          // The chart grants read access to Gateways, HTTPRoutes and Namespaces for this source.
          sources: ['gateway-httproute'],
          gatewayNamespace: args.gatewayNamespace,
          domainFilters: [args.domain],
          policy: 'upsert-only',
          registry: 'txt',
          txtOwnerId: ctx.clusterName,
          interval: '1m',
          extraArgs: {
            // The zone by id: a private and a public zone may share the domain's name.
            'zone-id-filter': args.hostedZoneId,
            'txt-wildcard-replacement': 'wildcard',
          },
          env: [{ name: 'AWS_DEFAULT_REGION', value: ctx.region }],
          serviceAccount: {
            create: true,
            name: EXTERNAL_DNS.serviceAccount,
            annotations: { [ROLE_ARN_ANNOTATION]: this.role.arn },
          },
          resources: {
            requests: { cpu: '50m', memory: '64Mi' },
            limits: { cpu: '250m', memory: '256Mi' },
          },
          nodeSelector: { ...ctx.systemNodeSelector },
        },
      },
      { parent: this, dependsOn: [...ctx.ready, ...this.role.attachments] },
    );
    this.registerOutputs({ roleArn: this.role.arn, domain: args.domain });
  }
}
