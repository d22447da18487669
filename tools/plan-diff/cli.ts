// `tools/run diff -- <base-out-dir> <head-out-dir> [options]`: what changed between two offline plans.
import { DIFF_USAGE, parseDiffArgs, runDiff } from './run-diff';

function main(argv: readonly string[]): number {
  const options = parseDiffArgs(argv);
  if (typeof options === 'string') {
    process.stderr.write(options === '' ? `${DIFF_USAGE}\n` : `diff: ${options}\n${DIFF_USAGE}\n`);
    return options === '' ? 0 : 2;
  }
  const run = runDiff(options);
  process.stdout.write(run.stdout);
  process.stderr.write(run.stderr);
  return run.code;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`diff crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
}
