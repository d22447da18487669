/**
 * Generated schema and compiled validators, cached under <repo>/.cache/k8s-schema/ (gitignored).
 * The cache key covers the versions of the packages that shape the output and this folder's source, so any
 * change regenerates instead of silently reusing a stale schema.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ValidateFunction } from 'ajv';
import type * as CompileValidators from './compile-validators';
import type * as GenerateSchema from './generate-schema';
import { KIND_INDEX_EXPORT } from './schema-types';
import type { GeneratedSchema } from './schema-types';

export interface CompiledKinds {
  /** Names this schema, ajv and k8s-schema source (the cache files' base name), for caches built on it. */
  readonly key: string;
  /** apiVersion → kind → validator of a whole top-level object. */
  readonly validators: ReadonlyMap<string, ReadonlyMap<string, ValidateFunction>>;
  /** The generated definitions, read (or regenerated) only when needed, i.e. to register a CRD schema. */
  readSchema(): GeneratedSchema;
}

export interface CacheFiles {
  readonly schema: string;
  readonly validators: string;
}

const loaded = new Map<string, CompiledKinds>();

/** Loads the compiled validators from `cacheDir`, generating them first when missing; memoized per directory. */
export function loadCompiledKinds(cacheDir: string = defaultCacheDir(), reuse = true): CompiledKinds {
  const files = cacheFiles(cacheDir);
  const known = reuse ? loaded.get(files.validators) : undefined;
  if (known !== undefined) return known;

  let schema: GeneratedSchema | undefined;
  let validators = tryLoadValidators(files.validators);
  if (validators === undefined) {
    const built = build();
    schema = built.schema;
    persist(files.schema, JSON.stringify(built.schema));
    persist(files.validators, built.validatorsCode);
    validators = indexValidators(evaluateModule(built.validatorsCode, files.validators));
  }
  const compiled: CompiledKinds = {
    key: path.basename(files.validators, '.validators.js'),
    validators,
    readSchema: () => (schema ??= readSchemaFile(files.schema) ?? regenerateSchema(files.schema)),
  };
  loaded.set(files.validators, compiled);
  return compiled;
}

export function defaultCacheDir(): string {
  return path.join(findRepoRoot(), '.cache', 'k8s-schema');
}

/**
 * The repository root, from source (ts-jest) and from compiled code under dist/ alike. A dist/ directory is
 * skipped because tsc copies package.json there when some module imports it.
 */
export function findRepoRoot(start: string = __dirname): string {
  for (let dir = start; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    if (path.basename(dir) !== 'dist' && packageName(path.join(dir, 'package.json')) === 'platform') {
      return dir;
    }
  }
  // Not inside the platform repository: use the project that installed kubernetes-types.
  return path.resolve(path.dirname(require.resolve('kubernetes-types/package.json')), '..', '..');
}

export function cacheFiles(cacheDir: string): CacheFiles {
  const base = path.join(cacheDir, `kubernetes-types-${packageVersion('kubernetes-types')}-${cacheKey()}`);
  return { schema: `${base}.schema.json`, validators: `${base}.validators.js` };
}

function cacheKey(): string {
  const hash = crypto.createHash('sha256');
  for (const name of ['kubernetes-types', 'ts-json-schema-generator', 'typescript', 'ajv']) {
    hash.update(`${name}@${packageVersion(name)}\n`);
  }
  // Under ts-jest these are the .ts sources, under dist/ the .js output: two keys, each consistent.
  const extension = path.extname(__filename);
  const sources = fs
    .readdirSync(__dirname)
    .filter(
      (file) => file.endsWith(extension) && !file.endsWith(`.d${extension}`) && !file.includes('.test.'),
    )
    .sort();
  for (const file of sources) hash.update(`${file}\n`).update(fs.readFileSync(path.join(__dirname, file)));
  return hash.digest('hex').slice(0, 16);
}

function packageName(file: string): string | undefined {
  try {
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string }).name;
  } catch {
    return undefined;
  }
}

function packageVersion(name: string): string {
  try {
    const file = require.resolve(`${name}/package.json`);
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return 'absent';
  }
}

function build(): { schema: GeneratedSchema; validatorsCode: string } {
  // Loaded only on a cache miss: TypeScript and ts-json-schema-generator take ~0.2 s just to load.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { generateKubernetesSchema } = require('./generate-schema') as typeof GenerateSchema;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { compileValidatorsModule } = require('./compile-validators') as typeof CompileValidators;
  const schema = generateKubernetesSchema();
  return { schema, validatorsCode: compileValidatorsModule(schema) };
}

function regenerateSchema(file: string): GeneratedSchema {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { generateKubernetesSchema } = require('./generate-schema') as typeof GenerateSchema;
  const schema = generateKubernetesSchema();
  persist(file, JSON.stringify(schema));
  return schema;
}

function readSchemaFile(file: string): GeneratedSchema | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as GeneratedSchema;
  } catch {
    return undefined;
  }
}

/** Writes through a temporary file and a rename, so that concurrent readers and writers never see half a file. */
export function writeFileAtomic(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`;
  try {
    fs.writeFileSync(temporary, content);
    fs.renameSync(temporary, file);
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

function persist(file: string, content: string): void {
  try {
    writeFileAtomic(file, content);
  } catch (error) {
    // A read-only checkout still validates; it just regenerates on every run.
    process.emitWarning(`k8s-schema: cannot cache ${file}: ${String(error)}`);
  }
}

type ModuleExports = Record<string, unknown>;

function tryLoadValidators(file: string): Map<string, Map<string, ValidateFunction>> | undefined {
  let code: string;
  try {
    code = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return indexValidators(evaluateModule(code, file));
  } catch {
    return undefined; // damaged, or written by an incompatible build: regenerate
  }
}

/**
 * Runs the generated CommonJS module with this module's `require`, which resolves the ajv runtime helpers it
 * needs wherever the cache directory is, and which jest can also serve.
 */
function evaluateModule(code: string, file: string): ModuleExports {
  const holder = { exports: {} as ModuleExports };
  const run = new Function('require', 'module', 'exports', `${code}\n//# sourceURL=${file}`) as (
    req: NodeJS.Require,
    mod: { exports: ModuleExports },
    exp: ModuleExports,
  ) => void;
  run(require, holder, holder.exports);
  return holder.exports;
}

function indexValidators(exported: ModuleExports): Map<string, Map<string, ValidateFunction>> {
  const index = exported[KIND_INDEX_EXPORT] as Record<string, Record<string, string>> | undefined;
  if (index === undefined || typeof index !== 'object') {
    throw new Error('compiled validators lack their index');
  }
  const validators = new Map<string, Map<string, ValidateFunction>>();
  for (const [apiVersion, kinds] of Object.entries(index)) {
    const byKind = new Map<string, ValidateFunction>();
    for (const [kind, exportName] of Object.entries(kinds)) {
      const validate = exported[exportName];
      if (typeof validate !== 'function') throw new Error(`compiled validators lack ${apiVersion} ${kind}`);
      byKind.set(kind, validate as ValidateFunction);
    }
    validators.set(apiVersion, byKind);
  }
  return validators;
}
