/**
 * `tools/run dr -- <env>`: the compiled CLI prints prod's posture from the stack file, reminds of an overdue
 * drill, says plainly when a stack has no DR, and exits 2 with the message when a target is missed.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { ensureCompiled } from '../../test/support/ensure-compiled';
import { drPosture } from '../../stacks/dr-posture';
import { parseEnvironment } from '../../stacks/spec';
import { platformValues, readStackConfig } from '../plan/stack-file';
import { postureLines } from './posture-lines';

const repo = join(__dirname, '..', '..');
const cli = join(repo, 'dist', 'tools', 'dr', 'cli.js');
const work = mkdtempSync(join(tmpdir(), 'dr-cli-'));

const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

/** A temp root with prod's stack file, one `platform:dr` key changed. */
function prodWith(path: readonly string[], value: unknown): string {
  const dir = mkdtempSync(join(work, 'root-'));
  copyFileSync(join(repo, 'Pulumi.yaml'), join(dir, 'Pulumi.yaml'));
  const doc = parseDocument(readFileSync(join(repo, 'Pulumi.prod.yaml'), 'utf8'));
  doc.setIn(['config', 'platform:dr', ...path], value);
  writeFileSync(join(dir, 'Pulumi.prod.yaml'), doc.toString());
  return dir;
}

let prod: ReturnType<typeof run>;
beforeAll(() => {
  ensureCompiled();
  prod = run('prod', '--today', '2026-03-01');
}, 240_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('tools/run dr -- prod', () => {
  it('prints the regions and the standby node groups', () => {
    expect([prod.code, prod.stderr]).toEqual([0, '']);
    const lines = prod.stdout.split('\n');
    expect(lines[0]).toBe('disaster recovery of prod: eu-west-1 -> warm standby in eu-central-1');
    expect(lines[1]).toBe(
      "serving: eu-west-1 (platform:dr.failover.serve: primary); the standby's services are passive and MirrorMaker 2 mirrors prod's Kafka into it",
    );
    expect(lines).toContain('  workloads  1 -> 6    m6i.2xlarge');
    expect(lines).toContain('  data       3 -> 3    r6i.2xlarge');
  });

  it('prints what replicates and each store’s worst-case RPO against the target', () => {
    const lines = prod.stdout.split('\n');
    expect(lines).toContain('worst-case RPO (target 15 min):');
    expect(lines).toContain(
      '  mongodb  15 min     ok     oplogSpanMinutes is 5 and replicationLagBudgetMinutes is 10',
    );
    expect(lines).toContain(
      '  kafka    3 min      ok     replicationLagBudgetSeconds is 60, emitCheckpointsIntervalSeconds is 60 and syncGroupOffsetsIntervalSeconds is 60',
    );
    expect(lines.find((l) => l.startsWith('  redis    1450 min   info   '))).toContain('cold start allowed');
    expect(lines).toContain('  images   ECR replication to eu-central-1');
  });

  it('prints the RTO steps and their total against the target', () => {
    const lines = prod.stdout.split('\n');
    expect(lines).toContain('RTO estimate, step by step (target 60 min):');
    expect(lines).toContain('  approve                15 min     failover.approvalMinutes');
    expect(lines).toContain('  mongodb restore        10.24 min  150 GiB at 250 MiB/s');
    expect(lines).toContain('  total                  45.66 min  ok');
  });

  it('reminds that no drill is recorded, and that an old one is overdue', () => {
    expect(prod.stdout).toContain(
      '\nlast drill: none recorded: run a failover drill and set platform:dr.lastDrill to its date\n',
    );
    const drilled = prodWith(['lastDrill'], '2025-10-01');
    const late = run('prod', '--root', drilled, '--today', '2026-02-01');
    expect(late.code).toBe(0);
    expect(late.stdout).toContain(
      '\nlast drill: 2025-10-01, 123 days ago: overdue, drills are quarterly (every 92 days at most)\n',
    );
    const recent = run('prod', '--root', drilled, '--today', '2025-11-01');
    expect(recent.stdout).toContain(
      '\nlast drill: 2025-10-01, 31 days ago; the next is due within 61 days\n',
    );
  });
});

describe('tools/run dr, other outcomes', () => {
  it('says plainly that dev has no DR', () => {
    expect(run('dev')).toEqual({
      code: 0,
      stdout:
        'dev has no disaster recovery: Pulumi.dev.yaml has no platform:dr section, so it has no standby region\n',
      stderr: '',
    });
  });

  it('exits 2 with the message when the stack file misses the RPO target', () => {
    const r = run('prod', '--root', prodWith(['mongodb', 'replicationLagBudgetMinutes'], 20));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      '  - platform:dr: prod mongodb RPO 25 min > 15 min: oplogSpanMinutes is 5 and replicationLagBudgetMinutes is 20\n',
    );
  });

  it('the offline plan refuses the same stack file before planning anything', () => {
    const dir = prodWith(['mongodb', 'replicationLagBudgetMinutes'], 20);
    const plan = spawnSync(
      process.execPath,
      [join(repo, 'dist', 'tools', 'plan', 'cli.js'), 'prod', '--root', dir, '--out', join(dir, 'out')],
      { encoding: 'utf8', timeout: 120_000 },
    );
    const output = `${plan.stdout}${plan.stderr}`;
    expect(plan.status).toBe(2);
    expect(output).toContain(
      '  - platform:dr: prod mongodb RPO 25 min > 15 min: oplogSpanMinutes is 5 and replicationLagBudgetMinutes is 20\n',
    );
    expect(output).toContain('plan FAILED for prod');
  });

  it('exits 2 for an unknown stack and for bad arguments', () => {
    const missing = run('staging');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('dr: no stack file Pulumi.staging.yaml in ');
    const bad = run('prod', '--today', 'yesterday');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('dr: --today must be a date such as 2026-01-15 (got "yesterday")');
    expect(run().code).toBe(2);
  });
});

describe('the posture after a failover', () => {
  it('says the standby serves, the mirror is stopped and the primary is passive', () => {
    const spec = parseEnvironment(
      'prod',
      platformValues(readStackConfig(join(__dirname, '..', '..'), 'prod')),
    );
    const dr = spec.dr;
    if (dr === undefined) throw new Error('prod has no platform:dr');
    const failedOver = { ...spec, dr: { ...dr, failover: { ...dr.failover, serve: 'standby' as const } } };
    const posture = drPosture(failedOver, new Date('2026-12-07T00:00:00Z'));
    if (posture === undefined) throw new Error('no posture');
    expect(postureLines(posture)[1]).toBe(
      "serving: eu-central-1, the STANDBY (platform:dr.failover.serve: standby): failed over; MirrorMaker 2 is stopped and the primary's services are passive",
    );
  });
});
