import { DIGEST_ONLY_ENVIRONMENTS } from '../../stacks/spec/schema';

/** The environments, in promotion order: an image reaches one only after the one before it runs it. */
export const ENVIRONMENTS = ['dev', 'qat', 'uat', 'prod'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** Environments that accept only images pinned by digest (the stack config's rule, stacks/spec). */
export const DIGEST_ONLY: readonly Environment[] = ENVIRONMENTS.filter((env) =>
  DIGEST_ONLY_ENVIRONMENTS.includes(env),
);

export function isEnvironment(name: string): name is Environment {
  return (ENVIRONMENTS as readonly string[]).includes(name);
}

/** The environment an image must run in before it may be released into `env` (none for dev). */
export function previousEnvironment(env: Environment): Environment | undefined {
  const i = ENVIRONMENTS.indexOf(env);
  return i > 0 ? ENVIRONMENTS[i - 1] : undefined;
}
