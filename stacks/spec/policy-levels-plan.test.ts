/**
 * End to end: `platform:policy.levels` in a stack file changes what the offline plan enforces. The repo's dev
 * stack has one advisory finding (workload-replicas on the single Redis server); raised to mandatory it
 * fails the plan, disabled it is gone. A lowering in prod is refused before anything is planned.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { ensureCompiled } from '../../test/support/ensure-compiled';

const repo = join(__dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'policy-levels-plan-'));

interface Run {
  readonly status: number | null;
  readonly output: string;
  /** The temp root: the stack files and the plan's out/. */
  readonly dir: string;
}

/** Plans `env` from a copy of the repo's stack file with `platform:policy.levels` set to `levels`. */
function planWith(env: string, levels: Record<string, string>, name: string): Run {
  const dir = mkdtempSync(join(work, `${name}-`));
  copyFileSync(join(repo, 'Pulumi.yaml'), join(dir, 'Pulumi.yaml'));
  const doc = parseDocument(readFileSync(join(repo, `Pulumi.${env}.yaml`), 'utf8'));
  doc.setIn(['config', 'platform:policy'], { levels });
  writeFileSync(join(dir, `Pulumi.${env}.yaml`), doc.toString());
  const run = spawnSync(
    process.execPath,
    [join(repo, 'dist', 'tools', 'plan', 'cli.js'), env, '--root', dir, '--out', join(dir, 'out')],
    { encoding: 'utf8', timeout: 240_000 },
  );
  return { status: run.status, output: `${run.stdout}${run.stderr}`, dir };
}

/** The `platform-policy` ConfigMap the plan rendered, from its resources.json. */
function renderedConfigMap(dir: string, env: string): { data: Record<string, string> } | undefined {
  const resources = JSON.parse(readFileSync(join(dir, 'out', env, 'resources.json'), 'utf8')) as {
    type: string;
    inputs: { kind?: string; metadata?: { name?: string }; data?: Record<string, string> };
  }[];
  const found = resources.find(
    (r) => r.type === 'kubernetes:core/v1:ConfigMap' && r.inputs.metadata?.name === 'platform-policy',
  );
  return found ? { data: found.inputs.data ?? {} } : undefined;
}

let raised: Run;
let disabled: Run;
let lowered: Run;

beforeAll(() => {
  ensureCompiled();
  raised = planWith('dev', { 'workload-replicas': 'mandatory', 'container-probes': 'mandatory' }, 'raised');
  // container-probes raised too: dev has no probe finding, so the plan passes and writes the ConfigMap.
  disabled = planWith(
    'dev',
    { 'workload-replicas': 'disabled', 'container-probes': 'mandatory' },
    'disabled',
  );
  lowered = planWith('prod', { 'pod-host-access': 'advisory' }, 'lowered');
}, 600_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('platform:policy.levels in the stack file, through the offline plan', () => {
  it('raising workload-replicas to mandatory in dev turns its finding into a violation that fails the plan', () => {
    expect(raised.output).toContain('POLICY violations: 1\n    [workload-replicas] data/StatefulSet/redis: ');
    expect(raised.output).toContain('plan FAILED for dev');
    expect(raised.status).not.toBe(0);
  });

  it('renders the resolved levels as the platform-policy ConfigMap the checks read, sorted by rule', () => {
    expect(renderedConfigMap(disabled.dir, 'dev')?.data).toEqual({
      environment: 'dev',
      'levels.json': JSON.stringify(
        { 'container-probes': 'mandatory', 'workload-replicas': 'disabled' },
        null,
        2,
      ),
    });
  });

  it('disabling workload-replicas in dev drops the finding the repo’s dev stack reports', () => {
    expect(disabled.status).toBe(0);
    expect(disabled.output).toContain('policies: passed');
    expect(disabled.output).toContain('warnings: none');
    expect(disabled.output).not.toContain('[workload-replicas]');
  });

  it('refuses lowering a mandatory rule in prod with the field path, before planning anything', () => {
    expect(lowered.status).toBe(2);
    expect(lowered.output).toContain(
      '  - platform:policy.levels.pod-host-access: mandatory rules cannot be lowered in prod; exempt one object ' +
        'with the annotation policy.platform.io/exempt-pod-host-access: "<reason>" instead (got "advisory")',
    );
    expect(lowered.output).toContain('plan FAILED for prod');
  });
});
