/**
 * End to end on the real plans of all four environments (two plan runs): a stack file that bumps one service
 * image in prod, planned with `--diff <base>`, and the diff CLI over the two out directories. Only prod
 * changes; its headline names the service's workload, the container and old -> new image; the Markdown is
 * short, has prod's <details>, and says "no change" for dev, qat and uat.
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { ensureCompiled } from '../../test/support/ensure-compiled';

const repo = join(__dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'plan-diff-real-'));
const planCli = join(repo, 'dist', 'tools', 'plan', 'cli.js');
const diffCli = join(repo, 'dist', 'tools', 'plan-diff', 'cli.js');
const SERVICE = 'order';

const node = (args: string[]) => {
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 300_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
};

let oldImage = '';
let newImage = '';
let planned: ReturnType<typeof node>;

beforeAll(() => {
  ensureCompiled();
  const root = join(work, 'root');
  mkdirSync(root);
  for (const f of readdirSync(repo).filter((n) => /^Pulumi(\.[a-z]+)?\.yaml$/.test(n))) {
    copyFileSync(join(repo, f), join(root, f));
  }
  const file = join(root, 'Pulumi.prod.yaml');
  const doc = parseDocument(readFileSync(file, 'utf8'));
  const path = ['config', 'platform:services', SERVICE, 'image'];
  oldImage = String(doc.getIn(path));
  const [repository, digest] = oldImage.split('@sha256:');
  // Another valid digest of the same repository.
  newImage = `${repository}@sha256:${(digest?.startsWith('c') ? 'd' : 'c').repeat(64)}`;
  doc.setIn(path, newImage);
  writeFileSync(file, doc.toString());
  const base = node([planCli, '--all', '--out', join(work, 'base')]);
  if (base.status !== 0) throw new Error(`base plan failed:\n${base.stdout}${base.stderr}`);
  planned = node([
    planCli,
    '--all',
    '--root',
    root,
    '--out',
    join(work, 'head'),
    '--diff',
    join(work, 'base'),
    '--diff-format',
    'text',
  ]);
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('plan diff of a one-image prod bump, on the real plans', () => {
  it('the plan CLI with --diff prints the diff after planning: only prod changed, its image headline', () => {
    expect(planned.status).toBe(0);
    const out = planned.stdout.slice(planned.stdout.indexOf('plan diff '));
    expect(oldImage).toMatch(/@sha256:[0-9a-f]{64}$/);
    const summary = out.split('\n').slice(1, 5);
    expect(summary.slice(0, 3)).toEqual([
      expect.stringMatching(/^ {2}dev {3}no change \(\d+ objects and resources compared\)$/),
      expect.stringMatching(/^ {2}qat {3}no change /),
      expect.stringMatching(/^ {2}uat {3}no change /),
    ]);
    expect(summary[3]).toMatch(
      /^ {2}prod {2}\d+ changed, 0 added, 0 removed \(\d+ unchanged\); headlines: 1 image$/,
    );
    expect(out).toContain(
      `    image: argoproj.io Rollout apps/${SERVICE}, container ${SERVICE}: ${oldImage} -> ${newImage}`,
    );
  });

  it('the diff CLI writes a short PR comment: prod details, dev/qat/uat no change', () => {
    const run = node([diffCli, join(work, 'base'), join(work, 'head'), '--format', 'markdown']);
    expect(run.status).toBe(0);
    const md = run.stdout;
    expect(md.length).toBeLessThan(4000);
    expect(md.split('\n')[0]).toBe('### Plan diff: prod changed');
    for (const env of ['dev', 'qat', 'uat']) expect(md).toContain(`| ${env} | | | | no change |`);
    expect(md).toMatch(/\| prod \| \d+ \| 0 \| 0 \| 1 image \|/);
    expect(md).toContain(
      `- **image** \`argoproj.io Rollout apps/${SERVICE}\` container ${SERVICE}: \`${oldImage}\` → \`${newImage}\``,
    );
    expect(md).toMatch(
      /<details><summary>prod: \d+ changed, 0 added, 0 removed \(\d+ unchanged\)<\/summary>/,
    );
    expect(md.match(/<details>/g)).toHaveLength(1);
    writeFileSync(join(work, 'comment.md'), md);
  });

  it('--max-chars cuts the real comment with the pointer; --exit-code and --out; bad dirs exit 2', () => {
    const cut = node([
      diffCli,
      join(work, 'base'),
      join(work, 'head'),
      '--format',
      'markdown',
      '--max-chars',
      '1200',
      '--artifact-url',
      'https://ci.example/artifacts/plan-diff',
    ]);
    expect(cut.status).toBe(0);
    expect(cut.stdout.length).toBeLessThanOrEqual(1200);
    expect(cut.stdout).toContain('the full report: https://ci.example/artifacts/plan-diff.');
    expect(cut.stdout).toContain(`- **image** \`argoproj.io Rollout apps/${SERVICE}\``);
    const out = join(work, 'report.txt');
    const changed = node([
      diffCli,
      join(work, 'base'),
      join(work, 'head'),
      '--exit-code',
      '--out',
      out,
      '--env',
      'prod',
    ]);
    expect(changed.status).toBe(1);
    expect(readFileSync(out, 'utf8').split('\n').slice(0, 2)).toEqual([
      expect.stringMatching(/^plan diff .*base -> .*head:$/),
      expect.stringMatching(/^ {2}prod {2}\d+ changed/),
    ]);
    const same = node([diffCli, join(work, 'base'), join(work, 'base'), '--exit-code', '--env', 'dev,qat']);
    expect(same.status).toBe(0);
    expect(same.stdout.trimEnd().split('\n')).toHaveLength(3);
    const missing = node([diffCli, join(work, 'base'), join(work, 'nowhere')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(`diff: ${join(work, 'nowhere')}: no such directory`);
  });
});
