/**
 * The release command on temporary copies of the project's stack files (never the real ones): what it
 * writes, what it refuses (leaving the file byte for byte as it was), and the plan diff of a release.
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCompiled } from '../../test/support/ensure-compiled';
import { release, RELEASE_EXIT, type ReleaseResult } from './release';

const repo = join(__dirname, '..', '..');
const UAT_ORDER = 'sha256:93b2d02394b35170e4826b0dfef7e2a048d1dbd1258f9a70793ca1989b99d477';
const PROD_ECR = '444455556666.dkr.ecr.eu-west-1.amazonaws.com/platform';
const OTHER = `sha256:${'f'.repeat(64)}`;

let root: string;
const stackFile = (env: string) => join(root, `Pulumi.${env}.yaml`);
const read = (env: string) => readFileSync(stackFile(env), 'utf8');

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'release-test-'));
  for (const f of readdirSync(repo).filter((f) => /^Pulumi(\.\w+)?\.yaml$/.test(f))) {
    copyFileSync(join(repo, f), join(root, f));
  }
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Runs a release that must be refused and checks the stack file was not touched, nor any file left. */
async function refusedRelease(env: string, service: string, image: string): Promise<ReleaseResult> {
  const before = read(env);
  const mtime = statSync(stackFile(env)).mtimeMs;
  const files = readdirSync(root).sort();
  const result = await release({ root, env, service, image, plan: false });
  expect(result.code).toBe(RELEASE_EXIT.refused);
  expect(result.written).toBe(false);
  expect(read(env)).toBe(before);
  expect(statSync(stackFile(env)).mtimeMs).toBe(mtime);
  expect(readdirSync(root).sort()).toEqual(files);
  return result;
}

describe('release (no plan)', () => {
  it('promotes the digest uat runs into prod, changing only that line', async () => {
    const before = read('prod');
    const image = `${PROD_ECR}/order@${UAT_ORDER}`;
    const result = await release({ root, env: 'prod', service: 'order', image, plan: false });
    expect(result).toMatchObject({ code: 0, written: true, warnings: [] });
    const after = read('prod');
    const changed = before
      .split('\n')
      .flatMap((l, i) => (l === after.split('\n')[i] ? [] : [[l, after.split('\n')[i]]]));
    expect(changed).toEqual([
      [
        `      image: ${PROD_ECR}/order@sha256:262e73955d9a1e86d0c22c11d5bf329085f6db1d0e25d7260329f9a0c0fc4044`,
        `      image: ${image}`,
      ],
    ]);
    expect(readdirSync(root).filter((f) => f.startsWith('.'))).toEqual([]);
    // Once more: prod already runs it.
    const again = await release({ root, env: 'prod', service: 'order', image, plan: false });
    expect(again).toMatchObject({ code: 0, written: false });
    expect(again.lines).toEqual([`prod already runs order ${image} (Pulumi.prod.yaml); nothing to change`]);
  });

  it('refuses a tag in prod', async () => {
    const result = await refusedRelease('prod', 'order', `${PROD_ECR}/order:1.2.0`);
    expect(result.lines).toEqual([
      'release refused: image must be pinned by digest in prod ("<registry>/<repository>@sha256:<64 hex>"); got the ' +
        'tag "1.2.0" without digest. uat and prod run only digests, so what was tested is what runs; promote the digest the environment before runs',
    ]);
  });

  it('refuses a digest uat does not run, naming uat and what it runs', async () => {
    const result = await refusedRelease('prod', 'order', `${PROD_ECR}/order@${OTHER}`);
    expect(result.lines).toEqual([
      `release refused: digest ${OTHER} is not running in uat: uat runs ` +
        `"111122223333.dkr.ecr.eu-west-1.amazonaws.com/platform/order@${UAT_ORDER}" (Pulumi.uat.yaml); release it to uat first, or promote what uat runs`,
    ]);
  });

  it('refuses an unknown environment or service with the exact message', async () => {
    expect(
      (await release({ root, env: 'staging', service: 'order', image: `${PROD_ECR}/order@${UAT_ORDER}` }))
        .lines,
    ).toEqual(['release refused: environment must be one of dev | qat | uat | prod (got "staging")']);
    expect((await refusedRelease('prod', 'cart', `${PROD_ECR}/cart@${UAT_ORDER}`)).lines).toEqual([
      'release refused: service must be one of the catalog\'s services user | product | order | notification | analytics (got "cart")',
    ]);
  });

  it('refuses a service the stack file does not declare, saying how to add it', async () => {
    writeFileSync(stackFile('dev'), read('dev').replace(/ {4}order:\n {6}image: .*\n/, ''));
    const result = await refusedRelease('dev', 'order', 'registry.onprem.internal/platform/order:0.2.0');
    expect(result.lines).toEqual([
      'release refused: service "order" is not declared in Pulumi.dev.yaml (declared: analytics, notification, product, user); ' +
        'add it under "config" -> "platform:services" in Pulumi.dev.yaml, e.g.\n' +
        '  platform:services:\n    order:\n      image: registry.onprem.internal/platform/order:0.2.0',
    ]);
  });

  it("refuses an edit the stack spec rejects (an image from another registry), with the parser's message", async () => {
    const result = await refusedRelease('dev', 'order', 'docker.io/platform/order:0.2.0');
    expect(result.lines).toEqual([
      'release refused: Pulumi.dev.yaml with platform:services.order.image = "docker.io/platform/order:0.2.0" would not be a valid stack; Pulumi.dev.yaml was left as it was:\n' +
        '  Invalid config for stack "dev" (1 problem):\n' +
        '    - platform:services.order.image: must come from this environment\'s registry "registry.onprem.internal/platform" ' +
        '(platform:cluster.registry), as "registry.onprem.internal/platform/order:<tag>"; got registry and repository "docker.io/platform/order"',
    ]);
  });
});

describe('release with the plan diff', () => {
  beforeAll(() => ensureCompiled(), 180_000);

  it("changes in the plan only the service's image, its version label and SERVICE_VERSION", async () => {
    const image = 'registry.onprem.internal/platform/order:0.2.0';
    const result = await release({ root, env: 'dev', service: 'order', image });
    expect(result.lines.join('\n')).toContain('plan diff of dev');
    expect(result).toMatchObject({ code: 0, written: true });
    const diff = result.diff;
    expect(diff).toBeDefined();
    if (diff === undefined) return;
    expect(diff.added).toEqual([]);
    expect(diff.removed).toEqual([]);
    expect(diff.unchanged).toBeGreaterThan(100);
    // Every changed object is the order service's, and every changed field is one the image determines.
    const allowed = [
      /^(spec\.template\.)?metadata\.labels\["app\.kubernetes\.io\/version"\]$/,
      /^spec\.template\.spec\.containers\[name=order\]\.image$/,
      /^spec\.template\.spec\.containers\[name=order\]\.env\[name=SERVICE_VERSION\]\.value$/,
    ];
    for (const { id, fields } of diff.changed) {
      expect(id).toMatch(/ apps\/order$/);
      for (const f of fields) {
        expect(allowed.some((re) => re.test(f.path)) ? f.path : `${id}: ${f.path}`).toBe(f.path);
        expect([f.before, f.after]).toEqual(
          f.path.endsWith('.image')
            ? ['registry.onprem.internal/platform/order:0.1.0', image]
            : ['0.1.0', '0.2.0'],
        );
      }
    }
    // The workload (a Deployment or a Rollout) carries the image and SERVICE_VERSION change.
    const workloads = diff.changed.filter((c) => / (Deployment|Rollout) apps\/order$/.test(c.id));
    expect(workloads).toHaveLength(1);
    expect(workloads[0]?.fields.map((f) => f.path)).toEqual(
      expect.arrayContaining([
        'spec.template.spec.containers[name=order].image',
        'spec.template.spec.containers[name=order].env[name=SERVICE_VERSION].value',
      ]),
    );
  }, 120_000);

  it('the CLI refuses with exit 2 and the message on stderr, the file untouched', () => {
    const before = read('uat');
    const run = spawnSync(
      process.execPath,
      [
        join(repo, 'dist', 'tools', 'release', 'cli.js'),
        '--',
        'uat',
        'order',
        'registry.onprem.internal/platform/order:0.1.0',
        '--root',
        root,
      ],
      { encoding: 'utf8' },
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^release refused: image must be pinned by digest in uat /);
    expect(read('uat')).toBe(before);
  });
});
