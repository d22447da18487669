// `node dist/bench/plan-cost/cli.js [--quick] [--rounds N] [--sizes 10,50,200] [--json FILE]`: prints the
// plan-cost table as it runs, then the figures as JSON (to FILE, or to stdout after the table).
import { writeFileSync } from 'node:fs';
import { runPlanCostBench, type PlanCostOptions } from './plan-cost-bench';

const USAGE = 'usage: plan-cost [--quick] [--rounds N] [--sizes 10,50,200] [--json FILE]';

function parse(argv: readonly string[]): { options: PlanCostOptions; json?: string } | string {
  let quick = false;
  let rounds: number | undefined;
  let sizes: number[] | undefined;
  let json: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => argv[++i] ?? '';
    if (arg === '--quick') quick = true;
    else if (arg === '--rounds') {
      rounds = Number(value());
      if (!Number.isInteger(rounds) || rounds < 1) return `--rounds must be a whole number >= 1`;
    } else if (arg === '--sizes') {
      const text = value();
      sizes = text.split(',').map(Number);
      if (sizes.some((n) => !Number.isInteger(n) || n < 1)) {
        return `--sizes must be whole numbers >= 1 separated by commas (got "${text}")`;
      }
    } else if (arg === '--json') json = value();
    else return `unknown argument "${String(arg)}"`;
  }
  return {
    options: { quick, ...(rounds !== undefined && { rounds }), ...(sizes !== undefined && { sizes }) },
    ...(json !== undefined && { json }),
  };
}

async function main(): Promise<number> {
  const args = parse(process.argv.slice(2));
  if (typeof args === 'string') {
    process.stderr.write(`plan-cost: ${args}\n${USAGE}\n`);
    return 2;
  }
  const result = await runPlanCostBench(args.options);
  const text = `${JSON.stringify(result, null, 2)}\n`;
  if (args.json !== undefined) writeFileSync(args.json, text);
  else process.stdout.write(text);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(
      `plan-cost failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
