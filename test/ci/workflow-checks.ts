// Structural checks of the GitHub workflows. Each returns its findings ("<file> <job>: <problem>"); none means the
// check passed. The negative tests in workflows.test.ts feed mutated workflows to show each one can fail.
import { basename } from 'node:path';
import type { PermissionSet } from './expected-permissions';
import { isMap, type WorkflowFile, type YamlMap } from './workflow-files';

const SHA_PINNED = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(\/[^@\s]+)?@[0-9a-f]{40}$/;
const USES_LINE = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/;
const TAG_COMMENT = /^\s+#\s+v\d+(\.\d+){0,2}\s*$/;
/** The conditions a step talking to a backend, a cloud or a registry may run under. */
const GATES = ["steps.gate.outputs.ready == 'true'", "needs.changes.outputs.push == 'true'"];

export interface Job {
  readonly id: string;
  readonly body: YamlMap;
  readonly steps: readonly YamlMap[];
}

export function jobsOf(workflow: WorkflowFile): Job[] {
  const jobs = workflow.doc['jobs'];
  if (!isMap(jobs)) return [];
  return Object.entries(jobs).map(([id, body]) => {
    const map = isMap(body) ? body : {};
    const steps = Array.isArray(map['steps']) ? map['steps'].filter(isMap) : [];
    return { id, body: map, steps };
  });
}

function where(workflow: WorkflowFile, job?: Job): string {
  return job === undefined ? workflow.path : `${workflow.path} ${job.id}`;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function withOf(step: YamlMap): YamlMap {
  const w = step['with'];
  return isMap(w) ? w : {};
}

function usesAction(step: YamlMap, action: string): boolean {
  return str(step['uses']).startsWith(`${action}@`);
}

/** Every `uses:` (steps and reusable workflows) is a local path or owner/repo[/path]@<40 hex> with a `# vX.Y.Z`. */
export function checkPinnedActions(workflow: WorkflowFile): string[] {
  const findings: string[] = [];
  for (const job of jobsOf(workflow)) {
    const refs = [job.body['uses'], ...job.steps.map((s) => s['uses'])].filter((u) => u !== undefined);
    for (const ref of refs) {
      const value = str(ref);
      if (value.startsWith('./')) continue;
      if (!SHA_PINNED.test(value)) {
        findings.push(`${where(workflow, job)}: uses "${value}" is not pinned by a 40-hex commit SHA`);
      }
    }
  }
  workflow.text.split('\n').forEach((line, i) => {
    const m = USES_LINE.exec(line);
    if (m === null || (m[1] ?? '').startsWith('./')) return;
    if (!TAG_COMMENT.test(m[2] ?? '')) {
      findings.push(`${workflow.path}:${i + 1}: uses "${m[1]}" lacks its release tag comment ("# vX.Y.Z")`);
    }
  });
  return findings;
}

/**
 * The workflow grants nothing by default (`permissions: {}`), every job declares its own, and they are exactly
 * the table's (key `<file name>:<job id>`).
 */
export function checkPermissions(
  workflow: WorkflowFile,
  expected: Readonly<Record<string, PermissionSet>>,
): string[] {
  const findings: string[] = [];
  const top = workflow.doc['permissions'];
  if (!isMap(top) || Object.keys(top).length > 0) {
    findings.push(`${workflow.path}: top-level permissions must be {} (got ${JSON.stringify(top)})`);
  }
  for (const job of jobsOf(workflow)) {
    const key = `${basename(workflow.path)}:${job.id}`;
    const actual = job.body['permissions'];
    if (!isMap(actual)) {
      findings.push(`${where(workflow, job)}: declares no permissions map (got ${JSON.stringify(actual)})`);
      continue;
    }
    const want = expected[key];
    if (want === undefined) {
      findings.push(
        `${where(workflow, job)}: not in the permission table (expected-permissions.ts, "${key}")`,
      );
      continue;
    }
    const show = (p: object) => JSON.stringify(Object.fromEntries(Object.entries(p).sort()));
    if (show(actual) !== show(want)) {
      findings.push(
        `${where(workflow, job)}: permissions ${show(actual)}, the table allows exactly ${show(want)}`,
      );
    }
  }
  return findings;
}

/** `pull_request_target` runs fork code with a write token and secrets: never used. */
export function checkNoPullRequestTarget(workflow: WorkflowFile): string[] {
  const on = workflow.doc['on'];
  const events =
    typeof on === 'string' ? [on] : Array.isArray(on) ? on.map(str) : isMap(on) ? Object.keys(on) : [];
  return events.includes('pull_request_target')
    ? [`${workflow.path}: triggers on pull_request_target (use pull_request)`]
    : [];
}

interface PulumiRun {
  readonly workflow: WorkflowFile;
  readonly job: Job;
  readonly command: string;
  readonly stack: string;
  readonly stepIndex: number;
}

export function pulumiRuns(workflows: readonly WorkflowFile[]): PulumiRun[] {
  const runs: PulumiRun[] = [];
  for (const workflow of workflows) {
    for (const job of jobsOf(workflow)) {
      job.steps.forEach((step, stepIndex) => {
        if (!usesAction(step, 'pulumi/actions')) return;
        const w = withOf(step);
        runs.push({ workflow, job, command: str(w['command']), stack: str(w['stack-name']), stepIndex });
      });
    }
  }
  return runs;
}

/**
 * Every job that runs Pulumi on a stack has a concurrency group naming that stack; an `up` is never cancelled
 * midway, and all `up`s of one stack, across workflows, share one group that no other stack uses.
 */
export function checkStackConcurrency(workflows: readonly WorkflowFile[]): string[] {
  const findings: string[] = [];
  const upGroups = new Map<string, Set<string>>();
  for (const run of pulumiRuns(workflows)) {
    const at = `${where(run.workflow, run.job)} (pulumi ${run.command || '?'} ${run.stack || '?'})`;
    if (run.stack === '') {
      findings.push(`${at}: the Pulumi step names no stack-name`);
      continue;
    }
    const concurrency = run.job.body['concurrency'];
    const group = isMap(concurrency) ? str(concurrency['group']) : '';
    if (group === '') {
      findings.push(`${at}: no concurrency group`);
      continue;
    }
    if (!group.includes(run.stack)) {
      findings.push(`${at}: concurrency group "${group}" does not name the stack ("${run.stack}")`);
    }
    if (run.command === 'up') {
      if (!isMap(concurrency) || concurrency['cancel-in-progress'] !== false) {
        findings.push(`${at}: an up's concurrency must set cancel-in-progress: false`);
      }
      const groups = upGroups.get(run.stack) ?? new Set<string>();
      groups.add(group);
      upGroups.set(run.stack, groups);
    }
  }
  const owner = new Map<string, string>();
  for (const [stack, groups] of upGroups) {
    if (groups.size > 1)
      findings.push(`pulumi up ${stack} runs in several groups: ${[...groups].join(', ')}`);
    for (const group of groups) {
      const other = owner.get(group);
      if (other !== undefined) findings.push(`stacks ${other} and ${stack} share the group "${group}"`);
      owner.set(group, stack);
    }
  }
  return findings;
}

function needsOf(job: Job): string[] {
  const needs = job.body['needs'];
  return typeof needs === 'string' ? [needs] : Array.isArray(needs) ? needs.map(str) : [];
}

function environmentOf(job: Job): string {
  const env = job.body['environment'];
  return isMap(env) ? str(env['name']) : str(env);
}

/**
 * The deploy workflow runs `pulumi up` for each stage in order: each stage after the first has its GitHub
 * environment (where the required reviewers are configured) and needs the stage before, whose health check runs
 * after its up and whose verdict the gate of the next stage requires.
 */
export function checkDeployChain(workflow: WorkflowFile, stages: readonly string[]): string[] {
  const findings: string[] = [];
  const ups = pulumiRuns([workflow]).filter((r) => r.command === 'up');
  let previous: PulumiRun | undefined;
  for (const [i, stage] of stages.entries()) {
    const matching = ups.filter((r) => r.stack === stage);
    const run = matching[0];
    if (run === undefined || matching.length > 1) {
      findings.push(
        `${workflow.path}: expected one job running pulumi up ${stage}, found ${matching.length}`,
      );
      previous = undefined;
      continue;
    }
    const at = where(workflow, run.job);
    const health = run.job.steps.findIndex((s) => str(s['run']).includes('.github/scripts/health-check.sh'));
    if (health <= run.stepIndex) findings.push(`${at}: no health check after pulumi up ${stage}`);
    const healthId = str(run.job.steps[health]?.['id']);
    const outputs = run.job.body['outputs'];
    const healthy = isMap(outputs) ? str(outputs['healthy']) : '';
    if (healthId === '' || !healthy.includes(`steps.${healthId}.outputs.healthy`)) {
      findings.push(`${at}: job output "healthy" must come from the health check step's output`);
    }
    if (i === 0) {
      if (needsOf(run.job).length > 0)
        findings.push(`${at}: the first stage needs nothing, got ${needsOf(run.job)}`);
    } else {
      if (environmentOf(run.job) !== stage) {
        findings.push(
          `${at}: must run in the GitHub environment "${stage}" (got "${environmentOf(run.job)}")`,
        );
      }
      if (previous !== undefined) {
        const prevId = previous.job.id;
        if (!needsOf(run.job).includes(prevId)) {
          findings.push(
            `${at}: must need the ${stages[i - 1]} job "${prevId}" (needs ${JSON.stringify(needsOf(run.job))})`,
          );
        }
        const gate = run.job.steps.find((s) => str(s['id']) === 'gate');
        const gateEnv = gate !== undefined && isMap(gate['env']) ? gate['env'] : {};
        if (!str(gateEnv['PREVIOUS_HEALTHY']).includes(`needs.${prevId}.outputs.healthy`)) {
          findings.push(`${at}: the gate must require needs.${prevId}.outputs.healthy (PREVIOUS_HEALTHY)`);
        }
      }
    }
    previous = run;
  }
  return findings;
}

function isCloudStep(step: YamlMap): boolean {
  const run = str(step['run']);
  return (
    ['pulumi/actions', 'aws-actions/configure-aws-credentials', 'docker/login-action'].some((a) =>
      usesAction(step, a),
    ) ||
    run.includes('health-check.sh') ||
    run.includes('docker push')
  );
}

/**
 * Steps that reach a backend, a cloud or a registry run only when configured: their `if:` is a gate, and a
 * steps.gate gate comes from an earlier step that runs .github/scripts/stack-gate.sh. A job with id-token: write
 * assumes an AWS role.
 */
export function checkCloudGating(workflow: WorkflowFile): string[] {
  const findings: string[] = [];
  for (const job of jobsOf(workflow)) {
    job.steps.forEach((step, i) => {
      if (!isCloudStep(step)) return;
      const name = str(step['name']) || str(step['uses']) || str(step['run']).split('\n')[0];
      const condition = str(step['if']);
      const gate = GATES.find((g) => condition.includes(g));
      if (gate === undefined) {
        findings.push(
          `${where(workflow, job)}: step "${name}" is not gated on configuration (if: ${condition || 'none'})`,
        );
        return;
      }
      if (gate.startsWith('steps.gate')) {
        const gateIndex = job.steps.findIndex(
          (s) => str(s['id']) === 'gate' && str(s['run']).includes('.github/scripts/stack-gate.sh'),
        );
        if (gateIndex < 0 || gateIndex > i) {
          findings.push(
            `${where(workflow, job)}: step "${name}" uses steps.gate before a stack-gate.sh step "gate"`,
          );
        }
      }
    });
    const permissions = job.body['permissions'];
    if (isMap(permissions) && permissions['id-token'] === 'write') {
      if (!job.steps.some((s) => usesAction(s, 'aws-actions/configure-aws-credentials'))) {
        findings.push(`${where(workflow, job)}: id-token: write without an AWS role to assume`);
      }
    }
  }
  return findings;
}
