import type { z } from 'zod';
import { show, type ConfigProblem } from './config-error';

type Path = readonly PropertyKey[];

function join(prefix: string, path: Path): string {
  return path.reduce<string>((acc, key) => {
    if (typeof key === 'number') return `${acc}[${key}]`;
    return acc.endsWith(':') ? `${acc}${String(key)}` : `${acc}.${String(key)}`;
  }, prefix);
}

function valueAt(root: unknown, path: Path): unknown {
  let cur: unknown = root;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

/** Turns zod's issues into problems that name the key path, the bad value and what is allowed. */
export function toProblems(prefix: string, root: unknown, error: z.ZodError): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of error.issues) {
    const value = valueAt(root, issue.path);
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          problems.push({ path: join(prefix, [...issue.path, key]), message: issue.message });
        }
        break;
      case 'invalid_type':
        problems.push({
          path: join(prefix, issue.path),
          message:
            value === undefined
              ? `is required (expected ${issue.expected})`
              : `must be ${article(issue.expected)} (got ${show(value)})`,
        });
        break;
      case 'invalid_value':
        problems.push({
          path: join(prefix, issue.path),
          message: `must be one of ${issue.values.map((v) => show(v)).join(' | ')} (got ${show(value)})`,
        });
        break;
      case 'too_small':
      case 'too_big': {
        const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
        // Exclusive bounds (gt/lt, such as an objective in (0, 1)) are shown as such.
        const inclusive = issue.inclusive !== false;
        const op = issue.code === 'too_small' ? (inclusive ? '>=' : '>') : inclusive ? '<=' : '<';
        const what = issue.origin === 'string' ? 'length' : issue.origin === 'array' ? 'item count' : 'value';
        problems.push({
          path: join(prefix, issue.path),
          message: `${what} must be ${op} ${String(bound)} (got ${show(value)})`,
        });
        break;
      }
      default:
        problems.push({ path: join(prefix, issue.path), message: `${issue.message} (got ${show(value)})` });
    }
  }
  return problems;
}

function article(expected: string): string {
  const noun = expected === 'int' ? 'integer' : expected;
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}
