import path from 'node:path';
import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import { addKubernetesDefinitions, createAjv, topLevelSchema } from './ajv-setup';
import { closest, describeValue, formatViolations } from './format-violations';
import type { SchemaViolation } from './format-violations';
import { defaultCacheDir, loadCompiledKinds } from './schema-cache';
import { cachedValidator } from './standalone-cache';
import type { CompiledKinds } from './schema-cache';
import type { JsonSchema } from './schema-types';

export interface KubernetesValidator {
  /**
   * Every way `obj` breaks the schema of its apiVersion + kind: unknown fields, wrong types, missing required
   * fields, invalid metadata.name/labels/quantities. Empty when valid. Never throws.
   */
  validate(obj: unknown): SchemaViolation[];
  /**
   * Validates objects of `apiVersion` + `kind` (e.g. a CRD's) against `schema`, a draft-07 JSON Schema for the
   * whole object. Its properties must include apiVersion, kind and metadata (metadata is checked as ObjectMeta
   * and metadata.name as a DNS subdomain on top of it), and every object schema with `properties` must state
   * `additionalProperties`. Built-in types are reachable with `kubernetesRef('core.v1.ResourceRequirements')`.
   * Throws when the schema is invalid or the kind already has a schema.
   */
  register(apiVersion: string, kind: string, schema: JsonSchema): void;
}

export interface LoadOptions {
  /** Where the generated schema is cached; defaults to <repo>/.cache/k8s-schema. */
  readonly cacheDir?: string;
  /** Where the compiled code of registered schemas is cached; defaults to `<cacheDir>/registered`. */
  readonly registeredCacheDir?: string;
}

/**
 * Returns a validator for every kind in kubernetes-types. Fast once cached (~0.1 s); the first run in a fresh
 * clone generates the schema (~2-3 s). Validators share the compiled built-in kinds; registrations are per
 * validator.
 */
export function loadKubernetesValidator(options: LoadOptions = {}): KubernetesValidator {
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  return new Validator(
    loadCompiledKinds(cacheDir),
    options.registeredCacheDir ?? path.join(cacheDir, 'registered'),
  );
}

class Validator implements KubernetesValidator {
  private readonly registered = new Map<string, Map<string, ValidateFunction>>();
  private ajv: Ajv | undefined;

  constructor(
    private readonly builtIn: CompiledKinds,
    private readonly registeredCacheDir: string,
  ) {}

  validate(obj: unknown): SchemaViolation[] {
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      return [{ path: '', message: `must be a Kubernetes object (got ${describeValue(obj)})` }];
    }
    const { apiVersion, kind } = obj as { apiVersion?: unknown; kind?: unknown };
    const identity = [identityViolation('apiVersion', apiVersion), identityViolation('kind', kind)];
    const problems = identity.filter((violation) => violation !== undefined);
    if (problems.length > 0 || typeof apiVersion !== 'string' || typeof kind !== 'string') return problems;

    const validate = this.lookup(apiVersion, kind);
    if (validate === undefined) return [{ path: '', message: this.noSchemaMessage(apiVersion, kind) }];
    return validate(obj) ? [] : formatViolations(validate.errors ?? [], obj);
  }

  register(apiVersion: string, kind: string, schema: JsonSchema): void {
    if (apiVersion === '' || kind === '') throw new Error('register needs a non-empty apiVersion and kind');
    if (this.lookup(apiVersion, kind) !== undefined) {
      throw new Error(`a schema for apiVersion "${apiVersion}" kind "${kind}" already exists`);
    }
    const open = findOpenObject(schema, '#');
    if (open !== undefined) {
      throw new Error(`schema for ${apiVersion} ${kind}: ${open} has properties but no additionalProperties`);
    }
    // Compiled once per schema and cached as standalone code; the definitions document and ajv are loaded
    // only on a miss (~0.1 s).
    let validate: ValidateFunction;
    try {
      validate = cachedValidator(
        this.registeredCacheDir,
        `${apiVersion}-${kind}`,
        topLevelSchema(apiVersion, kind, schema, 'object-meta'),
        // The built-in definitions the schema may $ref, and the ajv options (both in the built-in cache key).
        this.builtIn.key,
        () => (this.ajv ??= this.createAjvWithDefinitions()),
      ).validate;
    } catch (error) {
      throw new Error(
        `invalid schema for ${apiVersion} ${kind}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    let byKind = this.registered.get(apiVersion);
    if (byKind === undefined) {
      byKind = new Map();
      this.registered.set(apiVersion, byKind);
    }
    byKind.set(kind, validate);
  }

  private createAjvWithDefinitions(): Ajv {
    const ajv = createAjv({ code: { source: true } });
    addKubernetesDefinitions(ajv, this.builtIn.readSchema());
    return ajv;
  }

  private lookup(apiVersion: string, kind: string): ValidateFunction | undefined {
    return this.registered.get(apiVersion)?.get(kind) ?? this.builtIn.validators.get(apiVersion)?.get(kind);
  }

  /** Names the likely mix-up: a kind under another apiVersion, or a misspelt kind. */
  private noSchemaMessage(apiVersion: string, kind: string): string {
    const message = `no schema for apiVersion "${apiVersion}" kind "${kind}"`;
    const versions = new Set<string>();
    const kindsHere = new Set<string>();
    for (const source of [this.builtIn.validators, this.registered]) {
      for (const [version, kinds] of source) {
        if (kinds.has(kind)) versions.add(version);
        if (version === apiVersion) for (const known of kinds.keys()) kindsHere.add(known);
      }
    }
    if (versions.size > 0) {
      const list = [...versions].map((version) => `"${version}"`).join(', ');
      return `${message}: kind "${kind}" exists in apiVersion ${list}`;
    }
    const guess = closest(kind, [...kindsHere]);
    if (guess !== undefined) return `${message}: did you mean kind "${guess}"?`;
    return kindsHere.size === 0 ? `${message}: unknown apiVersion` : `${message}: unknown kind`;
  }
}

function identityViolation(field: string, value: unknown): SchemaViolation | undefined {
  if (value === undefined) return { path: field, message: `missing required field "${field}"` };
  if (typeof value !== 'string' || value === '') {
    return { path: field, message: `must be a non-empty string (got ${describeValue(value)})` };
  }
  return undefined;
}

/** Keywords whose value is data, not a schema. */
const DATA_KEYWORDS: ReadonlySet<string> = new Set(['enum', 'const', 'default', 'examples', 'required']);
/** Keywords whose value maps names to schemas. */
const MAP_KEYWORDS: ReadonlySet<string> = new Set([
  'properties',
  'patternProperties',
  'definitions',
  '$defs',
]);

/** The JSON pointer of the first object schema that lists properties but leaves unknown fields allowed. */
function findOpenObject(schema: unknown, pointer: string): string | undefined {
  if (schema === null || typeof schema !== 'object') return undefined;
  const children: [string, unknown][] = [];
  if (Array.isArray(schema)) {
    schema.forEach((item, index) => children.push([`${pointer}/${index}`, item]));
  } else {
    const node = schema as Record<string, unknown>;
    if ('properties' in node && !('additionalProperties' in node)) return pointer;
    for (const [key, child] of Object.entries(node)) {
      if (DATA_KEYWORDS.has(key)) continue;
      if (MAP_KEYWORDS.has(key) && child !== null && typeof child === 'object') {
        for (const [name, sub] of Object.entries(child))
          children.push([`${pointer}/${key}/${escape(name)}`, sub]);
      } else {
        children.push([`${pointer}/${escape(key)}`, child]);
      }
    }
  }
  for (const [childPointer, child] of children) {
    const found = findOpenObject(child, childPointer);
    if (found !== undefined) return found;
  }
  return undefined;
}

function escape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
