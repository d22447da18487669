import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  cacheFiles,
  defaultCacheDir,
  findRepoRoot,
  loadCompiledKinds,
  writeFileAtomic,
} from './schema-cache';
import { loadKubernetesValidator } from './index';

let scratch: string;

/** Seeds a cache directory from the repository's own cache instead of paying for another generation. */
function seedCache(cacheDir: string, which: readonly ('schema' | 'validators')[]): void {
  loadCompiledKinds(defaultCacheDir()).readSchema();
  const source = cacheFiles(defaultCacheDir());
  const target = cacheFiles(cacheDir);
  fs.mkdirSync(cacheDir, { recursive: true });
  for (const file of which) fs.copyFileSync(source[file], target[file]);
}

beforeEach(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-schema-'));
});

afterEach(() => {
  fs.rmSync(scratch, { recursive: true, force: true });
});

const invalidDeployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { replicass: 1, selector: {}, template: {} },
};

describe('schema cache', () => {
  it('generates the schema into a cache directory that does not exist yet, leaving no temporary files', () => {
    const cacheDir = path.join(scratch, 'fresh-clone', '.cache', 'k8s-schema');
    const validator = loadKubernetesValidator({ cacheDir });
    const files = cacheFiles(cacheDir);
    expect(fs.existsSync(files.schema)).toBe(true);
    expect(fs.existsSync(files.validators)).toBe(true);
    expect(fs.readdirSync(cacheDir).filter((file) => file.endsWith('.tmp'))).toEqual([]);
    expect(path.basename(files.schema)).toMatch(/^kubernetes-types-1\.30\.\d+-[0-9a-f]{16}\.schema\.json$/);
    expect(validator.validate(invalidDeployment)).toEqual([
      { path: 'spec.replicass', message: 'unknown field "replicass" (did you mean "replicas"?)' },
    ]);
  });

  it('reuses cached files instead of regenerating them', () => {
    const cacheDir = path.join(scratch, 'cache');
    seedCache(cacheDir, ['schema', 'validators']);
    const files = cacheFiles(cacheDir);
    const past = new Date('2020-01-01T00:00:00Z');
    fs.utimesSync(files.validators, past, past);
    const compiled = loadCompiledKinds(cacheDir, false);
    expect(fs.statSync(files.validators).mtime).toEqual(past);
    expect(compiled.validators.get('apps/v1')?.has('Deployment')).toBe(true);
  });

  it('regenerates when the cached validators are damaged', () => {
    const cacheDir = path.join(scratch, 'cache');
    const files = cacheFiles(cacheDir);
    fs.mkdirSync(cacheDir, { recursive: true });
    fs.writeFileSync(files.validators, '"use strict";exports.kind0 = function (');
    const compiled = loadCompiledKinds(cacheDir, false);
    expect(compiled.validators.get('policy/v1')?.has('PodDisruptionBudget')).toBe(true);
    expect(fs.readFileSync(files.validators, 'utf8')).toContain('exports.kindIndex');
  });

  it('regenerates the definitions for CRD registration when only that file is missing', () => {
    const cacheDir = path.join(scratch, 'cache');
    seedCache(cacheDir, ['validators']);
    const files = cacheFiles(cacheDir);
    const compiled = loadCompiledKinds(cacheDir, false);
    expect(Object.keys(compiled.readSchema().definitions)).toContain('core.v1.PodSpec');
    expect(fs.existsSync(files.schema)).toBe(true);
  });

  it('writes atomically: replaces existing content and leaves no temporary file behind', () => {
    const file = path.join(scratch, 'a', 'b', 'out.json');
    writeFileAtomic(file, 'first');
    writeFileAtomic(file, 'second');
    expect(fs.readFileSync(file, 'utf8')).toBe('second');
    expect(fs.readdirSync(path.dirname(file))).toEqual(['out.json']);
  });
});

describe('findRepoRoot', () => {
  it('finds the repository root from the source folder', () => {
    expect(findRepoRoot(__dirname)).toBe(path.resolve(__dirname, '..', '..'));
  });

  it('finds the repository root from compiled code under dist/, even if dist holds a package.json', () => {
    const repo = path.join(scratch, 'repo');
    const compiled = path.join(repo, 'dist', 'tools', 'k8s-schema');
    fs.mkdirSync(compiled, { recursive: true });
    fs.writeFileSync(path.join(repo, 'package.json'), JSON.stringify({ name: 'platform' }));
    fs.writeFileSync(path.join(repo, 'dist', 'package.json'), JSON.stringify({ name: 'platform' }));
    expect(findRepoRoot(compiled)).toBe(repo);
  });
});
