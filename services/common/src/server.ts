import type { Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { ServiceApp } from './app';

/** A client or resource to close after the last request finished (database, Kafka producer, ...). */
export interface CloseHook {
  readonly name: string;
  close(): Promise<unknown>;
}

export interface StartOptions {
  /** Defaults to config.port; 0 picks a free port (tests). */
  readonly port?: number;
  /** Defaults to all interfaces. */
  readonly host?: string;
  /** Defaults to config.shutdownGraceMs. */
  readonly graceMs?: number;
  /** Run in order once the server has stopped, within the grace period. */
  readonly closeHooks?: readonly CloseHook[];
  /**
   * How long idle keep-alive connections stay open once shutdown begins, so a request a client is sending
   * on one at that moment is answered (with `Connection: close`) instead of reset. Clients keep pooled
   * connections to a pod after it left the endpoints; closing them at once reset such requests (issue 17's
   * shutdown benchmark: 6 of 1,500). Defaults to 1000 ms, at most a quarter of the grace period. Tests that
   * do not exercise shutdown pass 0: their own client's pooled idle connection would otherwise hold each
   * shutdown for the whole last call (it made the route suites 20-40 times slower).
   */
  readonly idleDrainMs?: number;
}

export interface RunningService {
  readonly server: Server;
  readonly port: number;
  readonly url: string;
  /**
   * Stops the service gracefully: not ready, no new connections, in-flight requests finish, close hooks
   * run. Idempotent. Never rejects; resolves with the exit code (1 when the grace period ran out or a
   * close hook failed). It does not exit the process: handleSignals does.
   */
  shutdown(reason?: string): Promise<number>;
}

function listen(server: Server, port: number, host: string | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export async function start(service: ServiceApp, options: StartOptions = {}): Promise<RunningService> {
  const { logger, config } = service;
  const graceMs = options.graceMs ?? config.shutdownGraceMs;
  const closeHooks = options.closeHooks ?? [];
  const idleDrainMs = options.idleDrainMs ?? Math.min(1000, Math.floor(graceMs / 4));
  // Set once the idle connections' last call is over: from then on they are closed as soon as they idle.
  let lastCallOver = false;
  const server = createServer(service.app);
  // Longer than the usual 60 s idle timeout of load balancers, so they (not we) close idle
  // connections and never send a request into a socket we are closing.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  const inFlight = new Set<ServerResponse>();
  // Node counts a connection as idle once its response is ended, even while the response is still being
  // flushed to a slow reader; closing "idle" connections then would cut that response short. So idle
  // connections are closed only when no response is mid-flush, and again as each one finishes.
  const closeIdleConnections = () => {
    if (![...inFlight].some((r) => r.writableEnded && !r.writableFinished)) server.closeIdleConnections();
  };
  server.on('request', (_req, res: ServerResponse) => {
    inFlight.add(res);
    res.once('close', () => {
      inFlight.delete(res);
      if (lastCallOver) closeIdleConnections();
    });
  });

  await listen(server, options.port ?? config.port, options.host);
  const { port } = server.address() as AddressInfo;
  const url = `http://${options.host ?? 'localhost'}:${port}`;
  logger.info({ port, graceMs }, 'listening');

  const stopServer = (): Promise<void> =>
    new Promise((resolve) => {
      // net.Server's close stops accepting without http.Server's blanket close of idle connections (see
      // closeIdleConnections above); it calls back once every connection has ended.
      const lastCall = setTimeout(() => {
        lastCallOver = true;
        closeIdleConnections();
      }, idleDrainMs);
      net.Server.prototype.close.call(server, (err?: Error) => {
        clearTimeout(lastCall);
        if (err) logger.warn({ err }, 'server was not running');
        resolve();
      });
    });

  const drain = async (reason: string): Promise<number> => {
    logger.info({ reason, graceMs, inFlight: inFlight.size }, 'shutting down');
    service.beginShutdown();
    for (const res of inFlight) if (!res.headersSent) res.shouldKeepAlive = false;

    const work = (async () => {
      await stopServer();
      let code = 0;
      for (const hook of closeHooks) {
        try {
          await hook.close();
        } catch (err) {
          code = 1;
          logger.error({ err, hook: hook.name }, 'close hook failed');
        }
      }
      return code;
    })();

    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), graceMs);
    });
    const outcome = await Promise.race([work, deadline]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      logger.warn({ inFlight: inFlight.size }, 'grace period over; closing remaining connections');
      server.closeAllConnections();
      return 1;
    }
    logger.info({ code: outcome }, 'shutdown complete');
    return outcome;
  };

  let shutdownPromise: Promise<number> | undefined;
  return {
    server,
    port,
    url,
    shutdown: (reason = 'shutdown') => (shutdownPromise ??= drain(reason)),
  };
}

export interface SignalOptions {
  readonly signals?: readonly NodeJS.Signals[];
  /** Injected so tests can observe the exit code instead of ending the test runner. */
  readonly exit?: (code: number) => void;
}

/**
 * SIGTERM/SIGINT start a graceful shutdown and exit with its code; a second signal exits at once (the
 * operator pressed Ctrl-C twice). Returns a function that removes the handlers.
 */
export function handleSignals(
  running: Pick<RunningService, 'shutdown'>,
  options: SignalOptions = {},
): () => void {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let received = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (received) {
      exit(1);
      return;
    }
    received = true;
    void running.shutdown(signal).then(exit, () => exit(1));
  };
  for (const signal of signals) process.on(signal, onSignal);
  return () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
}
