/**
 * The order path (issue 17): POST /api/orders through order, which calls user and product, all three
 * started here on one CPU (the load generator on the other), in-memory stores. Measured at a fixed offered
 * rate and unthrottled; per hop, the requests each service served per order and their mean server time,
 * from the services' own latency histograms, so the report says where an order's time goes.
 */
import { randomUUID } from 'node:crypto';
import type { BenchContext, BenchOutcome, Benchmark } from '../lib/bench';
import { onLoadGeneratorCpu, serverCpu } from '../lib/cpu-affinity';
import { runLoad, type LoadResult } from '../lib/load';
import { processCpuMs } from '../lib/process-cpu';
import type { BenchProcess } from '../lib/processes';
import { scrapeRouteTimings, timingDelta } from '../lib/route-timings';
import { compileServices, createProduct, startService } from '../lib/services';
import { round } from '../lib/stats';

const ORDER_KEY = 'bench-order-service-key-of-at-least-32-bytes';

export interface OrderPathOptions {
  /** Offered rate of the fixed-rate run (default 500 orders/s, the business-service target). */
  readonly rate?: number;
  readonly connections?: number;
  readonly durationSeconds?: number;
  /** Node flags for the order process, e.g. ['--cpu-prof', '--cpu-prof-dir=/tmp/prof']. */
  readonly orderNodeFlags?: readonly string[];
}

export interface OrderRun {
  readonly offered: number | 'unthrottled';
  readonly ordersPerSecond: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly failed: number;
  /** Per service and route: requests per order and mean server time (ms). */
  readonly hops: readonly { service: string; route: string; perOrder: number; meanMs: number }[];
  /** CPU time (user + system) each process spent per order, in milliseconds. */
  readonly cpuMsPerOrder: Readonly<Record<string, number>>;
  /** What one CPU per service would give: 1000 / the largest CPU per order (orders/s). */
  readonly boundOneCpuPerService: number;
}

export interface OrderPathResult {
  readonly connections: number;
  readonly durationSeconds: number;
  readonly pinned: boolean;
  readonly fixedRate: OrderRun;
  readonly unthrottled: OrderRun;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

export async function runOrderPath(
  context: BenchContext,
  options: OrderPathOptions = {},
): Promise<OrderPathResult> {
  const rate = options.rate ?? 500;
  const connections = options.connections ?? 50;
  const durationSeconds = options.durationSeconds ?? (context.quick ? 2 : 10);
  const cpu = serverCpu();
  const { log } = context;
  return onLoadGeneratorCpu(async () => {
    log('  compiling the services ...');
    const compiled = compileServices();
    const started: BenchProcess[] = [];
    try {
      const common = { logDir: context.workDir, compiled, ...(cpu !== undefined && { cpu }) };
      const user = await startService({ ...common, service: 'user', env: { SERVICE_KEY_ORDER: ORDER_KEY } });
      started.push(user);
      const product = await startService({
        ...common,
        service: 'product',
        env: { SERVICE_KEY_ORDER: ORDER_KEY },
      });
      started.push(product);
      const order = await startService({
        ...common,
        service: 'order',
        ...(options.orderNodeFlags !== undefined && { nodeFlags: options.orderNodeFlags }),
        env: {
          USER_SERVICE_URL: user.url,
          PRODUCT_SERVICE_URL: product.url,
          SERVICE_TOKEN_KEY: ORDER_KEY,
        },
      });
      started.push(order);

      const credentials = {
        email: `bench-${randomUUID()}@example.com`,
        password: 'correct horse battery staple',
      };
      const registered = await post(`${user.url}/api/auth/register`, { ...credentials, name: 'Bench' });
      if (registered.status !== 201)
        throw new Error(`registering the bench user answered ${registered.status}`);
      const login = await post(`${user.url}/api/auth/login`, credentials);
      if (login.status !== 200) throw new Error(`logging in answered ${login.status}`);
      const { accessToken } = (await login.json()) as { accessToken: string };
      const { id: productId } = await createProduct(product.url, 100_000_000);

      const body = JSON.stringify({ items: [{ productId, quantity: 1 }] });
      const load = (offered: number | undefined, seconds: number) =>
        runLoad({
          url: `${order.url}/api/orders`,
          method: 'POST',
          connections,
          durationSeconds: seconds,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
          body,
          // Clients retry with the same key; every order here is a new one.
          perRequest: () => ({ headers: { 'idempotency-key': randomUUID() } }),
          ...(offered !== undefined && { rate: offered }),
        });
      const services = { order, user, product };
      const measured = async (offered: number | undefined): Promise<OrderRun> => {
        const before = await Promise.all(Object.values(services).map((s) => scrapeRouteTimings(s.url)));
        const cpuBefore = Object.values(services).map((s) => processCpuMs(s.pid));
        const result: LoadResult = await load(offered, durationSeconds);
        const cpuAfter = Object.values(services).map((s) => processCpuMs(s.pid));
        const after = await Promise.all(Object.values(services).map((s) => scrapeRouteTimings(s.url)));
        const orders = Math.max(1, result.requests);
        const hops = Object.keys(services).flatMap((service, i) =>
          timingDelta(before[i]!, after[i]!).map((row) => ({
            service,
            route: row.route,
            perOrder: round(row.requests / orders),
            meanMs: round(row.meanMs),
          })),
        );
        const cpuMsPerOrder = Object.fromEntries(
          Object.keys(services).map((service, i) => [
            service,
            round((cpuAfter[i]! - cpuBefore[i]!) / orders),
          ]),
        );
        const run: OrderRun = {
          offered: offered ?? 'unthrottled',
          ordersPerSecond: round(result.rps),
          p50: round(result.p50),
          p95: round(result.p95),
          p99: round(result.p99),
          failed: result.non2xx + result.errors,
          hops,
          cpuMsPerOrder,
          boundOneCpuPerService: round(1000 / Math.max(...Object.values(cpuMsPerOrder))),
        };
        log(
          `  ${String(run.offered).padEnd(11)} ${run.ordersPerSecond} orders/s  p50 ${run.p50} ms  p95 ${run.p95} ms  p99 ${run.p99} ms  failed ${run.failed}`,
        );
        log(
          `    CPU per order: ${Object.entries(cpuMsPerOrder)
            .map(([k, v]) => `${k} ${v} ms`)
            .join(', ')}; one CPU per service would give ${run.boundOneCpuPerService} orders/s`,
        );
        for (const hop of hops)
          log(
            `    ${hop.service.padEnd(8)} ${hop.route.padEnd(40)} ${hop.perOrder}/order  mean ${hop.meanMs} ms`,
          );
        return run;
      };
      log('  warming up ...');
      await load(undefined, context.quick ? 1 : 3);
      const fixedRate = await measured(rate);
      const unthrottled = await measured(undefined);
      return { connections, durationSeconds, pinned: cpu !== undefined, fixedRate, unthrottled };
    } finally {
      await Promise.all(started.map((p) => p.stop()));
      compiled.remove();
    }
  });
}

export const orderPath: Benchmark = {
  name: 'order-path',
  title: 'POST /api/orders through user, product and order on one CPU',
  run: async (context): Promise<BenchOutcome<OrderPathResult>> => {
    const r = await runOrderPath(context);
    return {
      details: r,
      figures: [
        {
          label: `offered ${r.fixedRate.offered}/s: achieved`,
          value: r.fixedRate.ordersPerSecond,
          unit: 'orders/s',
        },
        {
          label: `offered ${r.fixedRate.offered}/s: p95 / p99`,
          value: r.fixedRate.p95,
          unit: `ms / ${r.fixedRate.p99} ms`,
        },
        { label: 'unthrottled: achieved', value: r.unthrottled.ordersPerSecond, unit: 'orders/s' },
        { label: 'unthrottled: p95 / p99', value: r.unthrottled.p95, unit: `ms / ${r.unthrottled.p99} ms` },
        {
          label: 'CPU per order: order / user / product',
          value: r.unthrottled.cpuMsPerOrder.order ?? Number.NaN,
          unit: `ms / ${r.unthrottled.cpuMsPerOrder.user} ms / ${r.unthrottled.cpuMsPerOrder.product} ms`,
        },
        {
          label: 'one CPU per service would give',
          value: r.unthrottled.boundOneCpuPerService,
          unit: 'orders/s',
        },
        { label: 'failed requests', value: r.fixedRate.failed + r.unthrottled.failed, unit: '' },
      ],
    };
  },
};
