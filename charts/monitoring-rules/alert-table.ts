import { ALERTS } from './alert-catalogue';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/**
 * The README's alert table, generated from ALERTS so names, severities and anchors never drift: each row
 * starts with the anchor runbook_url points at.
 */
export function alertTableMarkdown(): string {
  const rows = ALERTS.map(
    (a) =>
      `| <a id="alert-${a.name.toLowerCase()}"></a>\`${a.name}\` | ${a.severity} | ${cell(a.meaning)} | ${cell(a.firstCheck)} |`,
  );
  return (
    ['| Alert | Severity | Meaning | First thing to check |', '| --- | --- | --- | --- |', ...rows].join(
      '\n',
    ) + '\n'
  );
}
