// `node dist/bench/run/cli.js [<name>…] [--quick] [--out FILE]` (tools/run bench): see run-benchmarks.ts.
// Exits 2 on bad arguments, 1 when a benchmark failed, 0 otherwise.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runBenchmarks, selectBenchmarks } from './run-benchmarks';

const USAGE = 'usage: tools/run bench [<name>...] [--quick] [--out FILE]';

function repositoryRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'Pulumi.yaml')) && existsSync(join(dir, 'tools', 'run'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no repository above ${__dirname}`);
  }
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const names: string[] = [];
  let quick = false;
  let out = join(repositoryRoot(), 'out', 'bench', 'results.json');
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--quick') quick = true;
    else if (arg === '--out') {
      const value = argv[++i];
      if (value === undefined) {
        process.stderr.write(`bench: --out needs a file\n${USAGE}\n`);
        return 2;
      }
      out = value;
    } else if (arg.startsWith('-')) {
      process.stderr.write(`bench: unknown option "${arg}"\n${USAGE}\n`);
      return 2;
    } else names.push(arg);
  }
  try {
    selectBenchmarks(names);
  } catch (err) {
    process.stderr.write(`bench: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const run = await runBenchmarks({ names, quick, out, log: (line) => process.stdout.write(`${line}\n`) });
  return run.benchmarks.some((b) => b.error !== undefined) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
