import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A TCP port that was free on `host` a moment ago (the OS picks it); callers retry if they lose a race. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
