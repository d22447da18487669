import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { Router } from 'express';
import { createApp } from './app';
import { loadConfig } from './config';
import { createLogger } from './logger';
import type { RunningService } from './server';
import { handleSignals, start } from './server';

const CONCURRENT = 20;
const WORK_MS = 300;
const GRACE_MS = 3000;

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function deferred<T = void>() {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

async function connectionRefused(url: string): Promise<boolean> {
  try {
    await fetch(url);
    return false;
  } catch (err) {
    return (err as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED';
  }
}

/**
 * A raw connection that has sent part of a request (a probe whose request is on the wire when the
 * signal arrives); `finish` sends the rest and resolves with the raw response once the server closed.
 */
async function startPartialRequest(port: number, path: string) {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  let raw = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (raw += chunk));
  const closed = once(socket, 'close');
  cleanups.push(() => socket.destroy());
  socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n`);
  return {
    finish: async (): Promise<string> => {
      socket.write('\r\n');
      await closed;
      return raw;
    },
  };
}

/** A service whose /work takes WORK_MS; `allArrived` resolves once CONCURRENT requests are being worked on. */
async function startBusyService() {
  const allArrived = deferred();
  let arrived = 0;
  const config = loadConfig({ env: { SERVICE_NAME: 'busy', LOG_LEVEL: 'silent' } });
  const service = createApp({
    config,
    logger: createLogger(config),
    routes: () =>
      Router().get('/work/:n', async (req, res) => {
        arrived += 1;
        if (arrived === CONCURRENT) allArrived.resolve();
        await sleep(WORK_MS);
        res.json({ n: req.params.n, done: true });
      }),
  });
  const running = await start(service, { port: 0, host: '127.0.0.1', idleDrainMs: 0, graceMs: GRACE_MS });
  cleanups.push(() => running.shutdown('test done'));
  return { service, running, allArrived: allArrived.promise };
}

function fireConcurrent(running: RunningService) {
  return Array.from({ length: CONCURRENT }, async (_, n) => {
    const res = await fetch(`${running.url}/work/${n}`);
    return {
      status: res.status,
      connection: res.headers.get('connection'),
      body: (await res.json()) as unknown,
    };
  });
}

describe('graceful shutdown under load', () => {
  it('on SIGTERM answers every in-flight request, is not ready while draining, refuses new connections and exits 0 within the grace period', async () => {
    const { service, running, allArrived } = await startBusyService();
    const probe = await startPartialRequest(running.port, '/ready');
    const responses = fireConcurrent(running);
    await allArrived;

    const exited = deferred<{ code: number; afterMs: number }>();
    const signalledAt = Date.now();
    cleanups.push(
      handleSignals(running, { exit: (code) => exited.resolve({ code, afterMs: Date.now() - signalledAt }) }),
    );
    process.emit('SIGTERM', 'SIGTERM');

    expect(service.isShuttingDown()).toBe(true);
    expect(await connectionRefused(`${running.url}/health`)).toBe(true);
    const ready = await probe.finish();
    expect(ready).toMatch(/^HTTP\/1\.1 503 /);
    expect(ready).toMatch(/\r\nconnection: close\r\n/i);
    expect(ready).toContain('{"status":"shutting_down"}');

    const answered = await Promise.all(responses);
    expect(answered).toEqual(
      Array.from({ length: CONCURRENT }, (_, n) => ({
        status: 200,
        // Keep-alive clients learn that this connection is going away.
        connection: 'close',
        body: { n: String(n), done: true },
      })),
    );

    const { code, afterMs } = await exited.promise;
    expect(code).toBe(0);
    expect(afterMs).toBeLessThan(GRACE_MS);
    expect(running.server.listening).toBe(false);
    expect(await connectionRefused(`${running.url}/health`)).toBe(true);
  });

  it('exits 1 and cuts what is still running when the grace period is shorter than the work', async () => {
    const config = loadConfig({ env: { SERVICE_NAME: 'stuck', LOG_LEVEL: 'silent' } });
    const arrived = deferred();
    const service = createApp({
      config,
      logger: createLogger(config),
      routes: () =>
        Router().get('/stuck', async (_req, res) => {
          arrived.resolve();
          await sleep(2000);
          if (!res.destroyed) res.json({ late: true });
        }),
    });
    const running = await start(service, { port: 0, host: '127.0.0.1', idleDrainMs: 0, graceMs: 150 });
    cleanups.push(() => running.shutdown('test done'));
    const outcome = fetch(`${running.url}/stuck`).then(
      (res) => res.status,
      () => 'connection closed',
    );
    await arrived.promise;

    const began = Date.now();
    expect(await running.shutdown('SIGTERM')).toBe(1);
    expect(Date.now() - began).toBeLessThan(1000);
    expect(await outcome).toBe('connection closed');
  });

  // Regression: Node's idle-connection close used to destroy sockets whose response was ended but still
  // being flushed to a slow reader, so large responses in flight at SIGTERM arrived truncated.
  it('delivers a large response that is still being flushed when the shutdown begins', async () => {
    const size = 16 * 1024 * 1024;
    const ended = deferred();
    const config = loadConfig({ env: { SERVICE_NAME: 'export', LOG_LEVEL: 'silent' } });
    const service = createApp({
      config,
      logger: createLogger(config),
      routes: () =>
        Router().get('/export', (_req, res) => {
          res.type('text/plain').send('x'.repeat(size));
          ended.resolve();
        }),
    });
    const running = await start(service, { port: 0, host: '127.0.0.1', idleDrainMs: 0, graceMs: GRACE_MS });
    cleanups.push(() => running.shutdown('test done'));

    // A slow reader: nothing is read until the shutdown has begun.
    const socket = connect(running.port, '127.0.0.1');
    cleanups.push(() => socket.destroy());
    await once(socket, 'connect');
    socket.pause();
    socket.write('GET /export HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await ended.promise;
    await sleep(50);

    const stopped = running.shutdown('SIGTERM');
    let received = 0;
    socket.on('data', (chunk: Buffer) => (received += chunk.length));
    socket.resume();
    await once(socket, 'close');
    await stopped;
    expect(received).toBeGreaterThan(size);
  });
});

// The real thing: a separate process, a real SIGTERM, a real process.exit. The child loads the TypeScript
// sources through the compiler the repository already has, so it runs exactly this code.
const CHILD = `
const fs = require('node:fs');
const ts = require(process.env.TS_PATH);
require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  module._compile(outputText, filename);
};
const { Router } = require('express');
const { createApp } = require(process.env.SRC + '/app.ts');
const { loadConfig } = require(process.env.SRC + '/config.ts');
const { createLogger } = require(process.env.SRC + '/logger.ts');
const { handleSignals, start } = require(process.env.SRC + '/server.ts');
const config = loadConfig({ env: { SERVICE_NAME: 'child', LOG_LEVEL: 'info', SHUTDOWN_GRACE_MS: process.env.GRACE_MS } });
const logger = createLogger(config);
const service = createApp({
  config,
  logger,
  routes: () =>
    Router().get('/work/:n', async (req, res) => {
      logger.info('work started');
      await new Promise((resolve) => setTimeout(resolve, Number(process.env.WORK_MS)));
      res.json({ n: req.params.n, done: true });
    }),
});
start(service, { host: '127.0.0.1', port: 0 }).then((running) => {
  handleSignals(running);
  logger.info({ port: running.port }, 'signals handled');
});
`;

describe('graceful shutdown of a real process', () => {
  it('on a real SIGTERM answers every in-flight request, then the process exits 0 within the grace period', async () => {
    const child = spawn(process.execPath, ['-e', CHILD], {
      cwd: join(__dirname, '..', '..', '..'),
      env: {
        PATH: process.env.PATH,
        TS_PATH: require.resolve('typescript'),
        SRC: __dirname,
        GRACE_MS: String(GRACE_MS),
        WORK_MS: String(WORK_MS),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exit = new Promise<{ code: number | null; at: number }>((resolve) =>
      child.once('exit', (code) => resolve({ code, at: Date.now() })),
    );
    cleanups.push(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));

    const logs: Array<Record<string, unknown>> = [];
    const ready = deferred<number>();
    const allArrived = deferred();
    createInterface({ input: child.stdout }).on('line', (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      logs.push(entry);
      if (entry.msg === 'signals handled') ready.resolve(entry.port as number);
      if (logs.filter((l) => l.msg === 'work started').length === CONCURRENT) allArrived.resolve();
    });
    const port = await Promise.race([
      ready.promise,
      exit.then(({ code }) => Promise.reject(new Error(`child exited with ${code}: ${stderr}`))),
    ]);
    const url = `http://127.0.0.1:${port}`;

    const responses = Array.from({ length: CONCURRENT }, async (_, n) => {
      const res = await fetch(`${url}/work/${n}`);
      return { status: res.status, body: (await res.json()) as unknown };
    });
    await allArrived.promise;
    const signalledAt = Date.now();
    expect(child.kill('SIGTERM')).toBe(true);

    const answered = await Promise.all(responses);
    expect(answered.map((a) => a.status)).toEqual(Array<number>(CONCURRENT).fill(200));
    const { code, at } = await exit;
    expect(code).toBe(0);
    expect(at - signalledAt).toBeLessThan(GRACE_MS);
    expect(await connectionRefused(`${url}/health`)).toBe(true);
    expect(logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['shutting down', 'shutdown complete']));
    expect(logs.find((l) => l.msg === 'shutting down')).toMatchObject({
      reason: 'SIGTERM',
      inFlight: CONCURRENT,
    });
    expect(stderr).toBe('');
  });
});
