import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
} from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';

/**
 * What the image copies, checked by running the very script its Dockerfile runs (no docker engine here):
 * the artefact of the product service must hold only compiled JavaScript and production dependencies, and
 * must start and stop like the pod does.
 */
const root = resolve(__dirname, '../../..');
const script = join(root, 'services/image/stage-artefact.sh');
const SERVICE = 'product';
// The pods' securityContext.runAsUser; the image's USER.
const POD_UID = 10001;

let work: string;
let artefact: string;

/** Every path below `dir` (files, symlinks and directories), relative to it; symlinks are not followed. */
function walk(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    const rel = relative(base, path);
    return entry.isDirectory() ? [rel, ...walk(path, base)] : [rel];
  });
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject()));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, logs: () => string): Promise<Response> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}:\n${logs()}`);
    try {
      return await fetch(url);
    } catch {
      if (Date.now() > deadline) throw new Error(`no answer from ${url} within 15 s:\n${logs()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'artefact-test-'));
  // Traversable by the pod's uid, like / is in the image; the artefact itself stays root-owned.
  chmodSync(work, 0o755);
  artefact = join(work, 'app');
  await promisify(execFile)('bash', [script, SERVICE, artefact], {
    cwd: root,
    maxBuffer: 16 * 1024 * 1024,
  });
}, 240_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe(`stage-artefact.sh ${SERVICE}`, () => {
  it('holds the compiled JavaScript and manifests of @platform/common and the service, and no sources', () => {
    // Dependencies npm had to nest under a workspace (another version is hoisted) are checked below.
    const files = walk(join(artefact, 'services')).filter(
      (p) => !lstatSync(join(artefact, 'services', p)).isDirectory() && !/^[^/]+\/node_modules\//.test(p),
    );
    expect(files).toContain(`${SERVICE}/dist/main.js`);
    expect(files).toContain('common/dist/index.js');
    expect(files.filter((f) => !f.endsWith('.js') && !f.endsWith('/package.json'))).toEqual([]);
    expect(files.filter((f) => /\.(test|contract)\.js$/.test(f))).toEqual([]);
    expect(readdirSync(join(artefact, 'services')).sort()).toEqual(['common', SERVICE].sort());
    expect(readdirSync(artefact).sort()).toEqual(['node_modules', 'services']);
  });

  it('holds no development dependency', () => {
    const modules = join(artefact, 'node_modules');
    for (const dev of [
      'typescript',
      'jest',
      'ts-jest',
      'eslint',
      'prettier',
      // Not @types/node: protobufjs (under the OTLP exporters of @opentelemetry/sdk-node) depends on it.
      '@types/jest',
      '@types/express',
    ]) {
      expect({ dev, present: existsSync(join(modules, dev)) }).toEqual({ dev, present: false });
    }
    // Nor anything the lockfile marks as needed for development only, at any depth.
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean }>;
    };
    const devOnly = Object.entries(lock.packages)
      .filter(([path, entry]) => entry.dev === true && path.startsWith('node_modules/'))
      .map(([path]) => path);
    expect(devOnly.length).toBeGreaterThan(100);
    expect(devOnly.filter((path) => existsSync(join(artefact, path)))).toEqual([]);
    // Nested ones too: only packages the lockfile lists under that workspace, none of them dev-only.
    const nested = Object.entries(lock.packages).filter(([path]) =>
      /^services\/[^/]+\/node_modules\//.test(path),
    );
    expect(nested.filter(([path, entry]) => entry.dev === true && existsSync(join(artefact, path)))).toEqual(
      [],
    );
    // The root project's own runtime dependencies (Pulumi, cdk8s) are not the service's either (yaml is:
    // @opentelemetry/sdk-node reads its configuration file format with it).
    expect(
      ['@pulumi', 'cdk8s', 'cdk8s-plus-27', 'constructs'].filter((name) => existsSync(join(modules, name))),
    ).toEqual([]);
    expect(readdirSync(join(modules, '@platform')).sort()).toEqual(['common', SERVICE].sort());
  });

  it('links the workspaces inside the artefact, never back into the repository', () => {
    for (const name of ['common', SERVICE]) {
      const link = join(artefact, 'node_modules/@platform', name);
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
      expect(realpathSync(link)).toBe(realpathSync(join(artefact, 'services', name)));
    }
  });

  it('starts with the env of a pod, answers /health, traces to OTLP, and exits 0 on SIGTERM without writing', async () => {
    const before = walk(artefact).map((p) => `${p} ${lstatSync(join(artefact, p)).mtimeMs}`);
    const port = await freePort();
    // The pods send traces to Alloy; here an OTLP/HTTP receiver on loopback stands in for it, so the test
    // proves the artefact carries the OpenTelemetry SDK and its exporter.
    const exports: string[] = [];
    const receiver = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        if (req.url === '/v1/traces') exports.push(body);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    const otlp = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    const asRoot = process.getuid?.() === 0;
    // The env the Deployment sets (charts/microservice, stacks/environment.ts, infra/data/data-layer.ts);
    // the data stores are unreachable loopback addresses. Without a MongoDB here the catalog stays in memory
    // (STORAGE=memory); EVENTS=kafka and CACHE=redis as in the pods, which must not keep it from starting,
    // being ready (neither is a readiness check) or shutting down cleanly.
    const env = {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      HOME: '/tmp',
      SERVICE_NAME: SERVICE,
      SERVICE_VERSION: '1.4.2',
      TRACK: 'stable',
      PORT: String(port),
      SHUTDOWN_GRACE_MS: '22000',
      ENVIRONMENT: 'dev',
      STORAGE: 'memory',
      EVENTS: 'kafka',
      CACHE: 'redis',
      JWT_ISSUER: 'platform-dev',
      JWT_SECRET: 'x'.repeat(64),
      MONGODB_URI: 'mongodb://product:secret@127.0.0.1:1/product?replicaSet=rs0&authSource=admin',
      MONGODB_DATABASE: SERVICE,
      MONGODB_REPLICA_SET: 'rs0',
      REDIS_SENTINELS: '127.0.0.1:2,127.0.0.1:3,127.0.0.1:4',
      REDIS_MASTER_NAME: 'mymaster',
      REDIS_PASSWORD: 'secret',
      KAFKA_BROKERS: '127.0.0.1:5',
      KAFKA_SASL_MECHANISM: 'scram-sha-512',
      KAFKA_CLIENT_ID: SERVICE,
      KAFKA_USERNAME: SERVICE,
      KAFKA_PASSWORD: 'secret',
      OTEL_EXPORTER_OTLP_ENDPOINT: otlp,
      OTEL_TRACES_SAMPLER_ARG: '1',
      OTEL_BSP_SCHEDULE_DELAY: '200',
    };
    // The image's WORKDIR and CMD; as the pod's uid when this test may switch users.
    const child = spawn(process.execPath, ['dist/main.js'], {
      cwd: join(artefact, 'services', SERVICE),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(asRoot && { uid: POD_UID, gid: POD_UID }),
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) =>
      child.once('exit', (code, signal) => resolveExit({ code, signal })),
    );

    try {
      const health = await waitForHealth(`http://127.0.0.1:${port}/health`, child, () => output);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      expect((await fetch(`http://127.0.0.1:${port}/ready`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/api/products`)).status).toBe(200);
      const deadline = Date.now() + 10_000;
      while (!exports.some((b) => b.includes('/api/products')) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const traced = exports.find((b) => b.includes('/api/products')) ?? '';
      expect(traced).toContain('"service.name"');
      expect(traced).toContain('"stringValue":"product"');
      if (asRoot && existsSync(`/proc/${child.pid}/status`)) {
        // Really the pod's user, not root: the artefact works without owning any of its files.
        expect(readFileSync(`/proc/${child.pid}/status`, 'utf8')).toMatch(
          new RegExp(`^Uid:\\t${POD_UID}\\t`, 'm'),
        );
      }
    } finally {
      child.kill('SIGTERM');
    }
    await new Promise<void>((r) => receiver.close(() => r()));
    expect({ ...(await exited), output: output.includes('"shutdown complete"') }).toEqual({
      code: 0,
      signal: null,
      output: true,
    });
    expect(output).toContain('"service":"product","version":"1.4.2"');
    expect(walk(artefact).map((p) => `${p} ${lstatSync(join(artefact, p)).mtimeMs}`)).toEqual(before);
  }, 60_000);
});

describe('stage-artefact.sh refuses bad input, naming it', () => {
  const run = (...args: string[]) =>
    promisify(execFile)('bash', [script, ...args], { cwd: root }).then(
      () => 'succeeded',
      (error: { stderr: string }) => error.stderr.trim(),
    );

  it.each([
    [['nope', '/tmp/x'], 'service "nope" does not exist: no services/nope/package.json (one of: '],
    [['Product', '/tmp/x'], 'service must be a lowercase name of a-z, 0-9 and "-" (got "Product")'],
    [['common', '/tmp/x'], 'service must be a service, not the shared library'],
    [['product'], 'usage: stage-artefact.sh <service> <outdir> (got 1 arguments)'],
  ])('%j', async (args, message) => {
    expect(await run(...args)).toContain(message);
  });

  it('refuses a non-empty outdir', async () => {
    expect(await run(SERVICE, artefact)).toContain(`outdir ${artefact} must be empty or not exist yet`);
  });
});
