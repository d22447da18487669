// `node dist/bench/order-path/cli.js [--quick] [--rate N] [--seconds S] [--cpu-prof DIR]`: the order-path benchmark alone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runOrderPath } from './order-path';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const rate = value('--rate');
  const seconds = value('--seconds');
  const workDir = mkdtempSync(join(tmpdir(), 'bench-order-'));
  try {
    const result = await runOrderPath(
      { quick: argv.includes('--quick'), log: (l) => process.stdout.write(`${l}\n`), workDir },
      {
        ...(rate !== undefined && { rate: Number(rate) }),
        ...(seconds !== undefined && { durationSeconds: Number(seconds) }),
        ...(value('--cpu-prof') !== undefined && {
          orderNodeFlags: ['--cpu-prof', `--cpu-prof-dir=${value('--cpu-prof')}`],
        }),
      },
    );
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`order-path: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
