/**
 * What tracing costs the product service: GET /api/products/:id at 50 connections against two product
 * processes started side by side, one with tracing off (no endpoint) and one with tracing on (sampling
 * 100 %, spans exported to an OTLP/HTTP receiver in this process), in interleaved rounds.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BenchContext, BenchOutcome, Benchmark } from '../lib/bench';
import { onLoadGeneratorCpu, serverCpu } from '../lib/cpu-affinity';
import { runLoad, type LoadResult } from '../lib/load';
import { poolRounds, type PooledFigures } from '../lib/pooled-rounds';
import { processCpuMs } from '../lib/process-cpu';
import type { BenchProcess } from '../lib/processes';
import { compileServices, createProduct, startService } from '../lib/services';
import { round } from '../lib/stats';

export type TracingVariant = PooledFigures;

export interface TracingOverheadResult {
  readonly connections: number;
  readonly rounds: number;
  readonly off: TracingVariant;
  readonly on: TracingVariant;
  /** Throughput with tracing on over off. */
  readonly throughputRatio: number;
  readonly spansReceived: number;
}

export async function runTracingOverhead(context: BenchContext): Promise<TracingOverheadResult> {
  const connections = 50;
  const rounds = context.quick ? 1 : 3;
  const durationSeconds = context.quick ? 1 : 6;
  const cpu = serverCpu();
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
  try {
    return await onLoadGeneratorCpu(async () => {
      context.log('  compiling the services ...');
      const compiled = compileServices();
      const started: BenchProcess[] = [];
      try {
        const base = {
          compiled,
          service: 'product' as const,
          logDir: context.workDir,
          ...(cpu !== undefined && { cpu }),
        };
        const off = await startService({ ...base, name: 'product-tracing-off' });
        started.push(off);
        const on = await startService({
          ...base,
          name: 'product-tracing-on',
          env: { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_TRACES_SAMPLER_ARG: '1' },
        });
        started.push(on);
        const variants = { off, on };
        const urls = {
          off: `${off.url}/api/products/${(await createProduct(off.url)).id}`,
          on: `${on.url}/api/products/${(await createProduct(on.url)).id}`,
        };
        for (const name of ['off', 'on'] as const)
          await runLoad({ url: urls[name], connections, durationSeconds: 2 });
        const results: Record<'off' | 'on', LoadResult[]> = { off: [], on: [] };
        const cpuMs = { off: 0, on: 0 };
        for (let r = 1; r <= rounds; r++) {
          for (const name of ['off', 'on'] as const) {
            const before = processCpuMs(variants[name].pid);
            const result = await runLoad({ url: urls[name], connections, durationSeconds });
            cpuMs[name] += processCpuMs(variants[name].pid) - before;
            results[name].push(result);
            context.log(
              `  round ${r}/${rounds} tracing ${name.padEnd(3)} ${result.rps.toFixed(0)} req/s  p95 ${result.p95.toFixed(2)} ms  p99 ${result.p99.toFixed(2)} ms`,
            );
          }
        }
        const offSummary = poolRounds(results.off, cpuMs.off);
        const onSummary = poolRounds(results.on, cpuMs.on);
        return {
          connections,
          rounds,
          off: offSummary,
          on: onSummary,
          throughputRatio: round(onSummary.rps / offSummary.rps),
          spansReceived: spans,
        };
      } finally {
        await Promise.all(started.map((p) => p.stop()));
        compiled.remove();
      }
    });
  } finally {
    receiver.closeAllConnections();
    receiver.close();
  }
}

export const tracingOverhead: Benchmark = {
  name: 'tracing',
  title: 'Product GET by id with tracing off vs on (100 % sampled, OTLP/HTTP)',
  run: async (context): Promise<BenchOutcome<TracingOverheadResult>> => {
    const r = await runTracingOverhead(context);
    return {
      details: r,
      figures: [
        { label: 'tracing off', value: r.off.rps, unit: `req/s (p99 ${r.off.p99} ms)` },
        { label: 'tracing on', value: r.on.rps, unit: `req/s (p99 ${r.on.p99} ms)` },
        { label: 'on/off throughput', value: r.throughputRatio, unit: '×' },
        {
          label: 'CPU per request off / on',
          value: r.off.cpuMicrosPerRequest,
          unit: `µs / ${r.on.cpuMicrosPerRequest} µs`,
        },
        { label: 'spans received', value: r.spansReceived, unit: '' },
      ],
    };
  },
};
