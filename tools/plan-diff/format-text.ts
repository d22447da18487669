import type { EnvironmentDiff } from './env-diff';
import { changeLines, countsLine, headlineText, topicCounts } from './format-lines';

/** The report for a terminal: one summary line per environment, then each changed one in full. */
export function formatText(envs: readonly EnvironmentDiff[], title = 'plan diff'): string {
  const width = Math.max(0, ...envs.map((e) => e.env.length));
  const lines = [`${title}:`];
  for (const e of envs) {
    const topics = topicCounts(e.headlines);
    lines.push(`  ${e.env.padEnd(width)}  ${countsLine(e)}${topics ? `; headlines: ${topics}` : ''}`);
  }
  for (const e of envs.filter((x) => x.status !== 'unchanged')) {
    lines.push('', `${e.env}: ${countsLine(e)}`);
    if (e.headlines.length > 0) {
      lines.push('  headlines:', ...e.headlines.map((h) => `    ${headlineText(h)}`));
    }
    lines.push('  changes:', ...changeLines(e).map((l) => `    ${l}`));
  }
  return `${lines.join('\n')}\n`;
}
