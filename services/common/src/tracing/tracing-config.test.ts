import { INVALID_SPANID, INVALID_TRACEID, trace } from '@opentelemetry/api';
import { ConfigError } from '../config';
import { tracingStartup } from './preload';
import { startTracing } from './start-tracing';
import { loadTracingConfig } from './tracing-config';

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

const ON = {
  OTEL_EXPORTER_OTLP_ENDPOINT: 'http://alloy.monitoring.svc.cluster.local:4318/',
  SERVICE_NAME: 'order',
};

describe('loadTracingConfig', () => {
  it('is off (undefined) without OTEL_EXPORTER_OTLP_ENDPOINT, also when it is empty', () => {
    expect(loadTracingConfig({ SERVICE_NAME: 'order' })).toBeUndefined();
    expect(loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: ' ' })).toBeUndefined();
  });

  it('samples everything by default and names the service, version, track and environment', () => {
    expect(loadTracingConfig(ON)).toEqual({
      endpoint: 'http://alloy.monitoring.svc.cluster.local:4318',
      samplingRatio: 1,
      serviceName: 'order',
      serviceVersion: '0.0.0-dev',
      track: 'stable',
      environment: 'local',
    });
    expect(
      loadTracingConfig({
        ...ON,
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
        SERVICE_VERSION: '1.2.3',
        TRACK: 'canary',
        ENVIRONMENT: 'prod',
      }),
    ).toMatchObject({ samplingRatio: 0.25, serviceVersion: '1.2.3', track: 'canary', environment: 'prod' });
    expect(loadTracingConfig({ ...ON, OTEL_TRACES_SAMPLER_ARG: '0' })?.samplingRatio).toBe(0);
    expect(loadTracingConfig({ ...ON, OTEL_TRACES_SAMPLER_ARG: '1.0' })?.samplingRatio).toBe(1);
  });

  it.each(['1.5', '-0.1', 'abc', '10%', '1e-1'])(
    'refuses OTEL_TRACES_SAMPLER_ARG=%s, naming it and what is allowed',
    (value) => {
      expect(problemsOf(() => loadTracingConfig({ ...ON, OTEL_TRACES_SAMPLER_ARG: value }))).toEqual([
        `OTEL_TRACES_SAMPLER_ARG must be a number in [0, 1] (the share of new traces sampled, e.g. 0.1) (got ${JSON.stringify(value)})`,
      ]);
    },
  );

  it('checks the sampling variables even with tracing off', () => {
    expect(problemsOf(() => loadTracingConfig({ OTEL_TRACES_SAMPLER_ARG: '2' }))).toHaveLength(1);
  });

  it('refuses another sampler, a bad endpoint and (with tracing on) a bad service identity, all at once', () => {
    const problems = problemsOf(() =>
      loadTracingConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'alloy:4318', OTEL_TRACES_SAMPLER: 'always_off' }),
    );
    expect(problems).toEqual([
      'OTEL_TRACES_SAMPLER must be parentbased_traceidratio (the only sampler the services use; or leave it unset) (got "always_off")',
      'OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL of the OTLP/HTTP receiver, e.g. http://alloy.monitoring.svc.cluster.local:4318 (got "alloy:4318")',
    ]);
    expect(
      problemsOf(() => loadTracingConfig({ ...ON, SERVICE_NAME: undefined, ENVIRONMENT: 'PROD' })),
    ).toEqual([
      'SERVICE_NAME is required (a lowercase name of a-z, 0-9 and "-" (max 63))',
      'ENVIRONMENT must be a lowercase name of a-z, 0-9 and "-" (max 20) (got "PROD")',
    ]);
  });
});

describe('tracing off', () => {
  it('starts no SDK: the global tracer provider stays the no-op one', async () => {
    const tracing = startTracing(loadTracingConfig({ SERVICE_NAME: 'order' }));
    expect(tracing.enabled).toBe(false);
    // This jest process has no endpoint either, so loading @platform/common started nothing.
    expect(tracingStartup()).toEqual({ tracing: expect.objectContaining({ enabled: false }) });
    const span = trace.getTracer('test').startSpan('GET /api/orders');
    expect(span.isRecording()).toBe(false);
    expect(span.spanContext()).toMatchObject({ traceId: INVALID_TRACEID, spanId: INVALID_SPANID });
    span.end();
    await expect(tracing.shutdown()).resolves.toBeUndefined();
  });
});
