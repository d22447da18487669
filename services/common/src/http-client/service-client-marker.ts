/**
 * How the tracing setup recognises service-to-service requests without loading node:http before the
 * instrumentations (this module imports nothing): their agents carry this property. HttpServiceClient
 * makes their CLIENT span itself, so the http instrumentation must not add a second one.
 */
export const SERVICE_CLIENT_MARKER = 'platformServiceClient';

export function isServiceClientRequest(options: { readonly agent?: unknown }): boolean {
  const agent = options.agent as Record<string, unknown> | undefined | null | false;
  return typeof agent === 'object' && agent !== null && agent[SERVICE_CLIENT_MARKER] === true;
}
