import type { DestinationStream } from 'pino';
import { closeAll } from './adapters/close-all';
import type { ServiceApp } from './app';
import { ConfigError } from './config';
import { createLogger } from './logger';
import { redactError, redactText, secretValues } from './redact';
import type { CloseHook } from './server';
import { handleSignals, start } from './server';
import { tracingStartup } from './tracing/preload';

/** What a service's main builds: the app and what to close after it (consumers, relays, clients). */
export interface BuiltService {
  readonly service: ServiceApp;
  readonly closeHooks: readonly CloseHook[];
}

export interface RunServiceOptions {
  /** Where the start-failure log goes; stdout by default (tests capture it). */
  readonly destination?: DestinationStream;
  /** The interface to listen on; all by default (tests pass 127.0.0.1). */
  readonly host?: string;
}

/**
 * A service's process: builds it, listens, and shuts down gracefully on SIGTERM/SIGINT. A failed start
 * closes what was already opened (a relay or a consumer would keep the process alive) and exits 1 with a
 * fatal log that lists every bad variable when the config was the problem.
 */
export function runService(
  name: string,
  build: () => Promise<BuiltService>,
  options: RunServiceOptions = {},
): void {
  const run = async () => {
    // Tracing started (or failed to) when @platform/common was loaded, before the service's modules.
    const { tracing, error } = tracingStartup();
    if (error !== undefined) throw error;
    const built = await build();
    const { service } = built;
    // Last: spans of the final requests and of the other hooks are flushed before the process exits.
    const closeHooks = tracing.enabled
      ? [...built.closeHooks, { name: 'tracing', close: () => tracing.shutdown() }]
      : built.closeHooks;
    if (tracing.enabled) service.logger.info('tracing on');
    try {
      handleSignals(
        await start(service, { closeHooks, ...(options.host !== undefined && { host: options.host }) }),
      );
    } catch (err) {
      await closeAll(closeHooks);
      throw err;
    }
  };
  run().catch((err: unknown) => {
    // The configured logger may not exist yet (bad LOG_LEVEL), so report with a default one.
    const logger = createLogger(
      { serviceName: name, serviceVersion: 'unknown', track: 'stable', logLevel: 'info' },
      options.destination,
    );
    // The error may quote a connection setting (a driver's parse error, a URL parser's `input`); the
    // logger scrubs its lines too, this keeps the error's own fields clean before they get there.
    const secrets = secretValues(process.env);
    if (err instanceof ConfigError) {
      logger.fatal(
        { problems: err.problems.map((p) => redactText(p, secrets)) },
        redactText(err.message, secrets),
      );
    } else logger.fatal({ err: redactError(err, secrets) }, `${name} service failed to start`);
    process.exitCode = 1;
  });
}
