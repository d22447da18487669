/**
 * The product service as its main.ts builds it (in-memory adapters when STORAGE/EVENTS/CACHE are unset),
 * listening on 127.0.0.1, with a fault injector in front of the real app for the analysis test:
 * - FAULT_RATIO (0..1): that share of API requests is answered 503 (every 1/ratio-th, deterministic);
 * - SLOW_RATIO (0..1) and SLOW_MS: that share of API requests ends SLOW_MS later.
 * The app itself runs unchanged: the injector only rewrites the status the app writes and holds back the
 * end of the response, so the app's own metrics middleware records the 503s and the latency, exactly as
 * it would record a real fault. Probes and /metrics are never touched. `node <compiled> product`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import type { BuiltService } from '@platform/common';
import { createLogger, runService } from '@platform/common';
import { loadProductConfig } from '../../services/product/src/product-config';
import { buildProductService } from '../../services/product/src/service';

const PLATFORM_PATHS = new Set(['/health', '/ready', '/metrics']);

function ratio(name: string): number {
  const value = Number(process.env[name] ?? '0');
  if (!(value >= 0 && value <= 1))
    throw new Error(`${name} must be a number in [0, 1] (got ${process.env[name]})`);
  return value;
}

/** True for exactly round(n * share) of the first n calls, spread evenly. */
function every(share: number): () => boolean {
  let n = 0;
  return () => {
    n++;
    return Math.floor(n * share) > Math.floor((n - 1) * share);
  };
}

function injector(): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  const fault = every(ratio('FAULT_RATIO'));
  const slow = every(ratio('SLOW_RATIO'));
  const slowMs = Number(process.env.SLOW_MS ?? '0');
  return (req, res, next) => {
    if (PLATFORM_PATHS.has((req.url ?? '').split('?')[0] ?? '')) {
      next();
      return;
    }
    if (fault()) {
      const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
      res.writeHead = ((_status: number, ...rest: unknown[]) => {
        res.setHeader('x-injected-fault', '503');
        return writeHead(503, ...rest);
      }) as typeof res.writeHead;
    }
    if (slow() && slowMs > 0) {
      const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
      res.end = ((...args: unknown[]) => {
        setTimeout(() => end(...args), slowMs);
        return res;
      }) as typeof res.end;
    }
    next();
  };
}

async function build(): Promise<BuiltService> {
  const config = loadProductConfig();
  const built = await buildProductService(config, createLogger(config));
  const front = express();
  front.disable('x-powered-by');
  front.use(injector());
  front.use(built.service.app);
  return { ...built, service: { ...built.service, app: front } };
}

runService('product', build, { host: '127.0.0.1' });
