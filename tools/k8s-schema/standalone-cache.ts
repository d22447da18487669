/**
 * Compiled validators for registered (CRD) schemas, cached as ajv standalone code: compiling a CRD schema costs
 * 20-300 ms (~1.2 s for the platform kinds a plan uses), loading the cached module with `require` a few ms.
 *
 * A file is named after a hash of everything that shapes the code: the ajv version, a context naming the
 * definitions and options the schema was compiled with, and the schema itself. A changed schema gets a new
 * file; an unreadable file is compiled again and replaced.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import type * as Standalone from 'ajv/dist/standalone';
import { writeFileAtomic } from './schema-cache';
import type { JsonSchema } from './schema-types';

export interface CachedValidator {
  readonly validate: ValidateFunction;
  /** `cache` when the standalone code was loaded from `file`, `compiled` when it was compiled (and stored). */
  readonly source: 'cache' | 'compiled';
  readonly file: string;
}

let ajvVersionMemo: string | undefined;

function ajvVersion(): string {
  ajvVersionMemo ??= (
    JSON.parse(fs.readFileSync(require.resolve('ajv/package.json'), 'utf8')) as { version: string }
  ).version;
  return ajvVersionMemo;
}

/** The cache key of `schema` compiled under `context`: a hex digest. */
export function standaloneKey(schema: JsonSchema, context: string): string {
  return crypto
    .createHash('sha256')
    .update(`ajv@${ajvVersion()}\n${context}\n`)
    .update(JSON.stringify(schema))
    .digest('hex')
    .slice(0, 20);
}

/** Where the cached code of `schema` lives: `<dir>/<label>-<key>.js`. */
export function standaloneFile(dir: string, label: string, schema: JsonSchema, context: string): string {
  const safe = label.toLowerCase().replace(/[^a-z0-9.-]+/g, '-');
  return path.join(dir, `${safe}-${standaloneKey(schema, context)}.js`);
}

/**
 * ajv's standalone code requires its runtime helpers by package name (`ajv/dist/runtime/equal`), which would
 * not resolve from a cache folder outside the project; they are required from this ajv installation instead.
 */
function asModule(code: string): string {
  const anchor = require.resolve('ajv/package.json');
  return [
    '"use strict";',
    `const ajvRequire = require("node:module").createRequire(${JSON.stringify(anchor)});`,
    '(function (require, module, exports) {',
    code,
    '})(ajvRequire, module, module.exports);',
    '',
  ].join('\n');
}

function tryRequire(file: string): ValidateFunction | undefined {
  if (!fs.existsSync(file)) return undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(file) as ValidateFunction | { default?: unknown };
    const validate = typeof loaded === 'function' ? loaded : loaded.default;
    return typeof validate === 'function' ? (validate as ValidateFunction) : undefined;
  } catch {
    return undefined; // damaged, or for another ajv: compile again
  }
}

/**
 * The validator of `schema` from `dir`, or compiled with `ajv()` and stored there. `ajv` is called only on a
 * miss and must have been created with `code: { source: true }`; compile errors propagate.
 */
export function cachedValidator(
  dir: string,
  label: string,
  schema: JsonSchema,
  context: string,
  ajv: () => Ajv,
): CachedValidator {
  const file = standaloneFile(dir, label, schema, context);
  const cached = tryRequire(file);
  if (cached !== undefined) return { validate: cached, source: 'cache', file };
  const instance = ajv();
  const validate = instance.compile(schema);
  try {
    // Loaded only on a miss, like the compiler itself.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const standaloneCode = (require('ajv/dist/standalone') as typeof Standalone).default;
    writeFileAtomic(file, asModule(standaloneCode(instance, validate)));
  } catch (error) {
    // A read-only checkout still validates; it compiles on every run.
    process.emitWarning(`k8s-schema: cannot cache ${file}: ${String(error)}`);
  }
  return { validate, source: 'compiled', file };
}
