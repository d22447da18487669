/**
 * What tracing costs the product service: GET /api/products/:id from a keep-alive loopback client at a fixed
 * concurrency, against two product processes started side by side in this run, one with tracing off (no
 * endpoint) and one with tracing on (sampling 100 %, spans exported to an in-process OTLP/HTTP receiver).
 * Rounds alternate off/on so drift of the machine hits both. Prints requests/s and p50/p99 latency per
 * variant and the ratios; it asserts nothing.
 *
 *   npx tsc -p tsconfig.build.json && node dist/tools/bench/tracing-overhead.js [requests] [concurrency] [rounds]
 */
import { randomUUID } from 'node:crypto';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { signAccessToken } from '../../services/common/src/jwt';
import type { ChildService } from '../../services/common/src/testing/child-services';
import {
  compileEntry,
  repositoryDir,
  spawnService,
  waitUntilReady,
} from '../../services/common/src/testing/child-services';
import { freePort } from '../../services/common/src/testing/free-port';

const JWT = { secret: 'bench-access-token-key-of-at-least-32-bytes', issuer: 'platform-bench' };

interface Result {
  readonly requests: number;
  readonly seconds: number;
  readonly latenciesMs: readonly number[];
}

function positiveInt(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new Error(`${name} must be a positive integer (got ${JSON.stringify(value)})`);
  return n;
}

/** `total` GETs of `url` by `concurrency` workers over keep-alive connections. */
async function load(url: string, total: number, concurrency: number): Promise<Result> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latenciesMs: number[] = [];
  let next = 0;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const started = process.hrtime.bigint();
      const req = request(url, { agent }, (res) => {
        res.resume();
        res.once('end', () => {
          if (res.statusCode !== 200) reject(new Error(`GET ${url} answered ${res.statusCode}`));
          latenciesMs.push(Number(process.hrtime.bigint() - started) / 1e6);
          resolve();
        });
      });
      req.once('error', reject);
      req.end();
    });
  const worker = async () => {
    while (next < total) {
      next += 1;
      await one();
    }
  };
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  return { requests: total, seconds, latenciesMs };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function summary(results: readonly Result[]) {
  const requests = results.reduce((n, r) => n + r.requests, 0);
  const seconds = results.reduce((n, r) => n + r.seconds, 0);
  const sorted = results.flatMap((r) => r.latenciesMs).sort((a, b) => a - b);
  return { rps: requests / seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

async function main(): Promise<void> {
  const total = positiveInt(process.argv[2], 5000, 'requests');
  const concurrency = positiveInt(process.argv[3], 16, 'concurrency');
  const rounds = positiveInt(process.argv[4], 3, 'rounds');

  let spans = 0;
  const receiver = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      spans += (body.match(/"spanId"/g) ?? []).length;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  process.stdout.write('compiling the services ...\n');
  const compiled = compileEntry(
    join(repositoryDir, 'services', 'order', 'src', 'traced-service-process.fixture.ts'),
  );
  const children: ChildService[] = [];
  try {
    const common = {
      JWT_SECRET: JWT.secret,
      JWT_ISSUER: JWT.issuer,
      SERVICE_NAME: 'product',
      LOG_LEVEL: 'warn',
    };
    const variants = {
      off: spawnService(compiled, 'product', await freePort(), common),
      on: spawnService(compiled, 'product', await freePort(), {
        ...common,
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        OTEL_TRACES_SAMPLER_ARG: '1',
      }),
    };
    children.push(variants.off, variants.on);
    await Promise.all(children.map((c) => waitUntilReady(c)));

    const manager = signAccessToken(
      { sub: randomUUID(), email: 'bench@example.com', roles: ['catalog-manager'] },
      { ...JWT, ttlSeconds: 600 },
    );
    const urls: Record<'off' | 'on', string> = { off: '', on: '' };
    for (const [name, child] of Object.entries(variants) as ['off' | 'on', ChildService][]) {
      const res = await fetch(`${child.url}/api/products`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${manager}` },
        body: JSON.stringify({
          sku: 'BENCH-1',
          name: 'Bench',
          price: 100,
          currency: 'EUR',
          category: 'tools',
          stock: 1,
        }),
      });
      if (res.status !== 201) throw new Error(`creating the product (${name}) answered ${res.status}`);
      urls[name] = `${child.url}/api/products/${((await res.json()) as { id: string }).id}`;
      await load(urls[name], Math.min(total, 1000), concurrency); // warm-up: JIT, connections
    }

    const results: Record<'off' | 'on', Result[]> = { off: [], on: [] };
    for (let round = 1; round <= rounds; round++) {
      for (const name of ['off', 'on'] as const)
        results[name].push(await load(urls[name], total, concurrency));
    }
    const off = summary(results.off);
    const on = summary(results.on);
    const row = (name: string, s: ReturnType<typeof summary>) =>
      `${name.padEnd(12)} ${s.rps.toFixed(0).padStart(8)} req/s   p50 ${s.p50.toFixed(2)} ms   p99 ${s.p99.toFixed(2)} ms`;
    process.stdout.write(
      [
        `product GET /api/products/:id, ${rounds} x ${total} requests per variant, concurrency ${concurrency}, loopback keep-alive`,
        row('tracing off', off),
        row('tracing on', on),
        `on/off: throughput ${(on.rps / off.rps).toFixed(3)}, p50 ${(on.p50 / off.p50).toFixed(3)}, p99 ${(on.p99 / off.p99).toFixed(3)}`,
        `spans received from the traced process: ${spans}`,
        '',
      ].join('\n'),
    );
  } finally {
    await Promise.all(children.map((c) => c.kill()));
    receiver.closeAllConnections();
    receiver.close();
    compiled.remove();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(
    `tracing-overhead: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exitCode = 1;
});
