import type { PlanResource } from '../release/run-plan';

/** What the plan writes for a secret input (tools/plan/plan-mocks.ts): the value itself is never known. */
export const SECRET_PLACEHOLDER = '[secret]';

/** Resources whose every input is secret material or decides it (a password's length, its keepers). */
const SECRET_TYPES = new Set([
  'random:index/randomPassword:RandomPassword',
  'random:index/randomString:RandomString',
]);
/** Secret inputs of other resources, by type. */
const SECRET_INPUTS: Readonly<Record<string, RegExp>> = {
  'aws:secretsmanager/secretVersion:SecretVersion': /^(secretString|secretBinary)([.[]|$)/,
};
/** A Kubernetes Secret's values. */
const SECRET_DATA = /^(data|stringData)([.[]|$)/;

/**
 * Whether the change of `path` in `r` must not show its values: a Kubernetes Secret's data, a random
 * password, a Secrets Manager secret version's value, or any value that is the plan's secret placeholder.
 */
export function isSecretPath(r: PlanResource, path: string, before: unknown, after: unknown): boolean {
  if (before === SECRET_PLACEHOLDER || after === SECRET_PLACEHOLDER) return true;
  if (SECRET_TYPES.has(r.type)) return true;
  if ((r.inputs as { kind?: unknown }).kind === 'Secret' || r.type === 'kubernetes:core/v1:Secret') {
    if (SECRET_DATA.test(path)) return true;
  }
  return SECRET_INPUTS[r.type]?.test(path) ?? false;
}
