/**
 * Service throughput (issue 17): GET /api/products/:id at a fixed number of connections, in interleaved
 * rounds of (a) a bare Express 5 app returning the same JSON, (b) the product service on its in-memory
 * cache with all the platform's middleware, (c) the same on a real local redis-server. The servers share
 * one CPU, the load generator (this process) and redis-server the other. Reports req/s, p50/p95/p99 per
 * variant (pooled over the rounds) and the throughput ratios b/a and c/a, overall and per round.
 */
import { join } from 'node:path';
import { startRedisServer, type RedisTestProcess } from '../../services/common/src/testing/redis-server';
import { freePort } from '../../services/common/src/testing/free-port';
import type { BenchContext, BenchOutcome, Benchmark } from '../lib/bench';
import { onLoadGeneratorCpu, serverCpu } from '../lib/cpu-affinity';
import { runLoad, type LoadResult } from '../lib/load';
import { poolRounds, type PooledFigures } from '../lib/pooled-rounds';
import { processCpuMs } from '../lib/process-cpu';
import { startNode, waitForHttp, type BenchProcess } from '../lib/processes';
import { compileServices, createProduct, startService } from '../lib/services';
import { round } from '../lib/stats';

export const VARIANTS = ['bare', 'memory', 'redis'] as const;
export type Variant = (typeof VARIANTS)[number];

export interface ServiceThroughputOptions {
  readonly connections?: number;
  readonly durationSeconds?: number;
  readonly rounds?: number;
  /** Extra node flags for the product processes, e.g. ['--cpu-prof', '--cpu-prof-dir=/tmp/prof']. */
  readonly productNodeFlags?: readonly string[];
  /** Extra environment for the product processes, e.g. { LOG_LEVEL: 'warn' } to see what the access log costs. */
  readonly productEnv?: Readonly<Record<string, string>>;
}

export type VariantFigures = PooledFigures;

export interface ServiceThroughputResult {
  readonly connections: number;
  readonly durationSeconds: number;
  readonly rounds: number;
  readonly pinned: boolean;
  readonly variants: Record<Variant, VariantFigures>;
  /** Throughput of b and c over a, from all rounds together. */
  readonly ratios: { readonly memoryToBare: number; readonly redisToBare: number };
  readonly perRound: readonly { readonly memoryToBare: number; readonly redisToBare: number }[];
}

export async function runServiceThroughput(
  context: BenchContext,
  options: ServiceThroughputOptions = {},
): Promise<ServiceThroughputResult> {
  const connections = options.connections ?? 50;
  const durationSeconds = options.durationSeconds ?? (context.quick ? 1 : 8);
  const rounds = options.rounds ?? (context.quick ? 1 : 5);
  const cpu = serverCpu();
  const { log } = context;

  return onLoadGeneratorCpu(async () => {
    log('  compiling the services ...');
    const compiled = compileServices();
    const started: BenchProcess[] = [];
    let redis: RedisTestProcess | undefined;
    try {
      redis = await startRedisServer();
      const productFlags = options.productNodeFlags ?? [];
      const memory = await startService({
        compiled,
        service: 'product',
        name: 'product-memory',
        logDir: context.workDir,
        env: { ...options.productEnv },
        nodeFlags: productFlags,
        ...(cpu !== undefined && { cpu }),
      });
      started.push(memory);
      const onRedis = await startService({
        compiled,
        service: 'product',
        name: 'product-redis',
        logDir: context.workDir,
        env: { ...options.productEnv, CACHE: 'redis', REDIS_URL: redis.url },
        nodeFlags: productFlags,
        ...(cpu !== undefined && { cpu }),
      });
      started.push(onRedis);
      const product = await createProduct(memory.url);
      const productOnRedis = await createProduct(onRedis.url);
      const bare = startNode({
        name: 'bare-express',
        args: [join(__dirname, 'bare-express.js')],
        port: await freePort(),
        logDir: context.workDir,
        env: { NODE_ENV: 'production', PRODUCT_JSON: product.json },
        ...(cpu !== undefined && { cpu }),
      });
      started.push(bare);
      await waitForHttp(bare);

      const pids: Record<Variant, number> = { bare: bare.pid, memory: memory.pid, redis: onRedis.pid };
      const cpuMs: Record<Variant, number> = { bare: 0, memory: 0, redis: 0 };
      const urls: Record<Variant, string> = {
        bare: `${bare.url}/api/products/${product.id}`,
        memory: `${memory.url}/api/products/${product.id}`,
        redis: `${onRedis.url}/api/products/${productOnRedis.id}`,
      };
      log(`  warming up (JIT, connections, cache) ...`);
      for (const variant of VARIANTS) {
        await runLoad({ url: urls[variant], connections, durationSeconds: context.quick ? 1 : 3 });
      }
      const results: Record<Variant, LoadResult[]> = { bare: [], memory: [], redis: [] };
      const perRound: { memoryToBare: number; redisToBare: number }[] = [];
      for (let r = 1; r <= rounds; r++) {
        for (const variant of VARIANTS) {
          const cpuBefore = processCpuMs(pids[variant]);
          const result = await runLoad({ url: urls[variant], connections, durationSeconds });
          cpuMs[variant] += processCpuMs(pids[variant]) - cpuBefore;
          results[variant].push(result);
          log(
            `  round ${r}/${rounds} ${variant.padEnd(6)} ${result.rps.toFixed(0).padStart(6)} req/s  p50 ${result.p50.toFixed(2)} ms  p95 ${result.p95.toFixed(2)} ms  p99 ${result.p99.toFixed(2)} ms`,
          );
        }
        const rps = (v: Variant) => results[v][r - 1]!.rps;
        perRound.push({
          memoryToBare: round(rps('memory') / rps('bare')),
          redisToBare: round(rps('redis') / rps('bare')),
        });
      }
      const variants = {
        bare: poolRounds(results.bare, cpuMs.bare),
        memory: poolRounds(results.memory, cpuMs.memory),
        redis: poolRounds(results.redis, cpuMs.redis),
      };
      return {
        connections,
        durationSeconds,
        rounds,
        pinned: cpu !== undefined,
        variants,
        ratios: {
          memoryToBare: round(variants.memory.rps / variants.bare.rps),
          redisToBare: round(variants.redis.rps / variants.bare.rps),
        },
        perRound,
      };
    } finally {
      await Promise.all(started.map((p) => p.stop()));
      await redis?.stop();
      compiled.remove();
    }
  });
}

export const serviceThroughput: Benchmark = {
  name: 'service-throughput',
  title: 'Product GET by id vs bare Express 5 (50 connections)',
  run: async (context: BenchContext): Promise<BenchOutcome<ServiceThroughputResult>> => {
    const r = await runServiceThroughput(context);
    const v = r.variants;
    return {
      details: r,
      figures: [
        { label: '(a) bare Express 5', value: v.bare.rps, unit: 'req/s' },
        { label: '(b) product, in-memory cache', value: v.memory.rps, unit: 'req/s' },
        { label: '(c) product, Redis cache', value: v.redis.rps, unit: 'req/s' },
        { label: 'b/a throughput', value: r.ratios.memoryToBare, unit: '×' },
        { label: 'c/a throughput', value: r.ratios.redisToBare, unit: '×' },
        { label: '(a) p95 / p99', value: v.bare.p95, unit: `ms / ${v.bare.p99} ms` },
        { label: '(b) p95 / p99', value: v.memory.p95, unit: `ms / ${v.memory.p99} ms` },
        { label: '(c) p95 / p99', value: v.redis.p95, unit: `ms / ${v.redis.p99} ms` },
        {
          label: 'server CPU per request (a / b / c)',
          value: v.bare.cpuMicrosPerRequest,
          unit: `µs / ${v.memory.cpuMicrosPerRequest} µs / ${v.redis.cpuMicrosPerRequest} µs`,
        },
        {
          label: 'failed requests (all variants)',
          value: v.bare.failed + v.memory.failed + v.redis.failed,
          unit: '',
        },
      ],
    };
  },
};
