import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REDACTED_SECRET } from '../../stacks/spec';

/** What the plan feeds the Pulumi runtime for one stack, read from `Pulumi.<stack>.yaml`. */
export interface StackConfig {
  /** Fully qualified keys (`platform:tier`) to the string form Pulumi passes a program. */
  readonly values: Record<string, string>;
  /** Keys that hold `secure:` values (replaced by a placeholder: the plan never decrypts anything). */
  readonly secretKeys: string[];
}

export class StackFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StackFileError';
  }
}

/** Placeholder for `secure:` values: the plan never has the stack's secrets provider. */
export const SECRET_PLACEHOLDER = REDACTED_SECRET;

export function availableStacks(root: string): string[] {
  return readdirSync(root)
    .map((f) => /^Pulumi\.([a-z0-9][a-z0-9-]*)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/**
 * Reads a stack file the way the Pulumi CLI hands it to a program: plain strings stay strings, structured
 * values become JSON text, and `secure:` values become secrets (here, a placeholder).
 */
export function readStackConfig(root: string, stack: string): StackConfig {
  const file = join(root, `Pulumi.${stack}.yaml`);
  if (!existsSync(file)) {
    throw new StackFileError(
      `no stack file Pulumi.${stack}.yaml in ${root}; stacks found: ${availableStacks(root).join(', ') || 'none'}`,
    );
  }
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new StackFileError(`Pulumi.${stack}.yaml is not valid YAML: ${(err as Error).message}`);
  }
  if (doc === null || doc === undefined) return { values: {}, secretKeys: [] };
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new StackFileError(`Pulumi.${stack}.yaml must be a mapping with a "config" key`);
  }
  const config = (doc as Record<string, unknown>).config ?? {};
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new StackFileError(`Pulumi.${stack}.yaml: "config" must be a mapping of "namespace:key" to values`);
  }
  const values: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
    if (!/^[A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+$/.test(key)) {
      throw new StackFileError(
        `Pulumi.${stack}.yaml: config key "${key}" must be namespaced as "<namespace>:<key>", e.g. "platform:${key}"`,
      );
    }
    const empty = emptySecure(value);
    if (empty !== undefined) {
      throw new StackFileError(
        `Pulumi.${stack}.yaml: ${key}${empty} is an empty secure value; set it with \`pulumi config set --secret ${key} <value>\` or remove the key`,
      );
    }
    if (isSecure(value)) {
      values[key] = SECRET_PLACEHOLDER;
      secretKeys.push(key);
    } else if (containsSecure(value)) {
      // Pulumi lets a structured value hold secure leaves; the whole key is then secret.
      values[key] = JSON.stringify(redactSecure(value));
      secretKeys.push(key);
    } else {
      values[key] = typeof value === 'string' ? value : JSON.stringify(value);
    }
  }
  return { values, secretKeys: secretKeys.sort() };
}

/** Where a `secure:` leaf holds nothing (its path inside the value, "" for the value itself), if anywhere. */
function emptySecure(value: unknown, at = ''): string | undefined {
  if (isSecure(value)) return (value as { secure: string }).secure.trim() === '' ? at : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [k, v] of Object.entries(value)) {
    const found = emptySecure(v, Array.isArray(value) ? `${at}[${k}]` : `${at}.${k}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The `platform:` values of a stack, keys without the namespace and structured values decoded, as the
 * program sees them (for checks across stacks).
 */
export function platformValues(config: StackConfig): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config.values)) {
    if (!key.startsWith('platform:')) continue;
    let decoded: unknown = value;
    try {
      decoded = JSON.parse(value) as unknown;
    } catch {
      // A plain string stays as written.
    }
    raw[key.slice('platform:'.length)] = decoded;
  }
  return raw;
}

function isSecure(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    typeof (value as Record<string, unknown>).secure === 'string'
  );
}

function containsSecure(value: unknown): boolean {
  if (isSecure(value)) return true;
  if (typeof value !== 'object' || value === null) return false;
  return Object.values(value).some(containsSecure);
}

function redactSecure(value: unknown): unknown {
  if (isSecure(value)) return SECRET_PLACEHOLDER;
  if (Array.isArray(value)) return value.map(redactSecure);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactSecure(v)]));
  }
  return value;
}
