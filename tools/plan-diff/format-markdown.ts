import type { EnvironmentDiff } from './env-diff';
import { changeLines, countsLine, topicCounts } from './format-lines';
import type { Headline } from './headlines';

/** GitHub refuses comments over 65,536 characters; stay well below, leaving room for other bots' text. */
export const DEFAULT_MAX_CHARS = 60_000;

export interface MarkdownOptions {
  /** The whole comment stays at or below this length. @default DEFAULT_MAX_CHARS */
  readonly maxChars?: number;
  /** Where the full report is, named when the comment is cut. */
  readonly artifactUrl?: string;
  readonly title?: string;
}

/** Inline code that survives backticks in the value. */
function code(text: string): string {
  const runs = text.match(/`+/g) ?? [];
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  return fence.length > 1 ? `${fence} ${text} ${fence}` : `\`${text}\``;
}

const cell = (text: string) => text.replace(/\|/g, '\\|');
const cut = (text: string, max = 300) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function headlineItem(h: Headline): string {
  const change =
    h.before !== undefined || h.after !== undefined
      ? `: ${code(cut(h.before ?? ''))} → ${code(cut(h.after ?? ''))}`
      : '';
  const alarm = h.alarm ? ` — :warning: **${h.alarm}**` : '';
  return `- **${h.topic}** ${code(h.object)} ${cut(h.what)}${change}${alarm}`;
}

interface Block {
  readonly open: readonly string[];
  readonly body: readonly string[];
  readonly close: readonly string[];
}

function detailsBlock(e: EnvironmentDiff): Block {
  const body = changeLines(e);
  const runs = body.join('\n').match(/`{3,}/g) ?? [];
  const fence = '`'.repeat(Math.max(2, ...runs.map((r) => r.length)) + 1);
  return {
    open: [`<details><summary>${e.env}: ${countsLine(e)}</summary>`, '', `${fence}text`],
    body,
    close: [fence, '', '</details>', ''],
  };
}

/**
 * The report as a pull-request comment: a table of the environments, the headlines of each changed one,
 * then one collapsed `<details>` per changed environment with its field-level changes. Never longer than
 * `maxChars`: what does not fit is cut, and the comment says so and where the full report is.
 */
export function formatMarkdown(envs: readonly EnvironmentDiff[], options: MarkdownOptions = {}): string {
  const max = options.maxChars ?? DEFAULT_MAX_CHARS;
  const changed = envs.filter((e) => e.status !== 'unchanged');
  const blocks: Block[] = [
    {
      open: [
        `### ${options.title ?? 'Plan diff'}: ${changed.length === 0 ? 'no change' : `${changed.map((e) => e.env).join(', ')} changed`}`,
        '',
        '| environment | changed | added | removed | headlines |',
        '|---|--:|--:|--:|---|',
        ...envs.map((e) =>
          e.status === 'unchanged'
            ? `| ${e.env} | | | | no change |`
            : `| ${e.env} | ${e.diff.changed.length} | ${e.diff.added.length} | ${e.diff.removed.length} | ${cell(
                e.status === 'changed' ? topicCounts(e.headlines) || '–' : countsLine(e),
              )} |`,
        ),
        '',
      ],
      body: [],
      close: [],
    },
    ...changed
      .filter((e) => e.headlines.length > 0)
      .map((e) => ({ open: [`**${e.env}**`, ''], body: e.headlines.map(headlineItem), close: [''] })),
    ...changed.map(detailsBlock),
  ];
  const where = options.artifactUrl
    ? `the full report: ${options.artifactUrl}`
    : 'the full report is the `plan-diff` artefact of this run';
  const note = (left: number) =>
    `> :scissors: **Cut to ${max} characters**: ${left} more line(s) not shown; ${where}.\n`;
  const reserve = note(999_999).length + 2;
  const out: string[] = [];
  let size = 0;
  const fits = (lines: readonly string[], extra = 0) =>
    size + lines.reduce((n, l) => n + l.length + 1, 0) + extra <= max - reserve;
  const push = (lines: readonly string[]) => {
    for (const l of lines) {
      out.push(l);
      size += l.length + 1;
    }
  };
  let left = 0;
  for (const b of blocks) {
    if (left > 0 || !fits([...b.open, ...b.close])) {
      left += b.open.length + b.body.length + b.close.length;
      continue;
    }
    push(b.open);
    const closing = b.close.reduce((n, l) => n + l.length + 1, 0);
    let i = 0;
    for (; i < b.body.length && fits([b.body[i] ?? ''], closing); i++) push([b.body[i] ?? '']);
    left += b.body.length - i;
    push(b.close);
  }
  const text = `${out.join('\n').trimEnd()}\n`;
  return left > 0 ? `${text}\n${note(left)}` : text;
}
