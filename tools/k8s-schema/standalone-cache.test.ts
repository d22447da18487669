import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAjv } from './ajv-setup';
import { PLATFORM_CRD_SCHEMAS } from './crds';
import { loadKubernetesValidator } from './kubernetes-validator';
import { cachedValidator, standaloneFile, standaloneKey } from './standalone-cache';
import type { JsonSchema } from './schema-types';

const schema: JsonSchema = {
  type: 'object',
  properties: { name: { type: 'string', pattern: '^[a-z]+$' }, port: { type: 'integer', maximum: 65535 } },
  required: ['name'],
  additionalProperties: false,
};
const samples: unknown[] = [
  { name: 'web', port: 80 },
  { name: 'Web', port: 70000, extra: true },
  { port: 'eighty' },
  'not an object',
];

describe('standalone validator cache', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'standalone-cache-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const outcomes = (validate: ReturnType<typeof cachedValidator>['validate']) =>
    samples.map((sample) => ({ valid: validate(sample), errors: validate.errors ?? null }));

  it('compiles and stores on the first load; the second load uses the stored code and agrees', () => {
    let compiles = 0;
    const ajv = () => {
      compiles++;
      return createAjv({ code: { source: true } });
    };
    const first = cachedValidator(dir, 'test/v1-Thing', schema, 'ctx', ajv);
    expect(first.source).toBe('compiled');
    expect(fs.existsSync(first.file)).toBe(true);
    expect(path.basename(first.file)).toMatch(/^test-v1-thing-[0-9a-f]{20}\.js$/);

    const second = cachedValidator(dir, 'test/v1-Thing', schema, 'ctx', ajv);
    expect(second).toMatchObject({ source: 'cache', file: first.file });
    expect(compiles).toBe(1);
    // Not the compiled function handed back: the module's own.
    expect(second.validate).not.toBe(first.validate);
    expect(outcomes(second.validate)).toEqual(outcomes(first.validate));
    expect(outcomes(second.validate).map((o) => o.valid)).toEqual([true, false, false, false]);
  });

  it('gives a changed schema, another context or another label a new key and file', () => {
    const changed = { ...schema, required: ['name', 'port'] };
    expect(standaloneKey(changed, 'ctx')).not.toBe(standaloneKey(schema, 'ctx'));
    expect(standaloneKey(schema, 'other definitions')).not.toBe(standaloneKey(schema, 'ctx'));
    expect(standaloneKey(structuredClone(schema), 'ctx')).toBe(standaloneKey(schema, 'ctx'));

    const ajv = () => createAjv({ code: { source: true } });
    const a = cachedValidator(dir, 'x', schema, 'ctx', ajv);
    const b = cachedValidator(dir, 'x', changed, 'ctx', ajv);
    expect(b).toMatchObject({ source: 'compiled' });
    expect(b.file).not.toBe(a.file);
    expect(b.validate({ name: 'web' })).toBe(false);
    expect(a.validate({ name: 'web' })).toBe(true);
    expect(standaloneFile(dir, 'x', changed, 'ctx')).toBe(b.file);
  });

  it('compiles again over a damaged file', () => {
    const file = standaloneFile(dir, 'x', schema, 'ctx');
    fs.writeFileSync(file, 'this is not javascript {');
    const loaded = cachedValidator(dir, 'x', schema, 'ctx', () => createAjv({ code: { source: true } }));
    expect(loaded.source).toBe('compiled');
    expect(loaded.validate({ name: 'web' })).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toContain('ajvRequire');
  });

  it('lets a fresh Kubernetes validator reuse a registered CRD schema without compiling it', () => {
    const { apiVersion, kind, schema: crd } = PLATFORM_CRD_SCHEMAS.find((s) => s.kind === 'Certificate')!;
    const broken = {
      apiVersion,
      kind,
      metadata: { name: 'Bad_Name' },
      spec: { secretName: 7, issuerRef: { name: 'x', kind: 'Nope' }, unknownField: true },
    };
    const first = loadKubernetesValidator({ registeredCacheDir: dir });
    first.register(apiVersion, kind, crd);
    const [file] = fs.readdirSync(dir);
    expect(file).toMatch(/^cert-manager\.io-v1-certificate-[0-9a-f]{20}\.js$/);
    const written = fs.statSync(path.join(dir, file!));

    const second = loadKubernetesValidator({ registeredCacheDir: dir });
    second.register(apiVersion, kind, crd);
    const after = fs.statSync(path.join(dir, file!));
    // Not rewritten: a compile replaces the file through a rename (new inode and mtime).
    expect({ ino: after.ino, mtime: after.mtimeMs }).toEqual({ ino: written.ino, mtime: written.mtimeMs });

    const violations = second.validate(broken);
    expect(violations).toEqual(first.validate(broken));
    expect(violations).toEqual(
      expect.arrayContaining([
        { path: 'spec.unknownField', message: 'unknown field "unknownField"' },
        expect.objectContaining({ path: 'spec.secretName' }),
        expect.objectContaining({ path: 'metadata.name' }),
      ]),
    );
  });
});
