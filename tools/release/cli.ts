// `tools/run release -- <env> <service> <image>`: promotes an image into one environment's stack file.
import { resolve } from 'node:path';
import { projectRoot } from '../plan/project-root';
import { release, RELEASE_EXIT } from './release';

const USAGE = `usage: tools/run release -- <env> <service> <image> [--no-plan] [--root DIR]
  <env>       dev | qat | uat | prod; qat, uat and prod take only what the environment before runs
  <service>   a service of the catalog (stacks/service-catalog.ts)
  <image>     <registry>/<repository>@sha256:<64 hex> (uat and prod: digest required)
  --no-plan   skip the offline plan before and after (and its diff)
  --root DIR  folder with Pulumi.yaml and the stack files (default: this repository)
exit codes: 0 released or already running, 1 crashed, 2 refused, 3 refused because the edit does not plan`;

async function main(argv: readonly string[]): Promise<number> {
  const positional: string[] = [];
  let root = projectRoot();
  let plan = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') continue;
    if (arg === '--no-plan') plan = false;
    else if (arg === '--root') {
      const value = argv[++i];
      if (value === undefined) return usage('--root needs a value');
      root = resolve(value);
    } else if (arg === '--help' || arg === '-h') return usage('');
    else if (arg.startsWith('-')) return usage(`unknown option "${arg}"`);
    else positional.push(arg);
  }
  const [env, service, image, ...extra] = positional;
  if (env === undefined || service === undefined || image === undefined || extra.length > 0) {
    return usage(`expected <env> <service> <image>, got ${positional.length} argument(s)`);
  }
  const result = await release({ root, env, service, image, plan });
  const out = result.code === RELEASE_EXIT.ok ? process.stdout : process.stderr;
  for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
  out.write(`${result.lines.join('\n')}\n`);
  return result.code;
}

function usage(problem: string): number {
  process.stderr.write(problem === '' ? `${USAGE}\n` : `release: ${problem}\n${USAGE}\n`);
  return problem === '' ? 0 : RELEASE_EXIT.refused;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(
      `release crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(RELEASE_EXIT.crash);
  },
);
