// `node dist/bench/service-throughput/cli.js [--quick] [--rounds N] [--seconds S] [--cpu-prof DIR] [--env K=V]…`: the
// service-throughput benchmark alone; with --cpu-prof the product processes write V8 CPU profiles to DIR.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runServiceThroughput } from './service-throughput';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const prof = value('--cpu-prof');
  const rounds = value('--rounds');
  const seconds = value('--seconds');
  const productEnv = Object.fromEntries(
    argv.flatMap((a, i) => (argv[i - 1] === '--env' ? [a.split('=', 2) as [string, string]] : [])),
  );
  const workDir = mkdtempSync(join(tmpdir(), 'bench-service-'));
  try {
    const result = await runServiceThroughput(
      { quick: argv.includes('--quick'), log: (l) => process.stdout.write(`${l}\n`), workDir },
      {
        ...(rounds !== undefined && { rounds: Number(rounds) }),
        ...(seconds !== undefined && { durationSeconds: Number(seconds) }),
        productEnv,
        ...(prof !== undefined && { productNodeFlags: ['--cpu-prof', `--cpu-prof-dir=${prof}`] }),
      },
    );
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(
    `service-throughput: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exitCode = 1;
});
