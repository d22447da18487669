import type * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import {
  NamespaceBaselineChart,
  synthesize,
  type NamespaceBaselineProps,
  type PodSecurityLevel,
} from '../../charts';
import { applyObjects } from '../kubernetes';

export interface NamespaceRequest {
  readonly name: string;
  readonly podSecurity: PodSecurityLevel;
  readonly quota?: NamespaceBaselineProps['quota'];
  readonly limitRange?: NamespaceBaselineProps['limitRange'];
}

export interface NamespacesArgs {
  readonly provider: k8s.Provider;
  readonly namespaces: readonly NamespaceRequest[];
}

/** The environment's namespaces, each with Pod Security labels and a default-deny NetworkPolicy. */
export class Namespaces extends pulumi.ComponentResource {
  /** Namespace names, ready once the namespaces and their policies are applied. */
  readonly names: pulumi.Output<string[]>;
  /** Depend on this before deploying into the namespaces. */
  readonly ready: pulumi.Resource;

  constructor(name: string, args: NamespacesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:baseline:Namespaces', name, {}, opts);
    const seen = new Set<string>();
    for (const ns of args.namespaces) {
      if (seen.has(ns.name))
        throw new Error(`namespaces: "${ns.name}" is requested twice; each must be unique`);
      seen.add(ns.name);
    }
    const objects = args.namespaces.flatMap((ns) =>
      synthesize((app) => new NamespaceBaselineChart(app, ns.name, { ...ns })),
    );
    // Namespaces first: objects inside a namespace cannot be created before it exists.
    const nsGroup = applyObjects(
      `${name}-namespaces`,
      objects.filter((o) => o.kind === 'Namespace'),
      { parent: this, provider: args.provider },
    );
    const policies = applyObjects(
      `${name}-policies`,
      objects.filter((o) => o.kind !== 'Namespace'),
      { parent: this, provider: args.provider, dependsOn: [nsGroup] },
    );
    this.ready = policies;
    this.names = policies.resources.apply(() => args.namespaces.map((ns) => ns.name));
    this.registerOutputs({ names: this.names });
  }
}
