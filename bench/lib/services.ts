/**
 * The platform's services as benchmark subjects: compiled once per run (the same entry the tracing
 * end-to-end test uses: @platform/common first, then runService with the service's build, on 127.0.0.1),
 * started like their image starts them (NODE_ENV=production, info logs to a file).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { signAccessToken, type Role } from '../../services/common/src/jwt';
import { compileEntry, repositoryDir } from '../../services/common/src/testing/child-services';
import type { CompiledEntry } from '../../services/common/src/testing/child-services';
import { freePort } from '../../services/common/src/testing/free-port';
import { startNode, waitForHttp, type BenchProcess } from './processes';

export const BENCH_JWT = { secret: 'bench-access-token-key-of-at-least-32-bytes', issuer: 'platform-bench' };

export type { CompiledEntry };

export function compileServices(): CompiledEntry {
  return compileEntry(join(repositoryDir, 'services', 'order', 'src', 'traced-service-process.fixture.ts'));
}

export interface ServiceStart {
  readonly compiled: CompiledEntry;
  readonly service: 'user' | 'product' | 'order';
  /** Name of the process and its log file (default: the service). */
  readonly name?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly logDir: string;
  readonly cpu?: number;
  readonly nodeFlags?: readonly string[];
}

/** Starts a service and waits until /ready answers 200. */
export async function startService(start: ServiceStart): Promise<BenchProcess> {
  const proc = startNode({
    name: start.name ?? start.service,
    args: [start.compiled.entry, start.service],
    port: await freePort(),
    logDir: start.logDir,
    env: {
      NODE_PATH: join(repositoryDir, 'node_modules'),
      NODE_ENV: 'production',
      SERVICE_NAME: start.service,
      JWT_SECRET: BENCH_JWT.secret,
      JWT_ISSUER: BENCH_JWT.issuer,
      ...start.env,
    },
    ...(start.cpu !== undefined && { cpu: start.cpu }),
    ...(start.nodeFlags !== undefined && { nodeFlags: start.nodeFlags }),
  });
  await waitForHttp(proc);
  return proc;
}

/** An access token with `roles`, valid for 30 minutes. */
export function benchToken(roles: readonly Role[], sub: string = randomUUID()): string {
  return signAccessToken(
    { sub, email: `${sub}@bench.example.com`, roles: [...roles] },
    { ...BENCH_JWT, ttlSeconds: 1800 },
  );
}

export interface BenchProduct {
  readonly id: string;
  readonly json: string;
}

/** Creates a product through the API (as a catalog manager) and returns it as the service answers it. */
export async function createProduct(
  productUrl: string,
  stock = 1_000_000,
  sku = 'BENCH-1',
): Promise<BenchProduct> {
  const res = await fetch(`${productUrl}/api/products`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${benchToken(['catalog-manager'])}`,
    },
    body: JSON.stringify({
      sku,
      name: 'Bench product',
      price: 1999,
      currency: 'EUR',
      category: 'tools',
      stock,
    }),
  });
  if (res.status !== 201) throw new Error(`creating a product answered ${res.status}: ${await res.text()}`);
  const { id } = (await res.json()) as { id: string };
  const read = await fetch(`${productUrl}/api/products/${id}`);
  if (read.status !== 200) throw new Error(`reading product ${id} answered ${read.status}`);
  return { id, json: await read.text() };
}
