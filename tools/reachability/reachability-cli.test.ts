/**
 * `tools/run reachability -- dev`: the compiled CLI plans dev itself and prints the matrix; with --plan it
 * reads a written plan and prints the same lines.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCompiled } from '../../test/support/ensure-compiled';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'tools', 'reachability', 'cli.js');
const work = mkdtempSync(join(tmpdir(), 'reachability-cli-'));

const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

let planned: ReturnType<typeof run>;
beforeAll(() => {
  ensureCompiled();
  planned = run('dev');
}, 280_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const lines = () => planned.stdout.split('\n');
const edge = (from: string, to: string) => lines().find((l) => l.startsWith(`${from} -> ${to}  `));

describe('reachability of dev', () => {
  it('plans dev and prints one line per connection, naming the policies', () => {
    expect(planned.stderr).toBe('');
    expect(planned.code).toBe(0);
    expect(planned.stdout).toMatch(/\n\d+ connections \(read from the offline plan of .+ \(\d+\.\d s\)\)\n/);
    expect(planned.stdout).toMatch(
      /\n\d+ of them are the platform's to decide \(\d+ start in kube-system\), equal to the intended graph\n$/,
    );
  });

  it('order calls user, product reaches MongoDB, Prometheus scrapes product', () => {
    expect(edge('apps/order', 'apps/user:8080/TCP')).toBe(
      'apps/order -> apps/user:8080/TCP  [apps/order, apps/user]',
    );
    expect(edge('apps/product', 'data/mongodb:27017/TCP')).toBe(
      'apps/product -> data/mongodb:27017/TCP  [apps/product, data/mongodb-mongod]',
    );
    expect(edge('monitoring/prometheus', 'apps/product:8080/TCP')).toBe(
      'monitoring/prometheus -> apps/product:8080/TCP  [apps/product, monitoring/monitoring-prometheus]',
    );
    expect(edge('apps/order', 'kube-system/kube-dns:53/UDP')).toMatch(
      /\[apps\/allow-dns-egress, apps\/order\]/,
    );
  });

  it('notification may not call user, and no service reaches the outside world', () => {
    expect(lines().filter((l) => l.startsWith('apps/notification -> apps/'))).toEqual([]);
    expect(lines().filter((l) => /^apps\/\S+ -> outside:/.test(l))).toEqual([]);
  });

  it('the outside world reaches the gateway’s proxies on 10080/10443 and no service directly', () => {
    expect(lines().filter((l) => l.startsWith('outside -> platform/envoy-proxy:'))).toEqual([
      'outside -> platform/envoy-proxy:10080/TCP  [platform/allow-gateway-ingress]',
      'outside -> platform/envoy-proxy:10443/TCP  [platform/allow-gateway-ingress]',
    ]);
    expect(lines().filter((l) => l.startsWith('outside -> apps/'))).toEqual([]);
    expect(edge('platform/envoy-proxy', 'apps/product:8080/TCP')).toBe(
      'platform/envoy-proxy -> apps/product:8080/TCP  [apps/product, platform/allow-gateway-to-apps]',
    );
  });

  it('--plan reads a written plan and prints the same matrix', () => {
    const plan = spawnSync(
      process.execPath,
      [join(root, 'dist', 'tools', 'plan', 'cli.js'), 'dev', '--out', work],
      {
        encoding: 'utf8',
        timeout: 240_000,
      },
    );
    expect(plan.status).toBe(0);
    const read = run('dev', '--plan', work);
    expect(read.code).toBe(0);
    const matrix = (out: string) => out.split('\n\n')[0];
    expect(matrix(read.stdout)).toBe(matrix(planned.stdout));
    expect(read.stdout).toContain(`(read from the plan at ${join(work, 'dev')})`);

    // The same plan without order's own NetworkPolicy: exit 3, each lost edge named with the side blocking it.
    const tampered = join(work, 'tampered');
    mkdirSync(tampered);
    const resources = JSON.parse(readFileSync(join(work, 'dev', 'resources.json'), 'utf8')) as {
      type: string;
      inputs: { metadata?: { name?: string; namespace?: string } };
    }[];
    const withoutOrder = resources.filter(
      (r) =>
        !(
          r.type === 'kubernetes:networking.k8s.io/v1:NetworkPolicy' &&
          r.inputs.metadata?.namespace === 'apps' &&
          r.inputs.metadata.name === 'order'
        ),
    );
    expect(withoutOrder).toHaveLength(resources.length - 1);
    writeFileSync(join(tampered, 'resources.json'), JSON.stringify(withoutOrder));
    const broken = run('dev', '--plan', tampered);
    expect(broken.code).toBe(3);
    expect(broken.stdout).toContain(
      'differ from the intended graph (stacks/intended-network.ts): 0 extra, 7 missing',
    );
    expect(broken.stdout).toContain(
      'missing apps/order -> apps/product:8080/TCP: no egress rule of apps/allow-dns-egress, apps/default-deny allows it',
    );
  }, 240_000);

  it('refuses bad arguments with exit code 2', () => {
    expect(run().code).toBe(2);
    expect(run('nope')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('no stack file Pulumi.nope.yaml'),
    });
    expect(run('dev', '--bogus')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown option'),
    });
  });
});
