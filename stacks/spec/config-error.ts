/** One thing wrong with a stack's config: where, what was there, and what is allowed. */
export interface ConfigProblem {
  /** Key path as written in the stack file, e.g. `platform:services.product.autoscaling.minReplicas`. */
  readonly path: string;
  readonly message: string;
}

/** Thrown before any resource is declared; lists every problem at once. */
export class ConfigError extends Error {
  constructor(
    readonly stackName: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(
      `Invalid config for stack "${stackName}" (${count}):\n` +
        problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** Renders a config value for an error message, short enough to read on one line. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  // Keep both ends of a long value: the mistake is as often at the end (a digest, a tag) as at the start.
  return text.length > 80 ? `${text.slice(0, 40)}...${text.slice(-30)}` : text;
}
