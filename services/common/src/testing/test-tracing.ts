import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';

/** A real tracer provider for a test file (the SDK's, spans kept in memory), registered globally. */
export interface TestTracing {
  /** Spans ended so far. */
  spans(): readonly ReadableSpan[];
  reset(): void;
  /** Unregisters tracer provider, context manager and propagator (the API goes back to no-op). */
  stop(): Promise<void>;
}

/**
 * Registers what NodeSDK would (AsyncLocalStorage context, W3C trace context + baggage, a tracer provider
 * sampling everything) without instrumentations, which cannot patch modules under jest anyway. Not part
 * of the index: production code never loads the SDK this way.
 */
export function startTestTracing(): TestTracing {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  );
  trace.setGlobalTracerProvider(provider);
  return {
    spans: () => exporter.getFinishedSpans(),
    reset: () => exporter.reset(),
    stop: async () => {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}
