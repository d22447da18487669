import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import type { Attributes, Context, TextMapGetter } from '@opentelemetry/api';

/** A trace context as W3C headers: traceparent, and tracestate / baggage when there are any. */
export type TraceCarrier = Readonly<Record<string, string>>;

/** Message headers as Kafka hands them over (values may be Buffers or lists of them). */
export type MessageHeaders = Readonly<Record<string, Buffer | string | (Buffer | string)[] | undefined>>;

const TRACER = '@platform/common';

/**
 * The trace context of `ctx` (default: the active one) as headers to store or send along, or undefined
 * when no span is active there (or tracing is off): nothing to continue.
 */
export function traceCarrier(ctx: Context = context.active()): TraceCarrier | undefined {
  if (trace.getSpanContext(ctx) === undefined) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier.traceparent === undefined ? undefined : carrier;
}

const headerGetter: TextMapGetter<MessageHeaders> = {
  keys: (headers) => Object.keys(headers),
  get: (headers, key) => {
    const value = headers[key];
    const first = Array.isArray(value) ? value[0] : value;
    return first === undefined ? undefined : first.toString();
  },
};

/** The context a carrier (or message headers) describes; the root context when it holds none. */
export function contextFromHeaders(headers: MessageHeaders | undefined): Context {
  return headers === undefined ? ROOT_CONTEXT : propagation.extract(ROOT_CONTEXT, headers, headerGetter);
}

async function inSpan<T>(
  name: string,
  kind: SpanKind,
  parent: Context,
  attributes: Attributes,
  fn: () => Promise<T>,
): Promise<T> {
  return trace.getTracer(TRACER).startActiveSpan(name, { kind, attributes }, parent, async (span) => {
    try {
      return await fn();
    } catch (err) {
      span.recordException(err instanceof Error ? err : String(err));
      span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : undefined });
      throw err;
    } finally {
      span.end();
    }
  });
}

/**
 * Runs `fn` in a PRODUCER span `publish <topic>`, a child of `parent` (e.g. the context an outbox entry
 * was written in), so whatever `fn` publishes carries that trace on.
 */
export function withPublishSpan<T>(
  topic: string,
  parent: Context,
  attributes: Attributes,
  fn: () => Promise<T>,
): Promise<T> {
  return inSpan(
    `publish ${topic}`,
    SpanKind.PRODUCER,
    parent,
    { 'messaging.destination.name': topic, 'messaging.operation.type': 'send', ...attributes },
    fn,
  );
}

/**
 * Runs `fn` in a CONSUMER span `process <topic>` continuing the trace in the message's headers. When the
 * kafkajs instrumentation already made a span of that trace active (its own process span), ours nests
 * under it; any other active context (whatever started the consumer) is ignored.
 */
export function withProcessSpan<T>(
  topic: string,
  headers: MessageHeaders | undefined,
  attributes: Attributes,
  fn: () => Promise<T>,
): Promise<T> {
  const extracted = contextFromHeaders(headers);
  const remote = trace.getSpanContext(extracted);
  const active = trace.getSpanContext(context.active());
  const parent = remote !== undefined && active?.traceId === remote.traceId ? context.active() : extracted;
  return inSpan(
    `process ${topic}`,
    SpanKind.CONSUMER,
    parent,
    { 'messaging.destination.name': topic, 'messaging.operation.type': 'process', ...attributes },
    fn,
  );
}
