/** A JSON Schema (draft-07) object, as ajv accepts it. */
export type JsonSchema = { [keyword: string]: unknown };

/** The cached output of generate-schema.ts. */
export interface GeneratedSchema {
  readonly format: number;
  readonly kubernetesTypesVersion: string;
  /** Keyed by module and type name, e.g. "apps.v1.Deployment", "meta.v1.ObjectMeta", "api.resource.Quantity". */
  readonly definitions: Readonly<Record<string, JsonSchema>>;
  /** apiVersion → kind → definition name, for every type that pins both (e.g. "apps/v1" → "Deployment"). */
  readonly kinds: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** Export of the compiled validators module mapping apiVersion → kind → export holding its validate function. */
export const KIND_INDEX_EXPORT = 'kindIndex';
