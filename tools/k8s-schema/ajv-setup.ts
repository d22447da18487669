/**
 * The ajv configuration and top-level object schemas shared by the build-time compiler (compile-validators.ts)
 * and by runtime registration, so that both produce errors of the same shape.
 */
import type Ajv from 'ajv';
import type { Options } from 'ajv';
import type * as AjvModule from 'ajv';
import { nameRuleFor, requiresName, stringSchema } from './kubernetes-patterns';
import type { GeneratedSchema, JsonSchema } from './schema-types';

/** `$id` of the document holding every generated definition; CRD schemas `$ref` into it. */
export const KUBERNETES_DEFINITIONS_ID = 'k8s';

const OBJECT_META = 'meta.v1.ObjectMeta';

/** A `$ref` to a Kubernetes type for use inside registered CRD schemas, e.g. `kubernetesRef('core.v1.Affinity')`. */
export function kubernetesRef(definition: string): { $ref: string } {
  return { $ref: `${KUBERNETES_DEFINITIONS_ID}#/definitions/${definition}` };
}

export function createAjv(options: Options = {}): Ajv {
  // Required here, not at the top: a plan whose validators all come from the caches never loads ajv's compiler.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: AjvClass } = require('ajv') as typeof AjvModule;
  return new AjvClass({
    allErrors: true,
    // parentSchema on each error lets an unknown field be answered with "did you mean".
    verbose: true,
    // strict mode also rejects typos in the CRD schemas we write (e.g. "additionalProperty").
    strict: true,
    allowUnionTypes: true,
    // One function per definition, shared by every kind that uses it: keeps the compiled module small.
    inlineRefs: false,
    ...options,
  });
}

export function addKubernetesDefinitions(ajv: Ajv, schema: GeneratedSchema): void {
  // The generated document is trusted; validating it against the meta-schema would only cost time.
  ajv.addSchema(
    { $id: KUBERNETES_DEFINITIONS_ID, definitions: schema.definitions },
    undefined,
    undefined,
    false,
  );
}

/**
 * How a top-level schema treats metadata: `none` for lists (ListMeta, no name), `named` when the body already
 * types metadata as ObjectMeta (built-in kinds), `object-meta` when it does not (registered CRD schemas).
 */
export type MetadataCheck = 'none' | 'named' | 'object-meta';

/**
 * What Kubernetes demands of an object sent to the API server, on top of its type: apiVersion and kind, and
 * a metadata.name that follows the kind's naming rule.
 */
export function topLevelSchema(
  apiVersion: string,
  kind: string,
  body: JsonSchema,
  check: MetadataCheck,
): JsonSchema {
  const identity = { apiVersion: { type: 'string' }, kind: { type: 'string' } };
  if (check === 'none') {
    return { type: 'object', allOf: [body], required: ['apiVersion', 'kind'], properties: identity };
  }
  const needsName = requiresName(apiVersion, kind);
  const metadata: JsonSchema = {
    type: 'object',
    ...(check === 'object-meta' ? { allOf: [kubernetesRef(OBJECT_META)] } : {}),
    properties: { name: stringSchema(nameRuleFor(apiVersion, kind)) },
    ...(needsName ? { required: ['name'] } : {}),
  };
  return {
    type: 'object',
    allOf: [body],
    required: needsName ? ['apiVersion', 'kind', 'metadata'] : ['apiVersion', 'kind'],
    properties: { ...identity, metadata },
  };
}

/** Whether a generated kind definition carries ObjectMeta (lists carry ListMeta, and need no name). */
export function hasObjectMeta(schema: GeneratedSchema, definition: string): boolean {
  const properties = schema.definitions[definition]?.['properties'] as Record<string, JsonSchema> | undefined;
  return properties?.['metadata']?.['$ref'] === `#/definitions/${OBJECT_META}`;
}
