import { gracefulShutdown } from '../graceful-shutdown/graceful-shutdown';
import type { Benchmark } from '../lib/bench';
import { orderPath } from '../order-path/order-path';
import { planCost } from '../plan-cost/plan-cost-benchmark';
import { redisFailover } from '../redis-failover/redis-failover';
import { serviceThroughput } from '../service-throughput/service-throughput';
import { tracingOverhead } from '../tracing/tracing-overhead';

/** Every benchmark `tools/run bench` knows, in the order it runs them. */
export const BENCHMARKS: readonly Benchmark[] = [
  serviceThroughput,
  orderPath,
  tracingOverhead,
  gracefulShutdown,
  redisFailover,
  planCost,
];
