// Imported first by @platform/common's index: starts tracing before express, http and the drivers load.
export type { TracingStartup } from './preload';
export { tracingStartup } from './preload';
export type { Tracing } from './start-tracing';
export { TRACING_OFF, startTracing } from './start-tracing';
export type { TracingConfig } from './tracing-config';
export { loadTracingConfig } from './tracing-config';
export type { MessageHeaders, TraceCarrier } from './message-trace';
export { contextFromHeaders, traceCarrier, withProcessSpan, withPublishSpan } from './message-trace';
