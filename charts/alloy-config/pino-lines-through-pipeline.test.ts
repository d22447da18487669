import { Writable } from 'node:stream';
import pino from 'pino';
import type { RunningService } from '@platform/common';
import { createLogger, start } from '@platform/common';
import { loadProductConfig } from '../../services/product/src/product-config';
import { buildProductService } from '../../services/product/src/service';
import { IN_PROCESS_ENV } from '../../test/support/in-process-services';
import { ALLOY_LOG_LABELS } from './alloy-config-props';
import type { Labels } from './log-pipeline-emulator';
import { LogPipelineEmulator } from './log-pipeline-emulator';
import { renderAlloyConfig } from './render-alloy-config';

/**
 * Real lines: the product service as main.ts builds it (in-memory adapters), its logger from createLogger
 * writing into memory, real HTTP requests on loopback; then each line through the rendered config's relabel
 * rules and loki.process stages.
 */

class Capture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _: BufferEncoding, done: () => void): void {
    this.lines.push(
      ...chunk
        .toString('utf8')
        .split('\n')
        .filter((l) => l !== ''),
    );
    done();
  }
}

const emulator = new LogPipelineEmulator(renderAlloyConfig({ namespaces: ['apps', 'data'] }));

const productPod: Record<string, string> = {
  __address__: '10.0.1.5:8080',
  __meta_kubernetes_namespace: 'apps',
  __meta_kubernetes_pod_name: 'product-5c7d9f8b4-q7w2e',
  __meta_kubernetes_pod_container_name: 'product',
  __meta_kubernetes_pod_label_app_kubernetes_io_name: 'product',
  __meta_kubernetes_pod_label_platform_io_track: 'stable',
};

function targetLabels(): Labels {
  const labels = emulator.targetLabels(productPod);
  if (!labels) throw new Error('the product pod was not kept');
  return labels;
}

function accessLine(lines: readonly string[], path: string, status: number): string {
  const line = lines.find((l) => {
    const parsed = JSON.parse(l) as { path?: string; status?: number; msg?: string };
    return parsed.path === path && parsed.status === status && parsed.msg === 'request completed';
  });
  if (!line) throw new Error(`no access line for ${path} ${status} in:\n${lines.join('\n')}`);
  return line;
}

describe('pino lines of a real service through the rendered pipeline', () => {
  const capture = new Capture();
  let running: RunningService | undefined;
  let lines: string[] = [];
  const requestId = 'alloy-test-req-42';

  beforeAll(async () => {
    // debug, so the probe lines the services log quietly are written at all and the drop rule has work to do.
    const config = loadProductConfig({ ...IN_PROCESS_ENV, LOG_LEVEL: 'debug' });
    const { service } = await buildProductService(config, createLogger(config, capture));
    running = await start(service, { port: 0, host: '127.0.0.1' });
    expect(
      (await fetch(`${running.url}/api/products?page=1`, { headers: { 'x-request-id': requestId } })).status,
    ).toBe(200);
    expect((await fetch(`${running.url}/health`)).status).toBe(200);
    expect((await fetch(`${running.url}/metrics`)).status).toBe(200);
    service.beginShutdown();
    expect((await fetch(`${running.url}/ready`)).status).toBe(503);
    await running.shutdown('test done');
    running = undefined;
    lines = [...capture.lines];
  });

  afterAll(async () => {
    await running?.shutdown('test failed');
  });

  it('a /api/products request: level info as the only added label, its request id as structured metadata', () => {
    const line = accessLine(lines, '/api/products', 200);
    const out = emulator.process(targetLabels(), line);
    expect(out.dropped).toBe(false);
    expect(out.labels).toEqual({
      namespace: 'apps',
      app: 'product',
      track: 'stable',
      container: 'product',
      level: 'info',
    });
    expect(Object.keys(out.labels).sort()).toEqual([...ALLOY_LOG_LABELS].sort());
    expect(out.structuredMetadata).toEqual({ request_id: requestId, pod: 'product-5c7d9f8b4-q7w2e' });
    // The line itself reaches Loki unchanged, for `| json` in queries.
    expect(out.line).toBe(line);
  });

  it('drops the successful /health and /metrics lines', () => {
    for (const path of ['/health', '/metrics']) {
      const out = emulator.process(targetLabels(), accessLine(lines, path, 200));
      expect(out.dropped).toBe(true);
    }
  });

  it('keeps a failing probe (503 /ready while shutting down), which the service logs at info', () => {
    const out = emulator.process(targetLabels(), accessLine(lines, '/ready', 503));
    expect(out.dropped).toBe(false);
    expect(out.labels.level).toBe('info');
  });

  it('keeps every non-request line, each with a level from the closed set', () => {
    const others = lines.filter((l) => (JSON.parse(l) as { path?: string }).path === undefined);
    expect(others.length).toBeGreaterThan(0);
    for (const line of others) {
      const out = emulator.process(targetLabels(), line);
      expect(out.dropped).toBe(false);
      expect(out.labels.level).toBe((JSON.parse(line) as { level: string }).level);
    }
  });

  it('puts trace_id and span_id (the keys the OpenTelemetry pino instrumentation adds) into structured metadata', () => {
    const own = new Capture();
    const config = loadProductConfig({ ...IN_PROCESS_ENV, LOG_LEVEL: 'info' });
    createLogger(config, own)
      .child({
        requestId,
        trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
        span_id: '00f067aa0ba902b7',
        trace_flags: '01',
      })
      .warn('upstream slow');
    const [line] = own.lines;
    if (!line) throw new Error('no line written');
    const out = emulator.process(targetLabels(), line);
    expect(out.labels.level).toBe('warn');
    expect(out.structuredMetadata).toEqual({
      trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
      span_id: '00f067aa0ba902b7',
      request_id: requestId,
      pod: 'product-5c7d9f8b4-q7w2e',
    });
  });

  it("maps pino numeric levels (a logger without the services' formatter) to names", () => {
    const own = new Capture();
    const plain = pino({ level: 'trace' }, own);
    plain.trace('t');
    plain.debug('d');
    plain.info('i');
    plain.warn('w');
    plain.error('e');
    plain.fatal('f');
    expect(own.lines.map((l) => (JSON.parse(l) as { level: number }).level)).toEqual([
      10, 20, 30, 40, 50, 60,
    ]);
    expect(own.lines.map((l) => emulator.process(targetLabels(), l).labels.level)).toEqual([
      'trace',
      'debug',
      'info',
      'warn',
      'error',
      'fatal',
    ]);
  });

  it('labels anything else unknown, so the level label stays a closed set', () => {
    for (const line of [
      'panic: runtime error',
      '{"level":"verbose","msg":"x"}',
      '{"level":35}',
      '{"msg":"no level"}',
    ]) {
      expect(emulator.process(targetLabels(), line).labels.level).toBe('unknown');
    }
  });
});
