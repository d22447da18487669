import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { stringify } from 'yaml';
import { binaryPath } from './binaries';

/** A prometheus.yml as an object; `rule_files` is filled in from `ruleFiles`. */
export type PrometheusConfig = Readonly<Record<string, unknown>>;

export interface PrometheusServerOptions {
  readonly config: PrometheusConfig;
  /** Rule files by file name (e.g. `slo.yaml`): a `{ groups: [...] }` object or YAML text. */
  readonly ruleFiles?: Readonly<Record<string, unknown>>;
  /**
   * How long Prometheus may take to answer 200 on /-/ready.
   * @default 30_000
   */
  readonly readyTimeoutMs?: number;
}

export type Labels = Readonly<Record<string, string>>;

/** One element of an instant vector from /api/v1/query. */
export interface Sample {
  readonly metric: Labels;
  readonly value: number;
}

/** One alert from /api/v1/alerts. */
export interface ActiveAlert {
  readonly labels: Labels;
  readonly annotations: Labels;
  readonly state: 'pending' | 'firing';
  readonly activeAt: string;
  readonly value: string;
}

/** One active target from /api/v1/targets. */
export interface ScrapeTarget {
  readonly scrapePool: string;
  readonly scrapeUrl: string;
  readonly labels: Labels;
  readonly discoveredLabels: Labels;
  readonly health: 'up' | 'down' | 'unknown';
  readonly lastError: string;
  readonly lastScrape: string;
}

export interface WaitOptions {
  readonly timeoutMs: number;
  /** @default 1000 */
  readonly intervalMs?: number;
  /** What is awaited, for the timeout error. */
  readonly what: string;
}

export interface PrometheusServer {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly pid: number;
  /** Temporary directory holding prometheus.yml, the rule files and the TSDB; removed by stop(). */
  readonly dir: string;
  /** Instant query; vector results only (scalars come back as one sample without labels). */
  query(expr: string): Promise<Sample[]>;
  /** Alerts that are pending or firing now. */
  alerts(): Promise<ActiveAlert[]>;
  /** Active scrape targets. */
  targets(): Promise<ScrapeTarget[]>;
  /**
   * Polls `probe` until it returns something other than undefined/false, and returns that. Fails at once
   * when Prometheus exits, and after `timeoutMs` with the last probe error, if any.
   */
  waitFor<T>(probe: () => Promise<T | undefined | false>, options: WaitOptions): Promise<T>;
  /** The tail of Prometheus's log (stderr). */
  logs(): string;
  /** Stops the process it started (SIGTERM, then SIGKILL after 10 s) and removes `dir`. */
  stop(): Promise<void>;
}

const LOG_LIMIT = 64 * 1024;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0, exclusive: true }, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

interface ApiAnswer<T> {
  readonly status: 'success' | 'error';
  readonly data?: T;
  readonly error?: string;
}

/**
 * Starts a real Prometheus (Debian's 2.42) on a free loopback port with the given configuration and rule
 * files, in a temporary directory, and resolves once /-/ready answers 200. A bad configuration fails here with
 * Prometheus's own error message. Stop it with stop(), always (afterAll).
 */
export async function startPrometheus(options: PrometheusServerOptions): Promise<PrometheusServer> {
  const binary = binaryPath('prometheus');
  const dir = mkdtempSync(join(tmpdir(), 'prometheus-'));
  try {
    const rulesDir = join(dir, 'rules');
    mkdirSync(rulesDir);
    const ruleFiles = Object.entries(options.ruleFiles ?? {}).map(([name, content]) => {
      if (!/^[A-Za-z0-9._-]+\.ya?ml$/.test(name)) {
        throw new Error(`rule file name must be a plain *.yaml name (got ${JSON.stringify(name)})`);
      }
      const path = join(rulesDir, name);
      writeFileSync(path, typeof content === 'string' ? content : stringify(content, { lineWidth: 0 }));
      return path;
    });
    const configPath = join(dir, 'prometheus.yml');
    writeFileSync(configPath, stringify({ ...options.config, rule_files: ruleFiles }, { lineWidth: 0 }));
    // A port picked a moment ago can be taken meanwhile; Prometheus then exits at once and we try another.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      try {
        return await launch(binary, dir, configPath, port, options.readyTimeoutMs ?? 30_000);
      } catch (err) {
        if (attempt >= 3 || !(err instanceof Error) || !/address already in use/.test(err.message)) throw err;
      }
    }
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

async function launch(
  binary: string,
  dir: string,
  configPath: string,
  port: number,
  readyTimeoutMs: number,
): Promise<PrometheusServer> {
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    binary,
    [
      `--config.file=${configPath}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // Only the API is used: no consoles, a short retention, quiet logs.
      '--storage.tsdb.retention.time=2h',
      '--web.console.templates=',
      '--web.console.libraries=',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    log = (log + chunk).slice(-LOG_LIMIT);
  });
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const spawnError = new Promise<Error>((resolve) => child.once('error', resolve));
  let failure: Error | undefined;
  void spawnError.then((err) => {
    failure = err;
  });

  const died = (): Error =>
    failure ??
    new Error(
      `prometheus exited (code ${child.exitCode}, signal ${child.signalCode}):\n${log.trim() || '(no output)'}`,
    );

  // Only ever the child this call started, by its own handle (its PID).
  const kill = async (): Promise<void> => {
    if (exited(child) || child.pid === undefined) return;
    child.kill('SIGTERM');
    const timer = new AbortController();
    const gone = await Promise.race([
      exit.then(() => true),
      delay(10_000, false, { signal: timer.signal }).catch(() => true),
    ]);
    timer.abort();
    if (!gone) {
      child.kill('SIGKILL');
      await exit;
    }
  };
  const stop = async (): Promise<void> => {
    await kill();
    rmSync(dir, { recursive: true, force: true });
  };

  const api = async <T>(path: string): Promise<T> => {
    if (exited(child) || failure) throw died();
    const response = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(10_000) });
    const body = (await response.json()) as ApiAnswer<T>;
    if (body.status !== 'success' || body.data === undefined) {
      throw new Error(`prometheus ${path} answered ${response.status}: ${body.error ?? 'no data'}`);
    }
    return body.data;
  };

  const waitFor = async <T>(
    probe: () => Promise<T | undefined | false>,
    { timeoutMs, intervalMs = 1000, what }: WaitOptions,
  ): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    let lastError: unknown;
    for (;;) {
      if (exited(child) || failure) throw died();
      try {
        const value = await probe();
        if (value !== undefined && value !== false) return value;
        lastError = undefined;
      } catch (err) {
        lastError = err;
      }
      if (Date.now() >= deadline) {
        const cause = lastError instanceof Error ? `: last error: ${lastError.message}` : '';
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
      }
      await delay(intervalMs);
    }
  };

  const server: PrometheusServer = {
    url,
    get pid() {
      return child.pid ?? -1;
    },
    dir,
    query: async (expr) => {
      const data = await api<{ resultType: string; result: unknown }>(
        `/api/v1/query?query=${encodeURIComponent(expr)}`,
      );
      if (data.resultType === 'scalar') {
        const [, value] = data.result as [number, string];
        return [{ metric: {}, value: Number(value) }];
      }
      if (data.resultType !== 'vector')
        throw new Error(`query ${expr} gave a ${data.resultType}, not a vector`);
      return (data.result as { metric: Labels; value: [number, string] }[]).map((r) => ({
        metric: r.metric,
        value: Number(r.value[1]),
      }));
    },
    alerts: async () => (await api<{ alerts: ActiveAlert[] }>('/api/v1/alerts')).alerts,
    targets: async () =>
      (await api<{ activeTargets: ScrapeTarget[] }>('/api/v1/targets?state=active')).activeTargets,
    waitFor,
    logs: () => log,
    stop,
  };

  try {
    await waitFor(
      async () => {
        const response = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(2000) });
        return response.status === 200;
      },
      { timeoutMs: readyTimeoutMs, intervalMs: 100, what: `${url}/-/ready` },
    );
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await kill();
    throw exited(child) ? err : new Error(`${message}\n${log.trim()}`, { cause: err });
  }
  return server;
}
