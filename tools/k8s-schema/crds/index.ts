/**
 * Schemas for the custom resources the platform creates, so the offline plan checks them as strictly as the
 * built-in kinds (unknown fields, types, enums, required fields):
 *
 *   const validator = loadKubernetesValidator();
 *   registerPlatformCrds(validator);
 *   validator.validate(httpRoute); // [] or [{ path: 'spec.rules[0].backendRefs[0].port', message: ... }]
 *
 * One file per API group; each file's header names the upstream release it follows.
 */
import type { KubernetesValidator } from '../kubernetes-validator';
import { ARGO_ROLLOUTS_SCHEMAS } from './argo-rollouts';
import { CERT_MANAGER_SCHEMAS } from './cert-manager';
import { ENVOY_GATEWAY_SCHEMAS } from './envoy-gateway';
import { EXTERNAL_SECRETS_SCHEMAS } from './external-secrets';
import { GATEWAY_API_SCHEMAS } from './gateway-api';
import { PERCONA_MONGODB_SCHEMAS } from './percona-mongodb';
import { PROMETHEUS_OPERATOR_SCHEMAS } from './prometheus-operator';
import type { CrdSchema } from './schema-builders';
import { STRIMZI_SCHEMAS } from './strimzi';

export type { CrdSchema } from './schema-builders';

/** Every platform custom resource kind with its schema, grouped by API group. */
export const PLATFORM_CRD_SCHEMAS: readonly CrdSchema[] = [
  ...GATEWAY_API_SCHEMAS,
  ...ENVOY_GATEWAY_SCHEMAS,
  ...CERT_MANAGER_SCHEMAS,
  ...EXTERNAL_SECRETS_SCHEMAS,
  ...PROMETHEUS_OPERATOR_SCHEMAS,
  ...STRIMZI_SCHEMAS,
  ...PERCONA_MONGODB_SCHEMAS,
  ...ARGO_ROLLOUTS_SCHEMAS,
];

export interface RegisterPlatformCrdsOptions {
  /**
   * Registers only the platform kinds among these (e.g. the rendered objects themselves), since each schema costs
   * compile time. Kinds that are not platform CRDs are ignored. Default: every platform kind.
   */
  readonly only?: Iterable<{ readonly apiVersion?: unknown; readonly kind?: unknown }>;
}

/**
 * Registers the platform CRD kinds on `validator`; compiling all of them takes about a second the first time (then
 * their code is loaded from .cache), so a plan can pass `only`. Throws if one of them is already registered on it.
 */
export function registerPlatformCrds(
  validator: KubernetesValidator,
  options: RegisterPlatformCrdsOptions = {},
): void {
  const wanted = options.only === undefined ? undefined : new Set([...options.only].map(identity));
  for (const { apiVersion, kind, schema } of PLATFORM_CRD_SCHEMAS) {
    if (wanted === undefined || wanted.has(identity({ apiVersion, kind })))
      validator.register(apiVersion, kind, schema);
  }
}

function identity(object: { readonly apiVersion?: unknown; readonly kind?: unknown }): string {
  return `${String(object.apiVersion)} ${String(object.kind)}`;
}
