/**
 * Metric names a PromQL expression reads. A small lexer, not a parser: string literals, label matchers,
 * grouping label lists, ranges and offsets are removed first; what is left is an identifier (a metric), a
 * function or aggregation (followed by `(`, or an aggregation keyword followed by by/without), a keyword,
 * or a number. Grafana variables must be substituted before (substituteGrafanaVariables).
 */

const AGGREGATIONS = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'group',
  'stddev',
  'stdvar',
  'count',
  'count_values',
  'bottomk',
  'topk',
  'quantile',
  'limitk',
  'limit_ratio',
]);
const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'bool',
  'and',
  'or',
  'unless',
  'atan2',
  'inf',
  'nan',
]);

export function metricNames(expr: string): string[] {
  let text = expr
    // Strings (label values, label_replace arguments) first: they may contain anything, braces included.
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    // Comments.
    .replace(/#[^\n]*/g, ' ')
    // Label matchers: the identifier before them stays.
    .replace(/\{[^}]*\}/g, ' ')
    // Ranges and subqueries, [5m] and [30m:1m].
    .replace(/\[[^\]]*\]/g, ' ')
    // offset 5m, @ 1700000000 / @ start().
    .replace(/\boffset\s+-?[0-9a-z]+/gi, ' ')
    .replace(/@\s*(?:start\(\)|end\(\)|[0-9.]+)/g, ' ');
  // Label lists of by/without/on/ignoring/group_left/group_right: label names, not metrics.
  text = text.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/gi, '$1 ');

  const names = new Set<string>();
  const token = /([0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?|0x[0-9a-f]+)|([a-zA-Z_:][a-zA-Z0-9_:]*)/gi;
  for (let match = token.exec(text); match !== null; match = token.exec(text)) {
    const ident = match[2];
    if (ident === undefined) continue; // a number
    // An identifier glued to a number is part of it (1e3 handled above; this catches e.g. 2h leftovers).
    const before = text[match.index - 1];
    if (before !== undefined && /[0-9.]/.test(before)) continue;
    const rest = text.slice(token.lastIndex);
    const lower = ident.toLowerCase();
    if (KEYWORDS.has(lower)) continue;
    if (/^\s*\(/.test(rest)) continue; // a function or an aggregation call
    if (AGGREGATIONS.has(lower) && /^\s*(by|without)\b/i.test(rest)) continue; // sum by (...) (...)
    names.add(ident);
  }
  return [...names].sort();
}

/** Concrete stand-ins for Grafana's variables, so an expression can be parsed by Prometheus. */
export const GRAFANA_BUILTINS: Readonly<Record<string, string>> = {
  __rate_interval: '2m',
  __interval: '1m',
  __range: '6h',
  __range_s: '21600',
  __range_ms: '21600000',
  __interval_ms: '60000',
};

/**
 * Replaces `$__rate_interval`, `$__range`, ... with durations and every other `$var` / `${var}` /
 * `${var:format}` / `[[var]]` with `value` (inside label values, where dashboard variables go).
 */
export function substituteGrafanaVariables(expr: string, value = 'sample'): string {
  const lookup = (name: string) => GRAFANA_BUILTINS[name] ?? value;
  return expr
    .replace(/\$\{([a-zA-Z_][a-zA-Z0-9_]*)(?::[a-zA-Z0-9_]+)?\}/g, (_all, name: string) => lookup(name))
    .replace(/\[\[([a-zA-Z_][a-zA-Z0-9_]*)\]\]/g, (_all, name: string) => lookup(name))
    .replace(/\$([a-zA-Z_][a-zA-Z0-9_]*)/g, (_all, name: string) => lookup(name));
}
