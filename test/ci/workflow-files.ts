// The repository's GitHub workflows as text (for actionlint and the pin comments) and as parsed YAML (for the
// structural checks of workflow-checks.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';

export type YamlMap = Record<string, unknown>;

export interface WorkflowFile {
  /** Path relative to the repository root, e.g. ".github/workflows/deploy.yml". */
  readonly path: string;
  readonly text: string;
  readonly doc: YamlMap;
}

export const REPO_ROOT = join(__dirname, '..', '..');
export const WORKFLOW_DIR = join(REPO_ROOT, '.github', 'workflows');

export function isMap(value: unknown): value is YamlMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseWorkflow(path: string, text: string): WorkflowFile {
  const doc: unknown = parse(text);
  if (!isMap(doc)) throw new Error(`${path}: a workflow must be a YAML mapping, got ${typeof doc}`);
  return { path, text, doc };
}

/** Every .yml/.yaml file of .github/workflows, sorted by name. */
export function loadWorkflows(dir: string = WORKFLOW_DIR): WorkflowFile[] {
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => {
      const full = join(dir, name);
      return parseWorkflow(relative(REPO_ROOT, full), readFileSync(full, 'utf8'));
    });
}

/** A deep copy to mutate in a negative test. */
export function cloneWorkflow(workflow: WorkflowFile): WorkflowFile {
  return { ...workflow, doc: structuredClone(workflow.doc) };
}
