import { Agent, get } from 'node:http';
import type { ServerResponse } from 'node:http';
import { Router } from 'express';
import { createApp } from './app';
import { loadConfig } from './config';
import { createLogger } from './logger';
import type { CloseHook, RunningService } from './server';
import { handleSignals, start } from './server';

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
}

function deferred(): Deferred {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** A service with `/slow`, which answers only when the test releases it, so timing is deterministic. */
async function startSlowService(
  options: { graceMs?: number; closeHooks?: CloseHook[]; idleDrainMs?: number } = {},
) {
  const arrived = deferred();
  const release = deferred();
  const config = loadConfig({ env: { SERVICE_NAME: 'slow', LOG_LEVEL: 'silent' } });
  const logger = createLogger(config);
  const service = createApp({
    config,
    logger,
    routes: () =>
      Router().get('/slow', async (_req, res) => {
        arrived.resolve();
        await release.promise;
        res.json({ finished: true });
      }),
  });
  const running = await start(service, { port: 0, host: '127.0.0.1', graceMs: 5000, ...options });
  return { service, running, arrived, release };
}

async function connectionRefused(url: string): Promise<boolean> {
  try {
    await fetch(url);
    return false;
  } catch (err) {
    return (err as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED';
  }
}

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function track(running: RunningService): RunningService {
  cleanups.push(() => running.shutdown('test done'));
  return running;
}

describe('graceful shutdown', () => {
  it('finishes the in-flight request, refuses new connections, then resolves 0', async () => {
    const { service, running, arrived, release } = await startSlowService();
    track(running);
    const inFlight = fetch(`${running.url}/slow`);
    await arrived.promise;

    const stopped = running.shutdown('test');
    expect(service.isShuttingDown()).toBe(true);
    expect(await connectionRefused(`${running.url}/health`)).toBe(true);

    release.resolve();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(res.headers.get('connection')).toBe('close');
    expect(await res.json()).toEqual({ finished: true });
    expect(await stopped).toBe(0);
    expect(running.server.listening).toBe(false);
  });

  it('answers a request sent on an idle keep-alive connection just after shutdown began, then closes it', async () => {
    const { running } = await startSlowService({ idleDrainMs: 500 });
    track(running);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const call = () =>
      new Promise<{ status: number; connection: string | undefined; port: number | undefined }>(
        (resolve, reject) => {
          get(`${running.url}/health`, { agent }, (res) => {
            const port = res.socket.localPort;
            res.resume();
            res.once('end', () =>
              resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, port }),
            );
          }).once('error', reject);
        },
      );
    const first = await call();
    expect(first.connection).toBe('keep-alive');
    const stopped = running.shutdown('test');
    // The pooled connection is idle: before this change it was closed at once and this request was reset.
    const second = await call();
    expect({
      status: second.status,
      connection: second.connection,
      sameSocket: second.port === first.port,
    }).toEqual({
      status: 200,
      connection: 'close',
      sameSocket: true,
    });
    expect(await stopped).toBe(0);
    agent.destroy();
  });

  it('runs close hooks in order only after the last request finished', async () => {
    const events: string[] = [];
    const hook = (name: string): CloseHook => ({
      name,
      close: async () => void events.push(`close ${name}`),
    });
    const { running, arrived, release } = await startSlowService({
      closeHooks: [hook('db'), hook('broker')],
    });
    track(running);
    running.server.on('request', (_req, res: ServerResponse) =>
      res.on('finish', () => events.push('response sent')),
    );
    const inFlight = fetch(`${running.url}/slow`);
    await arrived.promise;
    const stopped = running.shutdown();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events).toEqual([]);
    release.resolve();
    expect((await inFlight).status).toBe(200);
    expect(await stopped).toBe(0);
    expect(events).toEqual(['response sent', 'close db', 'close broker']);
  });

  it('resolves 1 when a close hook fails, after still running the others', async () => {
    const closed: string[] = [];
    const { running } = await startSlowService({
      closeHooks: [
        { name: 'bad', close: () => Promise.reject(new Error('socket hang up')) },
        { name: 'good', close: async () => void closed.push('good') },
      ],
    });
    expect(await running.shutdown()).toBe(1);
    expect(closed).toEqual(['good']);
  });

  it('force-closes a request still running when the grace period ends and resolves 1', async () => {
    const { running, arrived, release } = await startSlowService({ graceMs: 200 });
    cleanups.push(release.resolve);
    const inFlight = fetch(`${running.url}/slow`).then(
      () => 'answered',
      () => 'connection closed',
    );
    await arrived.promise;
    const began = Date.now();
    expect(await running.shutdown()).toBe(1);
    expect(Date.now() - began).toBeGreaterThanOrEqual(190);
    expect(Date.now() - began).toBeLessThan(1000);
    expect(await inFlight).toBe('connection closed');
  });

  it('is idempotent: repeated calls share one shutdown', async () => {
    const { running } = await startSlowService();
    const first = running.shutdown('a');
    expect(running.shutdown('b')).toBe(first);
    expect(await first).toBe(0);
  });
});

describe('handleSignals', () => {
  it('on SIGTERM drains the in-flight request before exiting with 0', async () => {
    const { running, arrived, release } = await startSlowService();
    track(running);
    const exits: number[] = [];
    const exited = deferred();
    const remove = handleSignals(running, {
      exit: (code) => {
        exits.push(code);
        exited.resolve();
      },
    });
    cleanups.push(remove);

    const inFlight = fetch(`${running.url}/slow`);
    await arrived.promise;
    process.emit('SIGTERM', 'SIGTERM');
    expect(await connectionRefused(`${running.url}/health`)).toBe(true);
    expect(exits).toEqual([]);

    release.resolve();
    expect((await inFlight).status).toBe(200);
    await exited.promise;
    expect(exits).toEqual([0]);
  });

  it('exits at once with 1 on a second signal', async () => {
    const { running, arrived, release } = await startSlowService();
    cleanups.push(release.resolve);
    track(running);
    const exits: number[] = [];
    cleanups.push(handleSignals(running, { exit: (code) => exits.push(code) }));
    void fetch(`${running.url}/slow`).catch(() => undefined);
    await arrived.promise;
    process.emit('SIGINT', 'SIGINT');
    process.emit('SIGINT', 'SIGINT');
    expect(exits).toEqual([1]);
  });

  it('removes its handlers when asked', () => {
    const before = process.listenerCount('SIGTERM');
    const remove = handleSignals({ shutdown: () => Promise.resolve(0) }, { exit: () => undefined });
    expect(process.listenerCount('SIGTERM')).toBe(before + 1);
    remove();
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });
});

describe('start', () => {
  it('rejects when the port is taken', async () => {
    const { running } = await startSlowService();
    track(running);
    const config = loadConfig({ env: { SERVICE_NAME: 'twin', LOG_LEVEL: 'silent' } });
    const twin = createApp({ config, logger: createLogger(config) });
    await expect(start(twin, { port: running.port, host: '127.0.0.1' })).rejects.toThrow(/EADDRINUSE/);
  });
});
