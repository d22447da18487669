import type { Tracing } from './start-tracing';
import { TRACING_OFF, startTracing } from './start-tracing';
import { loadTracingConfig } from './tracing-config';

/** How starting tracing went when @platform/common was loaded. */
export interface TracingStartup {
  readonly tracing: Tracing;
  /** A ConfigError (bad OTEL_* variable) or the SDK's own failure; runService reports it and exits 1. */
  readonly error?: unknown;
}

function startFromEnvironment(): TracingStartup {
  try {
    return { tracing: startTracing(loadTracingConfig(process.env)) };
  } catch (error) {
    return { tracing: TRACING_OFF, error };
  }
}

// Runs once, when @platform/common's index loads this module first of all: instrumentations patch modules
// as they are required, so the SDK must be up before anything loads express, http, mongodb, ioredis, kafkajs
// or pino, and every service's main.ts reaches those through the index. A service's main.ts therefore
// imports @platform/common first; a failure is kept (not thrown at import) for runService to report.
const startup = startFromEnvironment();

/** The tracing this process started from its environment (off without OTEL_EXPORTER_OTLP_ENDPOINT). */
export function tracingStartup(): TracingStartup {
  return startup;
}
