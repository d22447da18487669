import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkAcrossStacks, ConfigError, parseEnvironment } from '../../stacks/spec';
import { availableStacks, platformValues, readStackConfig, StackFileError } from '../plan/stack-file';

/** A throw-away project root: Pulumi.yaml and every stack file of `root`, one of them replaced. */
export interface StagedProject {
  readonly root: string;
  remove(): void;
}

const PROJECT_FILE = /^Pulumi(\.[a-z0-9][a-z0-9-]*)?\.yaml$/;

/**
 * Copies the project's Pulumi files into a temporary folder with `Pulumi.<stack>.yaml` replaced by `text`,
 * so the edited stack can be parsed and planned exactly as the plan would, before the real file is touched.
 */
export function stageProject(root: string, stack: string, text: string): StagedProject {
  const dir = mkdtempSync(join(tmpdir(), `release-${stack}-`));
  for (const file of readdirSync(root).filter((f) => PROJECT_FILE.test(f))) {
    copyFileSync(join(root, file), join(dir, file));
  }
  writeFileSync(join(dir, `Pulumi.${stack}.yaml`), text);
  return { root: dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Reads and validates a stack the way the program does (stacks/config.ts: `platform:` keys decoded,
 * foreign keys and secret keys passed to parseEnvironment) plus the checks across stacks the plan runs.
 * Returns the problems as the lines the plan would print, or [] when the stack is valid.
 */
export function validateStack(root: string, stack: string): string[] {
  try {
    const config = readStackConfig(root, stack);
    const raw = platformValues(config);
    // The program hands the kubeconfig over as the string it is (here, the secret placeholder).
    const kubeconfig = config.values['platform:kubeconfig'];
    if (kubeconfig !== undefined) raw.kubeconfig = kubeconfig;
    const foreignKeys = Object.keys(config.values).filter((k) => !k.startsWith('platform:'));
    const secretKeys = new Set(
      config.secretKeys.filter((k) => k.startsWith('platform:')).map((k) => k.slice('platform:'.length)),
    );
    parseEnvironment(stack, raw, { foreignKeys, secretKeys });
    const others = availableStacks(root)
      .filter((s) => s !== stack)
      .flatMap((s) => {
        try {
          return [{ stack: s, raw: platformValues(readStackConfig(root, s)) }];
        } catch {
          return [];
        }
      });
    const problems = checkAcrossStacks({ stack, raw }, others);
    if (problems.length > 0) throw new ConfigError(stack, problems);
    return [];
  } catch (err) {
    if (err instanceof ConfigError || err instanceof StackFileError) return err.message.split('\n');
    throw err;
  }
}
