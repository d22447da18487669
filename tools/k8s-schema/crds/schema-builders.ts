/**
 * Small constructors for the hand-written CRD schemas. Every object built here is closed
 * (`additionalProperties: false`), so a misspelt field fails the plan instead of being pruned by the API server.
 */
import { kubernetesRef } from '../ajv-setup';
import { LABEL_VALUE, QUALIFIED_NAME, stringSchema } from '../kubernetes-patterns';
import type { JsonSchema } from '../schema-types';

/** One custom resource kind and the schema its objects are validated against. */
export interface CrdSchema {
  readonly apiVersion: string;
  readonly kind: string;
  readonly schema: JsonSchema;
}

export interface StringOptions {
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
}

export function string(options: StringOptions = {}): JsonSchema {
  return { type: 'string', ...options };
}

export const str: JsonSchema = { type: 'string' };
export const bool: JsonSchema = { type: 'boolean' };
export const num: JsonSchema = { type: 'number' };

export function integer(minimum?: number, maximum?: number): JsonSchema {
  return {
    type: 'integer',
    ...(minimum === undefined ? {} : { minimum }),
    ...(maximum === undefined ? {} : { maximum }),
  };
}

export function number(minimum?: number): JsonSchema {
  return { type: 'number', ...(minimum === undefined ? {} : { minimum }) };
}

export function enumOf(...values: readonly string[]): JsonSchema {
  return { type: 'string', enum: [...values] };
}

export interface ArrayOptions {
  readonly minItems?: number;
  readonly maxItems?: number;
}

export function array(items: JsonSchema, options: ArrayOptions = {}): JsonSchema {
  return { type: 'array', items, ...options };
}

export const strings: JsonSchema = array(str);

/**
 * A closed object. `extra` carries keywords such as if/then/allOf/anyOf for the rules a CRD states in CEL or an
 * operator's webhook enforces (never `properties` or `additionalProperties`, which it would override).
 */
export function object(
  properties: Readonly<Record<string, JsonSchema>>,
  required: readonly string[] = [],
  extra: JsonSchema = {},
): JsonSchema {
  return {
    type: 'object',
    additionalProperties: false,
    properties,
    ...(required.length > 0 ? { required: [...required] } : {}),
    ...extra,
  };
}

/** An object whose keys are free and whose values follow `values` (a Go map in the CRD). */
export function mapOf(values: JsonSchema): JsonSchema {
  return { type: 'object', additionalProperties: values };
}

export const stringMap: JsonSchema = mapOf(str);

/** `x-kubernetes-preserve-unknown-fields` objects: only the operator knows their keys. */
export const freeForm: JsonSchema = { type: 'object' };

/** `x-kubernetes-int-or-string`. */
export const intOrString: JsonSchema = { type: ['integer', 'string'] };

/** Label and annotation maps checked like ObjectMeta's, so the same mistakes fail in CRD pod templates. */
export const labels: JsonSchema = {
  type: 'object',
  propertyNames: stringSchema(QUALIFIED_NAME),
  additionalProperties: stringSchema(LABEL_VALUE),
};
export const annotations: JsonSchema = {
  type: 'object',
  propertyNames: stringSchema(QUALIFIED_NAME),
  additionalProperties: str,
};

/** Built-in Kubernetes types, shared with the generated schema so CRDs check them exactly as pods do. */
export const k8s = {
  resources: kubernetesRef('core.v1.ResourceRequirements'),
  volumeResources: kubernetesRef('core.v1.VolumeResourceRequirements'),
  affinity: kubernetesRef('core.v1.Affinity'),
  tolerations: array(kubernetesRef('core.v1.Toleration')),
  topologySpreadConstraints: array(kubernetesRef('core.v1.TopologySpreadConstraint')),
  labelSelector: kubernetesRef('meta.v1.LabelSelector'),
  labelSelectorRequirement: kubernetesRef('meta.v1.LabelSelectorRequirement'),
  podSecurityContext: kubernetesRef('core.v1.PodSecurityContext'),
  securityContext: kubernetesRef('core.v1.SecurityContext'),
  env: array(kubernetesRef('core.v1.EnvVar')),
  volumes: array(kubernetesRef('core.v1.Volume')),
  volumeMounts: array(kubernetesRef('core.v1.VolumeMount')),
  containers: array(kubernetesRef('core.v1.Container')),
  imagePullSecrets: array(kubernetesRef('core.v1.LocalObjectReference')),
  hostAliases: array(kubernetesRef('core.v1.HostAlias')),
  secretKeySelector: kubernetesRef('core.v1.SecretKeySelector'),
  configMapKeySelector: kubernetesRef('core.v1.ConfigMapKeySelector'),
  persistentVolumeClaim: kubernetesRef('core.v1.PersistentVolumeClaim'),
  emptyDir: kubernetesRef('core.v1.EmptyDirVolumeSource'),
  hostPath: kubernetesRef('core.v1.HostPathVolumeSource'),
  typedLocalObjectReference: kubernetesRef('core.v1.TypedLocalObjectReference'),
  typedObjectReference: kubernetesRef('core.v1.TypedObjectReference'),
  deploymentStrategy: kubernetesRef('apps.v1.DeploymentStrategy'),
  hpaBehavior: kubernetesRef('autoscaling.v2.HorizontalPodAutoscalerBehavior'),
  hpaMetric: kubernetesRef('autoscaling.v2.MetricSpec'),
} as const;

/**
 * The whole-object schema of a custom resource. `metadata` is only typed as an object here: the validator
 * checks it as ObjectMeta. `status` is left out on purpose: the platform never writes it. `spec` is required
 * unless `specRequired: false`, also where the CRD leaves it optional but its own required fields (or the
 * operator) make an object without one useless.
 */
export function customResource(
  spec: JsonSchema,
  options: { readonly specRequired?: boolean } = {},
): JsonSchema {
  return object(
    { apiVersion: str, kind: str, metadata: { type: 'object' }, spec },
    options.specRequired === false ? [] : ['spec'],
  );
}

/**
 * A subschema constraining only the named fields of an object, for if/then rules. It says
 * `additionalProperties: true` because register() wants every `properties` to state it (the object itself stays
 * closed by its own schema), and `type` because ajv's strict mode wants it beside object keywords.
 */
export function only(properties: Readonly<Record<string, JsonSchema | boolean>>): JsonSchema {
  return { type: 'object', properties, additionalProperties: true };
}

/** `then` schema forbidding fields: each fails at its own path with "is not allowed". */
export function forbid(...fields: readonly string[]): JsonSchema {
  return constrain([], fields);
}

/** `then` schema requiring some fields and forbidding others, each reported at its own path. */
export function constrain(required: readonly string[], forbidden: readonly string[]): JsonSchema {
  const properties = Object.fromEntries([
    // ajv's strictRequired wants required fields listed under properties of the same subschema.
    ...required.map((field) => [field, true]),
    ...forbidden.map((field) => [field, false]),
  ]);
  return { ...(required.length > 0 ? { required: [...required] } : {}), ...only(properties) };
}

/** `if` schema matching when `field` is present and equals one of `values`. */
export function whenField(field: string, ...values: readonly (string | number | boolean)[]): JsonSchema {
  return { required: [field], ...whenFieldOrDefault(field, ...values) };
}

/**
 * `if` schema matching when `field` is absent or equals one of `values`: for discriminators with a default
 * (e.g. a backendRef's kind defaults to Service).
 */
export function whenFieldOrDefault(
  field: string,
  ...values: readonly (string | number | boolean)[]
): JsonSchema {
  return only({ [field]: values.length === 1 ? { const: values[0] } : { enum: [...values] } });
}

/** Subschema requiring fields, each reported as missing at its own path (for then/anyOf/oneOf). */
export function requires(...fields: readonly string[]): JsonSchema {
  return constrain(fields, []);
}

/**
 * "`field` excludes `others`": when `field` is set, each of `others` fails at its own path with "is not allowed"
 * (clearer than `not`, whose failure names no field).
 */
export function excludes(field: string, ...others: readonly string[]): JsonSchema {
  return { if: requires(field), then: forbid(...others) };
}

/** "A discriminator value needs its member": `field: value` requires the `required` fields. */
export function requireWhen(field: string, value: string | number, required: readonly string[]): JsonSchema {
  return { if: whenField(field, value), then: requires(...required) };
}
