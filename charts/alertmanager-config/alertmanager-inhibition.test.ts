import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { binaryPath } from '../../tools/prom-tools';
import { EXAMPLE_SHAPES } from './example-shapes';
import { renderAlertmanagerConfig } from './render-alertmanager-config';

/**
 * amtool 0.25 has no command that evaluates inhibit_rules, so this runs the real Alertmanager 0.25 (shipped
 * next to amtool in Debian's prometheus-alertmanager) on 127.0.0.1, posts alerts and reads which ones it marks
 * inhibited. The dev config is used: its receivers are all 'null', so nothing leaves the machine, and its
 * inhibit_rules are the very list every environment renders (render-alertmanager-config.test.ts checks that).
 */

type Labels = Record<string, string>;
interface ApiAlert {
  labels: Labels;
  status: { state: string; inhibitedBy: string[] };
}

const key = (l: Labels) =>
  `${l.alertname}/${l.severity}/${l.namespace ?? ''}/${l.service ?? ''}/${l.scope ?? ''}`;
const alert = (
  alertname: string,
  severity: string,
  namespace: string,
  service?: string,
  scope?: string,
): Labels => ({
  alertname,
  severity,
  environment: 'dev',
  namespace,
  ...(service !== undefined && { service }),
  ...(scope !== undefined && { scope }),
});

// Sources.
const namespaceOutage = alert('NamespaceOutage', 'critical', 'data');
const serviceDown = alert('ServiceDown', 'critical', 'apps', 'order');
const lagCritical = alert('KafkaConsumerLagGrowing', 'critical', 'data', 'analytics');

const INHIBITED = [
  alert('PodCrashLooping', 'warning', 'data', 'analytics', 'pod'), // NamespaceOutage, same namespace
  alert('ServiceHighErrorRate', 'warning', 'apps', 'order'), // ServiceDown, same service
  alert('ServiceHighLatency', 'warning', 'apps', 'order'),
  alert('SLOAvailabilityBurnRateHigh', 'critical', 'apps', 'order'),
  alert('SLOLatencyBurnRateElevated', 'warning', 'apps', 'order'),
  alert('ContainerMemoryNearLimit', 'warning', 'apps', 'order', 'pod'), // ServiceDown, pod of that service
  alert('KafkaConsumerLagGrowing', 'warning', 'data', 'analytics'), // its own critical form
];
const ACTIVE = [
  namespaceOutage,
  serviceDown,
  lagCritical,
  alert('PodCrashLooping', 'warning', 'apps', 'user', 'pod'), // other namespace than the outage, other service
  alert('ServiceHighErrorRate', 'warning', 'apps', 'user'), // other service than ServiceDown
  alert('SLOLatencyBurnRateHigh', 'critical', 'data', 'order'), // same service name, other namespace
  alert('ContainerCpuThrottled', 'warning', 'apps', 'order'), // not a symptom and not scope="pod"
  alert('KafkaConsumerLagGrowing', 'warning', 'data', 'order'), // the critical is for another service
];

let dir = '';
let child: ChildProcess | undefined;
let base = '';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'alertmanager-inhibition-'));
  const config = join(dir, 'alertmanager.yaml');
  writeFileSync(config, renderAlertmanagerConfig(EXAMPLE_SHAPES.dev).yaml);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const alertmanager = join(dirname(binaryPath('amtool')), 'prometheus-alertmanager');
  child = spawn(
    alertmanager,
    [
      `--config.file=${config}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=', // no gossip port, a single instance
    ],
    { stdio: 'ignore' },
  );
  await until('Alertmanager to be ready', async () =>
    (await fetch(`${base}/-/ready`)).ok ? true : undefined,
  );
  const response = await fetch(`${base}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(
      [...INHIBITED, ...ACTIVE].map((labels) => ({ labels, annotations: { summary: labels.alertname } })),
    ),
  });
  expect(response.status).toBe(200);
}, 20_000);

afterAll(async () => {
  // Alertmanager writes its snapshot on SIGTERM: wait for it to exit before removing its data directory,
  // or the removal races the last write (ENOTEMPTY, seen under load).
  const running = child;
  if (running?.pid !== undefined && running.exitCode === null && running.signalCode === null) {
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGTERM');
    const timer = setTimeout(() => running.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
}, 15_000);

async function states(): Promise<Map<string, ApiAlert['status']>> {
  const alerts = (await (await fetch(`${base}/api/v2/alerts`)).json()) as ApiAlert[];
  return new Map(alerts.map((a) => [key(a.labels), a.status]));
}

describe('inhibit_rules in a real Alertmanager 0.25', () => {
  it('mutes exactly the alerts the rules name', async () => {
    // The inhibitor learns sources asynchronously; wait until every expected mute is in place.
    const seen = await until('the expected inhibitions', async () => {
      const now = await states();
      const all = [...INHIBITED, ...ACTIVE].every((l) => now.has(key(l)));
      return all && INHIBITED.every((l) => now.get(key(l))?.state === 'suppressed') ? now : undefined;
    }).catch(async () => states());

    for (const labels of INHIBITED) {
      expect([key(labels), seen.get(key(labels))?.state]).toEqual([key(labels), 'suppressed']);
      expect(seen.get(key(labels))?.inhibitedBy.length).toBeGreaterThan(0);
    }
    for (const labels of ACTIVE) {
      expect([key(labels), seen.get(key(labels))?.state]).toEqual([key(labels), 'active']);
    }
  });
});
