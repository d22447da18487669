import type { IncomingMessage } from 'node:http';
import type * as OtelCore from '@opentelemetry/core';
import type * as OtlpHttp from '@opentelemetry/exporter-trace-otlp-http';
import type * as HttpInstr from '@opentelemetry/instrumentation-http';
import type * as PinoInstr from '@opentelemetry/instrumentation-pino';
import type * as Resources from '@opentelemetry/resources';
import type * as SdkNode from '@opentelemetry/sdk-node';
import type * as SdkTrace from '@opentelemetry/sdk-trace';
import type * as Semconv from '@opentelemetry/semantic-conventions';
import type { TracingConfig } from './tracing-config';
import { isServiceClientRequest } from '../http-client/service-client-marker';

/** The tracing of this process: on (an SDK exporting spans) or off. */
export interface Tracing {
  readonly enabled: boolean;
  /** Ends tracing: flushes the spans still buffered to the exporter. Never rejects. */
  shutdown(): Promise<void>;
}

export const TRACING_OFF: Tracing = { enabled: false, shutdown: () => Promise.resolve() };

// Probes and scrapes arrive every few seconds per pod: as traces they would drown the real requests.
const UNTRACED_PATHS = new Set(['/health', '/ready', '/metrics']);

function untraced(req: IncomingMessage): boolean {
  return UNTRACED_PATHS.has((req.url ?? '').split('?')[0] ?? '');
}

/** A module loaded only when tracing is on, so a process without an endpoint never loads the SDK. */
function load<T>(name: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose (see above)
  return require(name) as T;
}

type Instrumentations = NonNullable<
  NonNullable<ConstructorParameters<typeof SdkNode.NodeSDK>[0]>['instrumentations']
>;

/**
 * Starts the OpenTelemetry NodeSDK for `config` (off, at no cost, when undefined): W3C trace context and
 * baggage propagation; spans batched to `<endpoint>/v1/traces` over OTLP/HTTP (JSON); parent-based
 * trace-id ratio sampling; the resource names service, version, environment and track; instrumentations
 * for http (server and client; probes and scrapes untraced), express, mongodb, ioredis, kafkajs and pino
 * (trace_id, span_id and trace_flags in log lines written inside a span; logs stay on stdout). It must run
 * before those modules are loaded: they are patched as they are required (see preload.ts).
 */
export function startTracing(config: TracingConfig | undefined): Tracing {
  if (config === undefined) return TRACING_OFF;
  const { NodeSDK } = load<typeof SdkNode>('@opentelemetry/sdk-node');
  const { OTLPTraceExporter } = load<typeof OtlpHttp>('@opentelemetry/exporter-trace-otlp-http');
  const { ParentBasedSampler, TraceIdRatioBasedSampler } = load<typeof SdkTrace>('@opentelemetry/sdk-trace');
  const { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } =
    load<typeof OtelCore>('@opentelemetry/core');
  const { resourceFromAttributes } = load<typeof Resources>('@opentelemetry/resources');
  const { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } = load<typeof Semconv>(
    '@opentelemetry/semantic-conventions',
  );
  const { HttpInstrumentation } = load<typeof HttpInstr>('@opentelemetry/instrumentation-http');
  const { PinoInstrumentation } = load<typeof PinoInstr>('@opentelemetry/instrumentation-pino');
  // These four sit in the root node_modules with their own copy of @opentelemetry/instrumentation (one
  // @opentelemetry/api for all, pinned by the root package.json's overrides); the SDK only calls the public
  // Instrumentation interface on them.
  type Ctor = new (config?: object) => Instrumentations[number];
  const instrumentation = (module: string, exported: string, options?: object): Instrumentations[number] => {
    const Instrumentation = load<Record<string, Ctor>>(module)[exported];
    if (Instrumentation === undefined) throw new Error(`${module} does not export ${exported}`);
    return new Instrumentation(options);
  };

  const sdk = new NodeSDK({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: config.serviceName,
      [ATTR_SERVICE_VERSION]: config.serviceVersion,
      'deployment.environment': config.environment,
      'deployment.environment.name': config.environment,
      'service.track': config.track,
    }),
    serviceName: config.serviceName,
    textMapPropagator: new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
    traceExporter: new OTLPTraceExporter({ url: `${config.endpoint}/v1/traces` }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.samplingRatio) }),
    // Traces only: metrics are scraped by Prometheus, logs read from stdout by Alloy.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      // Service-to-service calls get their CLIENT span from HttpServiceClient; a second one would sit between.
      new HttpInstrumentation({
        ignoreIncomingRequestHook: untraced,
        ignoreOutgoingRequestHook: isServiceClientRequest,
      }),
      // Route and handler spans only: a span per platform middleware (ten per request) is noise.
      instrumentation('@opentelemetry/instrumentation-express', 'ExpressInstrumentation', {
        ignoreLayersType: ['middleware'],
      }),
      instrumentation('@opentelemetry/instrumentation-mongodb', 'MongoDBInstrumentation'),
      instrumentation('@opentelemetry/instrumentation-ioredis', 'IORedisInstrumentation'),
      instrumentation('@opentelemetry/instrumentation-kafkajs', 'KafkaJsInstrumentation'),
      new PinoInstrumentation({ disableLogSending: true }),
    ],
  });
  sdk.start();
  return {
    enabled: true,
    shutdown: () => sdk.shutdown().catch(() => undefined),
  };
}
