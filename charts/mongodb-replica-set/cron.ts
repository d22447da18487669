/**
 * A check of five-field cron expressions as the operator's scheduler (robfig/cron, standard parser) reads them,
 * so that a typo fails the plan instead of leaving backups silently unscheduled.
 */

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** '?' (no specific value) is accepted in the day fields only. */
  readonly question?: boolean;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31, question: true },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 0, max: 6, names: DAYS, question: true },
];

const ITEM = /^(\*|\?|[0-9A-Za-z]+)(?:-([0-9A-Za-z]+))?(?:\/([0-9]+))?$/;

/** What is wrong with `expression`, or undefined when it is a valid five-field cron expression. */
export function cronProblem(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== FIELDS.length) {
    return `must have 5 fields (minute hour day-of-month month day-of-week), found ${expression.trim() === '' ? 0 : fields.length}`;
  }
  for (const [index, text] of fields.entries()) {
    const field = FIELDS[index] as CronField;
    for (const item of (text as string).split(',')) {
      const problem = itemProblem(item, field);
      if (problem !== undefined) return `${field.name} field "${text}": ${problem}`;
    }
  }
  return undefined;
}

function itemProblem(item: string, field: CronField): string | undefined {
  const match = ITEM.exec(item);
  if (match === null) return `"${item}" is not a value, range or step`;
  const [, start = '', end, step] = match;
  if (step !== undefined && Number(step) < 1) return `step "${step}" must be at least 1`;
  if (start === '*' || start === '?') {
    if (start === '?' && field.question !== true) return '"?" is allowed in the day fields only';
    return end === undefined ? undefined : `"${item}" is not a value, range or step`;
  }
  const first = value(start, field);
  if (first === undefined) return `"${start}" is not within ${field.min}-${field.max}`;
  if (end === undefined) return undefined;
  const last = value(end, field);
  if (last === undefined) return `"${end}" is not within ${field.min}-${field.max}`;
  return first <= last ? undefined : `range "${start}-${end}" runs backwards`;
}

function value(text: string, field: CronField): number | undefined {
  const named = field.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return named + field.min;
  if (!/^[0-9]+$/.test(text)) return undefined;
  const number = Number(text);
  return number >= field.min && number <= field.max ? number : undefined;
}
