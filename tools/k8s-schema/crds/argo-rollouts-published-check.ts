/**
 * A second opinion on Argo Rollouts objects from the published models (@kubernetes-models/argo-rollouts, generated
 * from Argo's Go types and validated with their OpenAPI schema, pod templates included):
 *
 *   const [rolloutErrors, templateErrors] = await validateWithPublishedModels([rollout, analysisTemplate]);
 *   // [] or [{ path: 'spec.strategy.blueGreen', message: 'must have required property activeService' }]
 *
 * Those validators check types, enums and required fields but NOT unknown fields (`spec.bogus` passes), so they
 * complement the strict schemas in argo-rollouts.ts rather than replace them. The package is ESM-only, so it runs
 * in a child Node process (the one running this code), fed JSON on stdin; about 0.3 s per call.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { SchemaViolation } from '../format-violations';

/** The argoproj.io/v1alpha1 kinds the published models provide. */
export const PUBLISHED_MODEL_KINDS: ReadonlySet<string> = new Set([
  'Rollout',
  'AnalysisTemplate',
  'ClusterAnalysisTemplate',
  'AnalysisRun',
  'Experiment',
]);

export interface ArgoObject {
  readonly apiVersion?: unknown;
  readonly kind?: unknown;
}

/** Whether the published models can check `o` (an argoproj.io/v1alpha1 object of a kind they model). */
export function isPublishedModelKind(o: ArgoObject): boolean {
  return (
    o.apiVersion === 'argoproj.io/v1alpha1' && typeof o.kind === 'string' && PUBLISHED_MODEL_KINDS.has(o.kind)
  );
}

const REPO_ROOT = join(__dirname, '..', '..', '..');

/**
 * Runs in the child: one `new Model(obj).validate()` per object, errors as ajv reports them (instancePath and
 * message), in the order of the input.
 */
const CHILD_SCRIPT = `
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const objects = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const results = [];
for (const obj of objects) {
  const { [obj.kind]: Model } = await import('@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/' + obj.kind);
  try {
    new Model(obj).validate();
    results.push([]);
  } catch (error) {
    const errors = Array.isArray(error.errors) ? error.errors : [{ instancePath: '', message: String(error.message) }];
    results.push(errors.map((e) => ({ pointer: e.instancePath ?? '', message: e.message ?? String(e.keyword) })));
  }
}
process.stdout.write(JSON.stringify(results));
`;

/** `/spec/steps/0/setWeight` → `spec.steps[0].setWeight` (a numeric segment is taken as an index). */
function toPath(pointer: string): string {
  let path = '';
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    path += /^[0-9]+$/.test(key) ? `[${key}]` : path === '' ? key : `.${key}`;
  }
  return path;
}

/**
 * Validates each object with the published model of its kind; resolves to one violation list per object, in
 * order (empty when valid). Rejects when an object is not one of PUBLISHED_MODEL_KINDS (filter with
 * isPublishedModelKind) or the child process fails.
 */
export async function validateWithPublishedModels(
  objects: readonly ArgoObject[],
): Promise<SchemaViolation[][]> {
  const unsupported = objects.find((o) => !isPublishedModelKind(o));
  if (unsupported !== undefined) {
    throw new Error(
      `validateWithPublishedModels checks argoproj.io/v1alpha1 ${[...PUBLISHED_MODEL_KINDS].join(', ')} ` +
        `(got apiVersion ${String(unsupported.apiVersion)} kind ${String(unsupported.kind)})`,
    );
  }
  if (objects.length === 0) return [];
  const output = await runChild(JSON.stringify(objects));
  const parsed = JSON.parse(output) as { pointer: string; message: string }[][];
  return parsed.map((errors) => errors.map((e) => ({ path: toPath(e.pointer), message: e.message })));
}

function runChild(input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD_SCRIPT], {
      cwd: REPO_ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(stdout).toString('utf8'));
      else {
        const detail = Buffer.concat(stderr).toString('utf8').trim();
        reject(new Error(`published-model check exited with ${String(code)}: ${detail}`));
      }
    });
    child.stdin.end(input);
  });
}
