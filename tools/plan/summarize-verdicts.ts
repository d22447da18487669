import type { Finding } from '../policy';
import type { ValidationFailure } from './summarize';

export interface Verdicts {
  readonly invalid: readonly ValidationFailure[];
  readonly errors: readonly Finding[];
  readonly network?: { readonly connections: number; readonly problems: readonly string[] };
}

/**
 * The schema, policy and network verdict lines of one cluster's plan, at `indent` (the primary's block and
 * the DR standby's, indented under it, say the same things the same way).
 */
export function verdictLines(
  objectCount: number,
  findings: Verdicts,
  indent: string,
  notes: { readonly graphSource?: string; readonly networkHint?: string } = {},
): string[] {
  const lines: string[] = [];
  const sub = `${indent}  `;
  if (findings.invalid.length > 0) {
    lines.push(`${indent}INVALID objects (Kubernetes schema): ${findings.invalid.length} problem(s)`);
    for (const f of findings.invalid)
      lines.push(`${sub}${f.object}: ${f.path === '' ? '' : `${f.path}: `}${f.message}`);
  } else {
    lines.push(`${indent}schema: all ${objectCount} objects valid (strict: unknown fields rejected)`);
  }
  if (findings.errors.length > 0) {
    lines.push(`${indent}POLICY violations: ${findings.errors.length}`);
    for (const f of findings.errors) lines.push(`${sub}[${f.rule}] ${f.object}: ${f.message}`);
  } else {
    lines.push(`${indent}policies: passed`);
  }
  if (findings.network !== undefined) {
    const { connections, problems } = findings.network;
    const source = notes.graphSource === undefined ? '' : ` (${notes.graphSource})`;
    const hint = notes.networkHint === undefined ? '' : ` (${notes.networkHint})`;
    if (problems.length > 0) {
      lines.push(`${indent}NETWORK differs from the intended graph${source}: ${problems.length} edge(s)`);
      lines.push(...problems.map((p) => `${sub}${p}`));
    } else {
      lines.push(`${indent}network: ${connections} connections allowed, equal to the intended graph${hint}`);
    }
  }
  return lines;
}
