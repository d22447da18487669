/**
 * The README is where alerts' runbook links land and where a platform engineer looks up config keys: it
 * must stay in step with the alert catalogue and the monitoring schema.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALERTS } from '../../charts/monitoring-rules';
import { monitoringSchema } from '../../stacks/spec/schema';

const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
const cells = (row: string) =>
  row
    .split('|')
    .slice(1, -1)
    .map((c) => c.trim());

describe('README', () => {
  it('has exactly one row per alert in the Alerts table, with its anchor, severity and meaning', () => {
    const rows = readme.split('\n').filter((line) => line.startsWith('| <a id="alert-'));
    expect(rows).toHaveLength(ALERTS.length);
    for (const alert of ALERTS) {
      const row = rows.find((r) =>
        r.includes(`<a id="alert-${alert.name.toLowerCase()}"></a>\`${alert.name}\``),
      );
      expect([alert.name, row !== undefined]).toEqual([alert.name, true]);
      const [, severity, meaning, firstCheck] = cells(row ?? '');
      expect([alert.name, severity, meaning, firstCheck]).toEqual([
        alert.name,
        alert.severity,
        alert.meaning,
        alert.firstCheck,
      ]);
    }
  });

  it('documents every platform:monitoring key in the config reference', () => {
    for (const key of Object.keys(monitoringSchema.shape)) {
      expect([
        key,
        readme.includes(`platform:monitoring.${key}`) ||
          readme.includes(`platform:monitoring.{${key}`) ||
          new RegExp(`platform:monitoring\\.\\{[^}]*\\b${key}\\b`).test(readme),
      ]).toEqual([key, true]);
    }
  });
});
