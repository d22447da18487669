import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { SERVICE_CLIENT_MARKER } from './service-client-marker';

/** One request as HttpServiceClient sends it. */
export interface TransportRequest {
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Covers the whole exchange, body included; the transport rejects with its reason. */
  readonly signal: AbortSignal;
}

/** The answer: the status and, below 500, the body as text (5xx bodies are never read). */
export interface TransportResponse {
  readonly status: number;
  readonly text: string;
}

export type Transport = (url: string, request: TransportRequest) => Promise<TransportResponse>;

// The agents of service-to-service calls: keep-alive pools, so a call reuses a warm connection; marked so
// the tracing setup can tell these requests apart (see service-client-marker.ts).
const AGENT_OPTIONS = { keepAlive: true, maxSockets: 256, scheduling: 'lifo' } as const;
const httpAgent = Object.assign(new HttpAgent(AGENT_OPTIONS), { [SERVICE_CLIENT_MARKER]: true });
const httpsAgent = Object.assign(new HttpsAgent(AGENT_OPTIONS), { [SERVICE_CLIENT_MARKER]: true });

/**
 * The default transport: node:http(s) with keep-alive agents. The global fetch (undici, with its web
 * streams and Response objects) cost about twice the CPU per call (issue 17's order-path profile).
 */
export const httpTransport: Transport = (url, request) => {
  const { signal } = request;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  const https = url.startsWith('https:');
  const { body } = request;
  return new Promise<TransportResponse>((resolve, reject) => {
    let settled = false;
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      reject(signal.aborted ? (signal.reason as Error) : err instanceof Error ? err : new Error(String(err)));
    };
    const req = (https ? httpsRequest : httpRequest)(
      url,
      {
        method: request.method,
        headers:
          body === undefined
            ? request.headers
            : { ...request.headers, 'content-length': String(Buffer.byteLength(body)) },
        agent: https ? httpsAgent : httpAgent,
        signal,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        // 5xx bodies may hold stack traces or internals: drained, never kept.
        if (status >= 500) res.resume();
        else res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('error', fail);
        res.once('aborted', () => fail(new Error('response aborted')));
        res.once('end', () => {
          if (settled) return;
          settled = true;
          resolve({ status, text: Buffer.concat(chunks).toString('utf8') });
        });
      },
    );
    req.once('error', fail);
    req.end(body);
  });
};

/** A transport over a fetch function (tests inject one). */
export function fetchTransport(fetchImpl: typeof fetch): Transport {
  return async (url, request) => {
    const response = await fetchImpl(url, {
      method: request.method,
      headers: request.headers,
      signal: request.signal,
      ...(request.body !== undefined && { body: request.body }),
    });
    const { status } = response;
    if (status >= 500) {
      // Never read: 5xx bodies may hold stack traces or internals. Cancelling frees the connection.
      await response.body?.cancel().catch(() => undefined);
      return { status, text: '' };
    }
    return { status, text: await response.text() };
  };
}
