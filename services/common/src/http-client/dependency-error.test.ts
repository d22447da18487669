import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Router } from 'express';
import { createApp } from '../app';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { getRequestId } from '../request-context';
import { start } from '../server';
import { DependencyError } from './dependency-error';
import { HttpServiceClient } from './http-service-client';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A users service that fails with a body full of internals, and records the request ids it saw. */
async function startFailingUpstream() {
  const requestIds: Array<string | undefined> = [];
  const server = createServer((req, res) => {
    requestIds.push(req.headers['x-request-id'] as string | undefined);
    res.writeHead(503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'db down', detail: 'mongodb://admin:hunter2@mongo-0:27017' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requestIds };
}

/** An orders service whose route calls the users service and lets DependencyError reach the error handler. */
async function startCaller(usersUrl: string) {
  const config = loadConfig({ env: { SERVICE_NAME: 'orders', LOG_LEVEL: 'silent' } });
  const logger = createLogger(config);
  const users = new HttpServiceClient({
    name: 'users',
    baseUrl: usersUrl,
    retries: 1,
    backoff: { baseMs: 1, capMs: 5 },
    logger,
  });
  const service = createApp({
    config,
    logger,
    routes: () =>
      Router().get('/api/orders/:id/customer', async (req, res) => {
        const answer = await users.request({
          method: 'GET',
          path: `/api/users/${encodeURIComponent(req.params.id)}`,
          requestId: getRequestId(res),
        });
        res.status(answer.status).json(answer.body);
      }),
  });
  const running = await start(service, { port: 0, host: '127.0.0.1', idleDrainMs: 0, closeHooks: [users] });
  cleanups.push(() => running.shutdown('test done'));
  return running;
}

describe('DependencyError through the error handler', () => {
  it('is a 503 HttpError with code dependency_unavailable', () => {
    const err = new DependencyError('users', 'timeout');
    expect(err).toMatchObject({ status: 503, code: 'dependency_unavailable', name: 'DependencyError' });
    expect(err.message).toBe('The users service is unavailable; try again later');
  });

  it('answers 503 dependency_unavailable naming the service, without the upstream URL or body', async () => {
    const upstream = await startFailingUpstream();
    const running = await startCaller(upstream.url);

    const res = await fetch(`${running.url}/api/orders/42/customer`, {
      headers: { 'x-request-id': 'req-upstream-1' },
    });
    const text = await res.text();
    expect(res.status).toBe(503);
    expect(JSON.parse(text)).toEqual({
      error: 'dependency_unavailable',
      message: 'The users service is unavailable; try again later',
      requestId: 'req-upstream-1',
    });
    for (const secret of ['hunter2', 'mongodb', 'db down', '127.0.0.1', new URL(upstream.url).port]) {
      expect(text).not.toContain(secret);
    }
    // The id travelled on, once per attempt, so both services' logs join up.
    expect(upstream.requestIds).toEqual(['req-upstream-1', 'req-upstream-1']);

    expect((await fetch(`${running.url}/health`)).status).toBe(200);
  });

  it('answers 503 when the dependency is not running at all', async () => {
    const gone = await startFailingUpstream();
    await cleanups.pop()?.();
    const running = await startCaller(gone.url);
    const res = await fetch(`${running.url}/api/orders/42/customer`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: 'dependency_unavailable' });
  });
});
