/**
 * `tools/run <command> -- <args>` and `tools/run <command> <args>` mean the same: one leading `--` (the npm
 * habit the README's examples use) is dropped before the command sees its arguments.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const run = join(__dirname, '..', '..', 'tools', 'run');
const drill = (...args: string[]) =>
  spawnSync(run, ['drill:redis', ...args], { encoding: 'utf8', timeout: 120_000 });

describe('tools/run arguments', () => {
  it('passes the arguments after a leading -- to the command', () => {
    const withDashes = drill('--', '--bogus');
    expect(withDashes.status).not.toBe(0);
    expect(withDashes.stderr).toContain('unknown argument --bogus');
    expect(withDashes.stderr).not.toContain('unknown argument -- ');
  }, 120_000);

  it('passes them the same without it', () => {
    const plain = drill('--bogus');
    expect(plain.stderr).toContain('unknown argument --bogus');
  }, 120_000);
});
