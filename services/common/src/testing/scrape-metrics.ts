import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServiceApp } from '../app';

/**
 * GET /metrics of `service` as Prometheus would scrape it, over HTTP on a free loopback port that is
 * closed again afterwards. The service itself is left as it was (not shutting down, hooks not run), so it
 * can be scraped again, e.g. before and after a store fails.
 */
export async function scrapeMetrics(service: Pick<ServiceApp, 'app'>): Promise<string> {
  const server = createServer(service.app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  try {
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { connection: 'close' } });
    if (res.status !== 200) throw new Error(`GET /metrics answered ${res.status}`);
    return await res.text();
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
