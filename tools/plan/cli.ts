// `npm run plan -- [<stack>...] [--all] [--out <dir>]`: the offline plan (see README, "Offline plan").
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadKubernetesValidator } from '../k8s-schema';
import { isDiffFormat, runDiff, type DiffFormat } from '../plan-diff/run-diff';
import { projectRoot } from './project-root';
import { availableStacks } from './stack-file';

const USAGE = `usage: npm run plan -- [<stack>...] [--all] [--out <dir>] [--diff <base-out-dir>]
  <stack>         stack(s) to plan (default: dev); each needs a Pulumi.<stack>.yaml
  --all           every stack with a Pulumi.<stack>.yaml
  --out DIR       output root (default: out); writes DIR/<stack>/resources.json and DIR/<stack>/manifests/
  --root DIR      folder with Pulumi.yaml and the stack files (default: this repository)
  --program FILE  compiled Pulumi program to run (default: dist/stacks/index.js)
  --diff DIR      after planning, print what changed from the plans in DIR (an earlier --out) to the new ones
                  (the planned stacks only; see tools/run diff)
  --diff-format F text (default) or markdown
exit codes: 0 planned, 1 crashed, 2 invalid stack config or arguments, 3 invalid objects or policy violations`;

/** The promotion order of the environments; other stacks follow alphabetically. */
const ORDER = ['dev', 'qat', 'uat', 'prod'];
const rank = (stack: string) => (ORDER.includes(stack) ? ORDER.indexOf(stack) : ORDER.length);

interface Args {
  stacks: string[];
  out: string;
  root: string;
  program: string;
  diff?: string;
  diffFormat: DiffFormat;
}

function parseArgs(argv: readonly string[], repo: string): Args | string {
  const stacks: string[] = [];
  let root = repo;
  let out: string | undefined;
  let program = join(__dirname, '..', '..', 'stacks', 'index.js');
  let all = false;
  let diff: string | undefined;
  let diffFormat: DiffFormat = 'text';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--all') all = true;
    else if (arg === '--diff' || arg === '--diff-format') {
      const value = argv[++i];
      if (value === undefined) return `${arg} needs a value`;
      if (arg === '--diff') diff = resolve(value);
      else if (isDiffFormat(value)) diffFormat = value;
      else return `--diff-format "${value}": must be text or markdown`;
    } else if (arg === '--out' || arg === '--root' || arg === '--program') {
      const value = argv[++i];
      if (value === undefined) return `${arg} needs a value`;
      if (arg === '--out') out = resolve(value);
      else if (arg === '--root') root = resolve(value);
      else program = resolve(value);
    } else if (arg === '--help' || arg === '-h') return '';
    else if (arg.startsWith('-')) return `unknown option "${arg}"`;
    else stacks.push(arg);
  }
  if (!existsSync(join(root, 'Pulumi.yaml'))) return `no Pulumi.yaml in ${root}`;
  if (!existsSync(program)) return `no program at ${program} (run "npm run build" first)`;
  const known = availableStacks(root).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  if (all) stacks.push(...known);
  if (stacks.length === 0) stacks.push('dev');
  const unknown = stacks.filter((s) => !known.includes(s));
  if (unknown.length > 0) return `unknown stack "${unknown.join('", "')}"; stacks: ${known.join(', ')}`;
  const outDir = out ?? join(root, 'out');
  if (diff !== undefined && !existsSync(diff))
    return `--diff ${diff}: no such directory (an earlier plan's --out)`;
  // The new plans replace the old ones in --out: comparing with it would compare the new plans with themselves.
  if (diff !== undefined && diff === outDir)
    return `--diff ${diff}: is the --out directory; plan into another --out`;
  return {
    stacks: [...new Set(stacks)],
    out: outDir,
    root,
    program,
    ...(diff !== undefined && { diff }),
    diffFormat,
  };
}

interface Outcome {
  stack: string;
  code: number;
  output: string;
  seconds: number;
}

function planInChild(stack: string, args: Args): Promise<Outcome> {
  const started = process.hrtime.bigint();
  return new Promise((resolvePromise) => {
    const child = spawn(
      process.execPath,
      [join(__dirname, 'plan-one.js'), stack, args.out, args.root, args.program],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      resolvePromise({ stack, code: code ?? 1, output, seconds });
    });
  });
}

async function main(): Promise<number> {
  const root = projectRoot();
  const args = parseArgs(process.argv.slice(2), root);
  if (typeof args === 'string') {
    process.stderr.write(args === '' ? `${USAGE}\n` : `plan: ${args}\n${USAGE}\n`);
    return args === '' ? 0 : 2;
  }
  const started = process.hrtime.bigint();
  // Generate the schema cache once here, so parallel children never each generate it on a cold machine.
  loadKubernetesValidator();
  // Stacks run in child processes, two at a time (the machines have two cores).
  const queue = [...args.stacks];
  const outcomes: Outcome[] = [];
  const worker = async () => {
    for (let stack = queue.shift(); stack !== undefined; stack = queue.shift()) {
      outcomes.push(await planInChild(stack, args));
    }
  };
  await Promise.all([worker(), worker()]);
  let code = 0;
  for (const stack of args.stacks) {
    const o = outcomes.find((x) => x.stack === stack);
    if (!o) continue;
    process.stdout.write(`${o.output.trimEnd()}\n  (${o.seconds.toFixed(1)} s)\n\n`);
    code = Math.max(code, o.code);
  }
  const total = Number(process.hrtime.bigint() - started) / 1e9;
  const failed = outcomes.filter((o) => o.code !== 0).map((o) => o.stack);
  process.stdout.write(
    failed.length === 0
      ? `planned ${args.stacks.length} stack(s) in ${total.toFixed(1)} s: ${args.stacks.join(', ')}\n`
      : `plan FAILED for ${failed.join(', ')} (${total.toFixed(1)} s)\n`,
  );
  if (args.diff !== undefined) {
    if (code !== 0) process.stdout.write(`\nno plan diff: the plan failed\n`);
    else {
      const run = runDiff({ base: args.diff, head: args.out, format: args.diffFormat, envs: args.stacks });
      process.stdout.write(`\n${run.stdout}`);
      process.stderr.write(run.stderr);
      code = Math.max(code, run.code);
    }
  }
  return code;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(
      `plan crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  },
);
