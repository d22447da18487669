/**
 * The Redis failover drill, N rounds (each on a fresh local cluster), with the figures per round and overall:
 *
 *   node dist/tools/redis-drill/cli.js [--rounds 3] [--address-prefix 127.0.10] [--verbose]
 *
 * Exits 1 when a round loses an acknowledged write, the old master does not rejoin as a replica, there is not
 * exactly one master, recovery takes 10 s or more, or a round cannot run.
 */
import { summarizeRounds, type RoundOutcome } from './drill-summary';
import { runFailoverDrill } from './failover-drill';

interface CliOptions {
  readonly rounds: number;
  readonly addressPrefix: string | undefined;
  readonly verbose: boolean;
}

function parseArgs(args: readonly string[]): CliOptions {
  let rounds = 3;
  let addressPrefix: string | undefined;
  let verbose = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = () => {
      const next = args[++i];
      if (next === undefined) throw new Error(`${String(arg)} needs a value`);
      return next;
    };
    if (arg === '--rounds') {
      rounds = Number(value());
      if (!Number.isInteger(rounds) || rounds < 1)
        throw new Error(`--rounds must be an integer >= 1 (got ${args[i]})`);
    } else if (arg === '--address-prefix') {
      addressPrefix = value();
    } else if (arg === '--verbose') {
      verbose = true;
    } else {
      throw new Error(
        `unknown argument ${String(arg)} (known: --rounds N, --address-prefix 127.x.y, --verbose)`,
      );
    }
  }
  return { rounds, addressPrefix, verbose };
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const outcomes: RoundOutcome[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    console.log(`round ${round}/${options.rounds}: starting 3 data nodes and 3 sentinels`);
    try {
      outcomes.push(
        await runFailoverDrill({
          addressPrefix: options.addressPrefix,
          log: options.verbose ? (message) => console.log(`  ${message}`) : undefined,
        }),
      );
    } catch (error) {
      outcomes.push({ error: error instanceof Error ? error.message : String(error) });
    }
  }
  const summary = summarizeRounds(outcomes);
  for (const line of summary.lines) console.log(line);
  for (const failure of summary.failures) console.error(`FAILED ${failure}`);
  return summary.failures.length > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 2;
  },
);
