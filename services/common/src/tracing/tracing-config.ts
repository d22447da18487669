import { z } from 'zod';
import type { Env, Track } from '../config';
import { envString, parseEnv, serviceIdentityEnv } from '../config';

/** What the tracing SDK is started with; undefined from loadTracingConfig means tracing is off. */
export interface TracingConfig {
  /** OTLP/HTTP base URL without a trailing slash; spans go to `<endpoint>/v1/traces`. */
  readonly endpoint: string;
  /** Share of new traces sampled, in [0, 1]; a sampled parent is always followed (parent-based). */
  readonly samplingRatio: number;
  readonly serviceName: string;
  readonly serviceVersion: string;
  readonly track: Track;
  /** deployment.environment, e.g. dev, qat, uat, prod. */
  readonly environment: string;
}

const RATIO_ALLOWED = 'a number in [0, 1] (the share of new traces sampled, e.g. 0.1)';

// The standard OTEL_* variables, read with the services' conventions: a bad value is a start failure
// naming the variable, never a silent fallback (the SDK alone would only log a diagnostic and go on).
const samplingShape = {
  OTEL_TRACES_SAMPLER: z
    .enum(['parentbased_traceidratio'], {
      error: 'must be parentbased_traceidratio (the only sampler the services use; or leave it unset)',
    })
    .optional(),
  OTEL_TRACES_SAMPLER_ARG: z
    .string({ error: `must be ${RATIO_ALLOWED}` })
    .regex(/^(\d+(\.\d*)?|\.\d+)$/, { error: `must be ${RATIO_ALLOWED}` })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(0, { error: `must be ${RATIO_ALLOWED}` })
        .max(1, { error: `must be ${RATIO_ALLOWED}` }),
    )
    .default(1),
};

const endpointShape = {
  OTEL_EXPORTER_OTLP_ENDPOINT: envString(
    /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._~/-]*)?$/,
    'an http(s) URL of the OTLP/HTTP receiver, e.g. http://alloy.monitoring.svc.cluster.local:4318',
  ).optional(),
};

const tracedShape = {
  ...serviceIdentityEnv,
  ENVIRONMENT: envString(/^[a-z][a-z0-9-]{0,19}$/, 'a lowercase name of a-z, 0-9 and "-" (max 20)').default(
    'local',
  ),
};

/**
 * Reads the tracing variables: OTEL_EXPORTER_OTLP_ENDPOINT (unset: tracing off, undefined is returned),
 * OTEL_TRACES_SAMPLER_ARG (default 1), OTEL_TRACES_SAMPLER (only parentbased_traceidratio), and, when
 * tracing is on, SERVICE_NAME, SERVICE_VERSION, TRACK and ENVIRONMENT (default `local`) for the resource.
 * The sampling variables are checked even with tracing off, so a typo shows before someone relies on it.
 * Throws ConfigError naming every bad variable.
 */
export function loadTracingConfig(env: Env = process.env): TracingConfig | undefined {
  const base = parseEnv({ ...samplingShape, ...endpointShape }, env);
  if (base.OTEL_EXPORTER_OTLP_ENDPOINT === undefined) return undefined;
  const service = parseEnv(tracedShape, env);
  return {
    endpoint: base.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, ''),
    samplingRatio: base.OTEL_TRACES_SAMPLER_ARG,
    serviceName: service.SERVICE_NAME,
    serviceVersion: service.SERVICE_VERSION,
    track: service.TRACK,
    environment: service.ENVIRONMENT,
  };
}
