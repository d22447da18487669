// `tools/run dr -- <env>`: the DR posture of a stack, read from its stack file as the program reads it.
import { drPosture } from '../../stacks/dr-posture';
import { ConfigError, parseEnvironment } from '../../stacks/spec';
import { platformValues, readStackConfig, StackFileError } from '../plan/stack-file';
import { postureLines } from './posture-lines';

export const DR_USAGE = `usage: tools/run dr -- <env> [--root DIR] [--today YYYY-MM-DD]
  <env>        a stack with a Pulumi.<env>.yaml (dev, qat, uat, prod)
  --root DIR   folder with the stack files (default: this repository)
  --today DAY  the day the drill reminder counts from (default: today, UTC)
prints the regions, what replicates to the standby and how, each store's worst-case RPO, the RTO steps and
the last-drill reminder (drills are quarterly)
exit codes: 0 printed (also for a stack without DR), 1 crashed, 2 bad arguments or a config error (a missed
            RPO/RTO target is one)`;

export interface DrOutput {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** Runs the command; returns the exit code. */
export function drMain(argv: readonly string[], root: string, out: DrOutput): number {
  const usage = (problem: string) => {
    out.stderr(problem === '' ? `${DR_USAGE}\n` : `dr: ${problem}\n${DR_USAGE}\n`);
    return problem === '' ? 0 : 2;
  };
  const positional: string[] = [];
  let today = new Date();
  let stackRoot = root;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') return usage('');
    if (arg === '--root' || arg === '--today') {
      const value = argv[++i];
      if (value === undefined) return usage(`${arg} needs a value`);
      if (arg === '--root') stackRoot = value;
      else {
        today = new Date(`${value}T00:00:00Z`);
        if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(today.getTime())) {
          return usage(`--today must be a date such as 2026-01-15 (got ${JSON.stringify(value)})`);
        }
      }
    } else if (arg.startsWith('-')) return usage(`unknown option ${JSON.stringify(arg)}`);
    else positional.push(arg);
  }
  const [env, ...extra] = positional;
  if (env === undefined || extra.length > 0)
    return usage(`expected <env>, got ${positional.length} argument(s)`);
  try {
    const config = readStackConfig(stackRoot, env);
    const secretKeys = new Set(
      config.secretKeys.filter((k) => k.startsWith('platform:')).map((k) => k.slice('platform:'.length)),
    );
    const foreignKeys = Object.keys(config.values).filter((k) => !k.startsWith('platform:'));
    const spec = parseEnvironment(env, platformValues(config), { secretKeys, foreignKeys });
    const posture = drPosture(spec, today);
    if (posture === undefined) {
      out.stdout(
        `${env} has no disaster recovery: Pulumi.${env}.yaml has no platform:dr section, so it has no standby region\n`,
      );
      return 0;
    }
    out.stdout(`${postureLines(posture).join('\n')}\n`);
    return 0;
  } catch (err) {
    if (err instanceof ConfigError || err instanceof StackFileError) {
      out.stderr(`dr: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
