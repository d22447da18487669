import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { startPrometheus } from './prometheus-server';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const leftovers = () => new Set(readdirSync(tmpdir()).filter((d) => d.startsWith('prometheus-')));

describe('startPrometheus', () => {
  it('fails at once with Prometheus’s own message on a bad configuration, and leaves nothing behind', async () => {
    const before = leftovers();
    const started = Date.now();
    await expect(
      startPrometheus({ config: { global: { scrape_interval: '1s' }, scrape_configs: [{ job_nam: 'x' }] } }),
    ).rejects.toThrow(/prometheus exited \(code 2[\s\S]*field job_nam not found/);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect([...leftovers()].filter((d) => !before.has(d))).toEqual([]);
  });

  it('serves queries and alert states from its rule files, and stop() ends its process and removes its files', async () => {
    const prometheus = await startPrometheus({
      config: { global: { scrape_interval: '1s', evaluation_interval: '1s' } },
      ruleFiles: {
        'demo.yaml': {
          groups: [
            {
              name: 'demo',
              rules: [
                { alert: 'AlwaysFiring', expr: 'vector(1)', labels: { severity: 'none' } },
                { alert: 'StaysPending', expr: 'vector(1)', for: '1h' },
                { alert: 'NeverActive', expr: 'vector(1) == 2' },
              ],
            },
          ],
        },
      },
    });
    const { pid, dir } = prometheus;
    try {
      expect(prometheus.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(await prometheus.query('vector(2)')).toEqual([{ metric: {}, value: 2 }]);
      await expect(prometheus.query('sum(')).rejects.toThrow(/answered 400: .*parse error/);
      const states = await prometheus.waitFor(
        async () => {
          const alerts = await prometheus.alerts();
          return alerts.length === 2 && Object.fromEntries(alerts.map((a) => [a.labels.alertname, a.state]));
        },
        { timeoutMs: 15_000, intervalMs: 200, what: 'two active alerts' },
      );
      expect(states).toEqual({ AlwaysFiring: 'firing', StaysPending: 'pending' });
      await expect(
        prometheus.waitFor(async () => false, { timeoutMs: 300, intervalMs: 100, what: 'nothing' }),
      ).rejects.toThrow('timed out after 300 ms waiting for nothing');
      expect(alive(pid)).toBe(true);
    } finally {
      await prometheus.stop();
    }
    expect(alive(pid)).toBe(false);
    expect(existsSync(dir)).toBe(false);
  }, 30_000);
});
