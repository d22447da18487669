import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { previousEnvironment } from './environments';
import { diffPlans, formatPlanDiff, type PlanDiff } from './plan-diff';
import { checkPromotion } from './promotion';
import { checkReleaseRequest } from './release-request';
import { runPlan } from './run-plan';
import { readServiceImage, setServiceImage, StackEditError } from './stack-image';
import { stageProject, validateStack } from './staged-stack';

export interface ReleaseOptions {
  /** Project root: the folder with Pulumi.yaml and the stack files. */
  readonly root: string;
  readonly env: string;
  readonly service: string;
  readonly image: string;
  /** Plan before and after and print the diff (and refuse an edit whose plan fails). @default true */
  readonly plan?: boolean;
}

/** 0 released (or already running), 2 refused, 3 refused because the edited stack does not plan. */
export const RELEASE_EXIT = { ok: 0, crash: 1, refused: 2, planFailed: 3 } as const;

export interface ReleaseResult {
  readonly code: (typeof RELEASE_EXIT)[keyof typeof RELEASE_EXIT];
  /** Whether the stack file was replaced. */
  readonly written: boolean;
  /** What to print, in order; refusals start with "release refused:". */
  readonly lines: readonly string[];
  readonly warnings: readonly string[];
  readonly diff?: PlanDiff;
}

const refused = (problems: readonly string[], warnings: readonly string[] = []): ReleaseResult => ({
  code: RELEASE_EXIT.refused,
  written: false,
  lines: problems.map((p) => `release refused: ${p}`),
  warnings,
});

/** Replaces `file` by `text` through a temporary file in the same folder (rename is atomic there). */
function replaceFile(file: string, text: string): void {
  const tmp = join(dirname(file), `.${basename(file)}.release-${process.pid}`);
  try {
    writeFileSync(tmp, text, { flag: 'wx' });
    chmodSync(tmp, statSync(file).mode);
    renameSync(tmp, file);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/**
 * Sets `platform:services.<service>.image` in `Pulumi.<env>.yaml` after checking the request, the
 * promotion order (the environment before must run the digest), the edited stack with the real spec
 * parser and, unless `plan` is false, the offline plan of the edited stack. Nothing is written unless every
 * check passes; then the file is replaced in one rename and the plan diff is returned.
 */
export async function release(options: ReleaseOptions): Promise<ReleaseResult> {
  const checked = checkReleaseRequest(options.env, options.service, options.image);
  if (!checked.ok) return refused(checked.problems);
  const { request, warnings } = checked;
  const { env, service, image } = request;
  const fileName = `Pulumi.${env}.yaml`;
  const file = join(options.root, fileName);
  if (!existsSync(file)) return refused([`no stack file ${fileName} in ${options.root}`], warnings);

  try {
    const text = readFileSync(file, 'utf8');
    const current = readServiceImage(text, fileName, service);
    if (current === image) {
      return {
        code: RELEASE_EXIT.ok,
        written: false,
        lines: [`${env} already runs ${service} ${image} (${fileName}); nothing to change`],
        warnings,
      };
    }
    const previous = previousEnvironment(env);
    if (previous !== undefined) {
      const prevFile = join(options.root, `Pulumi.${previous}.yaml`);
      if (!existsSync(prevFile)) {
        return refused(
          [
            `${env} takes only images ${previous} runs, and there is no Pulumi.${previous}.yaml in ${options.root}`,
          ],
          warnings,
        );
      }
      const prevImage = readServiceImage(readFileSync(prevFile, 'utf8'), `Pulumi.${previous}.yaml`, service);
      const problem = checkPromotion(service, previous, prevImage, request.ref);
      if (problem !== undefined) return refused([problem], warnings);
    }

    const edited = setServiceImage(text, fileName, service, image);
    const staged = stageProject(options.root, env, edited);
    const outs = mkdtempSync(join(tmpdir(), `release-plan-${env}-`));
    try {
      const problems = validateStack(staged.root, env);
      if (problems.length > 0) {
        const before = validateStack(options.root, env).length > 0;
        return refused(
          [
            `${fileName} with platform:services.${service}.image = ${JSON.stringify(image)} would not be a valid stack` +
              (before ? ` (it is not valid now either)` : '') +
              `; ${fileName} was left as it was:\n` +
              problems.map((p) => `  ${p}`).join('\n'),
          ],
          warnings,
        );
      }
      let diff: PlanDiff | undefined;
      const notes: string[] = [];
      if (options.plan ?? true) {
        const [before, after] = await Promise.all([
          runPlan(options.root, env, join(outs, 'before')),
          runPlan(staged.root, env, join(outs, 'after')),
        ]);
        if (after.resources === undefined) {
          return {
            code: RELEASE_EXIT.planFailed,
            written: false,
            lines: [
              `release refused: the plan of ${env} with this image fails (exit ${after.code})` +
                (before.resources === undefined ? ' (and so does the plan of the current stack file)' : '') +
                `; ${fileName} was left as it was. The plan said:`,
              ...after.output.split('\n').map((l) => `  ${l}`),
            ],
            warnings,
          };
        }
        if (before.resources === undefined) {
          notes.push(`no plan diff: the current ${fileName} does not plan (exit ${before.code})`);
        } else {
          diff = diffPlans(before.resources, after.resources);
          notes.push(
            `plan diff of ${env} (${Math.max(before.seconds, after.seconds).toFixed(1)} s):`,
            ...formatPlanDiff(diff).map((l) => `  ${l}`),
          );
        }
      }
      // Refuse to overwrite an edit someone made while the checks ran.
      if (readFileSync(file, 'utf8') !== text) {
        return refused(
          [`${fileName} changed while the release was checked; run the release again`],
          warnings,
        );
      }
      replaceFile(file, edited);
      return {
        code: RELEASE_EXIT.ok,
        written: true,
        lines: [
          `released ${service} to ${env}: ${fileName} platform:services.${service}.image`,
          `  was ${current ?? '(none)'}`,
          `  now ${image}`,
          ...notes,
        ],
        warnings,
        ...(diff && { diff }),
      };
    } finally {
      staged.remove();
      rmSync(outs, { recursive: true, force: true });
    }
  } catch (err) {
    if (err instanceof StackEditError) return refused([err.message], warnings);
    throw err;
  }
}
