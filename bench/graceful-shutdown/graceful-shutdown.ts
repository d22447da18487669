/**
 * Graceful shutdown (issue 17): the product service serving a steady offered rate receives SIGTERM halfway
 * through. Reports the requests answered, the requests that failed on connections the service had accepted
 * (the promise: none), the connection attempts refused after it stopped listening (in a cluster the pod
 * leaves the endpoints before SIGTERM, so no client would still be sent there), the time from SIGTERM to
 * exit and the exit code.
 */
import type { BenchContext, BenchOutcome, Benchmark } from '../lib/bench';
import { onLoadGeneratorCpu, serverCpu } from '../lib/cpu-affinity';
import { runLoad } from '../lib/load';
import { compileServices, createProduct, startService } from '../lib/services';
import { round } from '../lib/stats';

export interface GracefulShutdownResult {
  readonly offeredRate: number;
  readonly connections: number;
  readonly answeredOk: number;
  /** Non-2xx answers and errors other than a refused connection. */
  readonly failed: number;
  readonly failures: Readonly<Record<string, number>>;
  /**
   * Connection attempts refused once the listener was closed. The load stops at the first, but autocannon
   * retries refused connections in a tight loop until then, so this counts retries, not clients.
   */
  readonly refusedAfterClose: number;
  /** From SIGTERM to the first refused connection: how long the listener stayed open. */
  readonly msToListenerClosed: number;
  readonly msToExit: number;
  readonly exitCode: number | null;
}

export async function runGracefulShutdown(context: BenchContext): Promise<GracefulShutdownResult> {
  const offeredRate = 500;
  const connections = 20;
  const beforeTermMs = context.quick ? 1000 : 3000;
  const cpu = serverCpu();
  return onLoadGeneratorCpu(async () => {
    context.log('  compiling the services ...');
    const compiled = compileServices();
    try {
      const product = await startService({
        compiled,
        service: 'product',
        logDir: context.workDir,
        // The grace period the chart gives; a drain needs far less.
        env: { SHUTDOWN_GRACE_MS: '10000' },
        ...(cpu !== undefined && { cpu }),
      });
      try {
        const { id } = await createProduct(product.url);
        let terminatedAt = 0;
        const term = setTimeout(() => {
          terminatedAt = performance.now();
          process.kill(product.pid, 'SIGTERM');
        }, beforeTermMs);
        const exitedAt = product.exited.then(() => performance.now());
        // The first refused connection means the listener is closed: what follows would only measure how
        // fast the load generator retries against a closed port.
        let listenerClosed: () => void = () => undefined;
        let closedAt = Number.NaN;
        const closed = new Promise<void>((resolve) => (listenerClosed = resolve));
        const result = await runLoad({
          url: `${product.url}/api/products/${id}`,
          connections,
          rate: offeredRate,
          durationSeconds: Math.ceil(beforeTermMs / 1000) + 15,
          // Stop once the service is gone: later attempts would only measure an absent server.
          until: Promise.race([exitedAt, closed]),
          onRequestError: (code) => {
            if (code !== 'ECONNREFUSED' || !Number.isNaN(closedAt)) return;
            closedAt = performance.now();
            listenerClosed();
          },
        });
        clearTimeout(term);
        const msToExit = (await exitedAt) - terminatedAt;
        const refusedAfterClose = result.errorCodes.ECONNREFUSED ?? 0;
        const failures: Record<string, number> = { ...result.statuses };
        for (const [code, n] of Object.entries(result.errorCodes))
          if (code !== 'ECONNREFUSED') failures[code] = n;
        const outcome: GracefulShutdownResult = {
          offeredRate,
          connections,
          answeredOk: result.requests - result.non2xx,
          failed: Object.values(failures).reduce((a, b) => a + b, 0),
          failures,
          refusedAfterClose,
          msToListenerClosed: round(closedAt - terminatedAt),
          msToExit: round(msToExit),
          exitCode: product.exitCode(),
        };
        context.log(
          `  ${outcome.answeredOk} answered, ${outcome.failed} failed on accepted connections, listener closed ${outcome.msToListenerClosed} ms and ${outcome.msToExit} ms after SIGTERM (exit code ${String(outcome.exitCode)})`,
        );
        return outcome;
      } finally {
        await product.stop();
      }
    } finally {
      compiled.remove();
    }
  });
}

export const gracefulShutdown: Benchmark = {
  name: 'graceful-shutdown',
  title: 'SIGTERM to the product service under a steady 500 req/s',
  run: async (context): Promise<BenchOutcome<GracefulShutdownResult>> => {
    const r = await runGracefulShutdown(context);
    return {
      details: r,
      figures: [
        { label: 'requests answered', value: r.answeredOk, unit: '' },
        { label: 'failed on accepted connections', value: r.failed, unit: '' },
        { label: 'SIGTERM to listener closed', value: r.msToListenerClosed, unit: 'ms' },
        { label: 'SIGTERM to exit', value: r.msToExit, unit: `ms (exit code ${String(r.exitCode)})` },
      ],
    };
  },
};
