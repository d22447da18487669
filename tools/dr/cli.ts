// `tools/run dr -- <env>`: prints the stack's disaster-recovery posture (tools/dr/dr-main.ts).
import { projectRoot } from '../plan/project-root';
import { drMain } from './dr-main';

try {
  process.exitCode = drMain(process.argv.slice(2), projectRoot(), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
} catch (err) {
  process.stderr.write(`dr crashed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
}
