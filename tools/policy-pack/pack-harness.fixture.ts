// Test fixture: the CrossGuard pack run the way the policy engine runs it, on resources built from objects.
import type { PolicyResource, StackValidationArgs } from '@pulumi/policy';
import type { K8sObject } from '../policy';
import { platformPolicies } from './platform-policies';

/** A non-Kubernetes resource of the stack (a Helm release, a bucket), as the engine hands it over. */
export function asResource(
  stack: string,
  type: string,
  name: string,
  props: Record<string, unknown>,
): PolicyResource {
  return {
    type,
    name,
    urn: `urn:pulumi:${stack}::platform::${type}::${name}`,
    props: structuredClone(props),
    opts: {} as PolicyResource['opts'],
    dependencies: [],
    propertyDependencies: {},
    isType: () => false,
    asType: () => undefined,
  } as unknown as PolicyResource;
}

/** Stack resources as the policy engine hands them over: one per object, with a URN naming the stack. */
export function asResources(stack: string, objects: readonly K8sObject[]): PolicyResource[] {
  return objects.map((o) => {
    const type = `kubernetes:${o.apiVersion.includes('/') ? o.apiVersion : `core/${o.apiVersion}`}:${o.kind}`;
    const name = `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    return asResource(stack, type, name, o as unknown as Record<string, unknown>);
  });
}

/** Every violation every pack policy reports, as `<policy> <message> @ <urn>`. */
export function runPack(resources: PolicyResource[]): string[] {
  const found: string[] = [];
  const args: StackValidationArgs = {
    resources,
    stackTags: new Map(),
    getConfig: <T extends object>() => ({}) as T,
    notApplicable: (reason?: string): never => {
      throw new Error(`not applicable: ${reason ?? ''}`);
    },
  };
  for (const policy of platformPolicies()) {
    void policy.validateStack(args, (message, urn) =>
      found.push(`${policy.name} ${message} @ ${urn ?? '-'}`),
    );
  }
  return found.sort();
}
