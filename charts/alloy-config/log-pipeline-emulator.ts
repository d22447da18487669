import type { AlloyExpression, ParsedBlock, ParsedStatement } from './alloy-parser';
import { parseAlloy } from './alloy-parser';

/**
 * Runs log lines through the rendered config's own `discovery.relabel` rules and `loki.process` stages, read
 * from the parsed text (not from the TypeScript that rendered it), with the semantics of Alloy v1 / Prometheus
 * relabelling for the subset the config uses. Anything outside that subset throws, so a new stage cannot pass
 * the tests unexamined. Regular expressions are RE2 in Alloy and JavaScript here: the config only uses syntax
 * both read alike.
 */

export type Labels = Readonly<Record<string, string>>;

export interface ProcessedEntry {
  readonly dropped: boolean;
  readonly labels: Labels;
  readonly structuredMetadata: Labels;
  readonly line: string;
}

type Extracted = Record<string, unknown>;

function literal(expression: AlloyExpression, where: string): unknown {
  switch (expression.kind) {
    case 'string':
    case 'number':
    case 'bool':
      return expression.value;
    case 'array':
      return expression.items.map((item) => literal(item, where));
    case 'object':
      return Object.fromEntries(expression.entries.map((e) => [e.key, literal(e.value, where)]));
    default:
      throw new Error(`${where}: the emulator only reads literal values (got ${expression.kind})`);
  }
}

function attributes(block: ParsedBlock): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of block.body) {
    if (s.kind === 'attribute') out[s.name] = literal(s.value, `${block.name}.${s.name}`);
  }
  return out;
}

function stringAttr(attrs: Record<string, unknown>, name: string, fallback: string): string {
  const value = attrs[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'string') throw new Error(`${name} must be a string`);
  return value;
}

function stringMap(attrs: Record<string, unknown>, name: string): Record<string, string> {
  const value = attrs[name] ?? {};
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`${name} must be a map`);
  return value as Record<string, string>;
}

/** Loki's getString: how an extracted value reads as text (Go's FormatFloat(v, 'f', -1) for numbers). */
function asString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Prometheus `$1` / `${1}` / `$name` expansion of a replacement against a match. */
function expand(replacement: string, match: RegExpExecArray): string {
  return replacement.replace(
    /\$(?:\{(\w+)\}|(\w+))/g,
    (_, braced: string | undefined, bare: string | undefined) => {
      const ref = braced ?? bare ?? '';
      const value = /^\d+$/.test(ref) ? match[Number(ref)] : match.groups?.[ref];
      return value ?? '';
    },
  );
}

/** One relabel rule; returns undefined when the target is dropped. */
function relabel(rule: ParsedBlock, labels: Record<string, string>): Record<string, string> | undefined {
  const a = attributes(rule);
  const sources = (a.source_labels as string[] | undefined) ?? [];
  const separator = stringAttr(a, 'separator', ';');
  const regex = new RegExp(`^(?:${stringAttr(a, 'regex', '(.*)')})$`);
  const action = stringAttr(a, 'action', 'replace');
  const value = sources.map((s) => labels[s] ?? '').join(separator);
  const match = regex.exec(value);
  switch (action) {
    case 'keep':
      return match ? labels : undefined;
    case 'drop':
      return match ? undefined : labels;
    case 'replace': {
      if (!match) return labels;
      const target = stringAttr(a, 'target_label', '');
      const result = expand(stringAttr(a, 'replacement', '$1'), match);
      const next = { ...labels };
      if (result === '') delete next[target];
      else next[target] = result;
      return next;
    }
    default:
      throw new Error(`relabel action ${action} is not emulated`);
  }
}

/** A JMESPath expression of plain field names (`a`, `a.b`); the config uses nothing else. */
function jmesPath(document: unknown, path: string): unknown {
  if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(path)) {
    throw new Error(`JMESPath ${JSON.stringify(path)} is beyond the emulator's plain field paths`);
  }
  let current: unknown = document;
  for (const field of path.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[field];
  }
  return current;
}

/**
 * The Go text/template subset the level mapping uses: `{{ if eq .Value "a" "b" }}x{{ else if … }}y{{ else }}z
 * {{ end }}` and `{{ .Value }}`. Go's multi-argument eq is true when the first argument equals any other; a
 * missing value equals nothing.
 */
function runTemplate(template: string, value: string | undefined): string {
  const parts = template.split(/(\{\{.*?\}\})/).filter((p) => p !== '');
  let out = '';
  // Stack of: are we emitting in this branch, has a branch of this if already been taken.
  const stack: { emitting: boolean; taken: boolean; parentEmitting: boolean }[] = [];
  const emitting = (): boolean => stack.every((s) => s.emitting);
  const condition = (args: string): boolean => {
    const m = /^eq \.Value((?: "[^"]*")+)$/.exec(args.trim());
    if (!m) throw new Error(`template condition ${JSON.stringify(args)} is not emulated`);
    const options = [...(m[1] ?? '').matchAll(/"([^"]*)"/g)].map((x) => x[1]);
    return value !== undefined && options.includes(value);
  };
  for (const part of parts) {
    const action = /^\{\{-?\s*(.*?)\s*-?\}\}$/.exec(part)?.[1];
    if (action === undefined) {
      if (emitting()) out += part;
    } else if (action.startsWith('if ')) {
      const parentEmitting = emitting();
      const truth = condition(action.slice(3));
      stack.push({ emitting: truth, taken: truth, parentEmitting });
    } else if (action.startsWith('else if ')) {
      const top = stack[stack.length - 1];
      if (!top) throw new Error('else without if');
      const truth = !top.taken && condition(action.slice(8));
      top.emitting = truth;
      top.taken ||= truth;
    } else if (action === 'else') {
      const top = stack[stack.length - 1];
      if (!top) throw new Error('else without if');
      top.emitting = !top.taken;
      top.taken = true;
    } else if (action === 'end') {
      if (!stack.pop()) throw new Error('end without if');
    } else if (action === '.Value') {
      if (emitting()) out += value ?? '<no value>';
    } else {
      throw new Error(`template action ${JSON.stringify(action)} is not emulated`);
    }
  }
  if (stack.length > 0) throw new Error('unterminated if in template');
  return out;
}

function runStage(
  stage: ParsedBlock,
  entry: {
    labels: Record<string, string>;
    metadata: Record<string, string>;
    line: string;
    extracted: Extracted;
  },
): boolean {
  const a = attributes(stage);
  switch (stage.name) {
    case 'stage.json': {
      let document: unknown;
      try {
        document = JSON.parse(entry.line);
      } catch {
        return true; // not JSON: Alloy logs at debug and passes the line on unchanged
      }
      for (const [key, expression] of Object.entries(stringMap(a, 'expressions'))) {
        const value = jmesPath(document, expression === '' ? key : expression);
        if (value !== undefined && value !== null) entry.extracted[key] = value;
      }
      return true;
    }
    case 'stage.drop': {
      const expression = stringAttr(a, 'expression', '');
      const exact = a.value as string | undefined;
      const source = stringAttr(a, 'source', '');
      let input: string;
      if (source === '') {
        input = entry.line;
      } else {
        const names = source.split(',').map((n) => n.trim());
        // A source missing from the extracted map means the line is not dropped.
        if (names.some((n) => !(n in entry.extracted))) return true;
        input = names.map((n) => asString(entry.extracted[n])).join(stringAttr(a, 'separator', ';'));
      }
      if (exact !== undefined) return input !== exact;
      return !(expression !== '' && new RegExp(expression).test(input));
    }
    case 'stage.template': {
      const source = stringAttr(a, 'source', '');
      const current = source in entry.extracted ? asString(entry.extracted[source]) : undefined;
      const result = runTemplate(stringAttr(a, 'template', ''), current);
      if (result === '') delete entry.extracted[source];
      else entry.extracted[source] = result;
      return true;
    }
    case 'stage.labels':
    case 'stage.structured_metadata': {
      const target = stage.name === 'stage.labels' ? entry.labels : entry.metadata;
      for (const [key, from] of Object.entries(stringMap(a, 'values'))) {
        const name = from === '' ? key : from;
        if (name in entry.extracted) target[key] = asString(entry.extracted[name]);
      }
      return true;
    }
    case 'stage.label_drop': {
      for (const name of (a.values as string[] | undefined) ?? []) delete entry.labels[name];
      return true;
    }
    default:
      throw new Error(`${stage.name} is not emulated`);
  }
}

function component(statements: readonly ParsedStatement[], name: string): ParsedBlock {
  const found = statements.filter((s): s is ParsedBlock => s.kind === 'block' && s.name === name);
  if (found.length !== 1 || !found[0]) throw new Error(`expected exactly one ${name} in the config`);
  return found[0];
}

export class LogPipelineEmulator {
  private readonly rules: readonly ParsedBlock[];
  private readonly stages: readonly ParsedBlock[];

  constructor(configText: string) {
    const statements = parseAlloy(configText);
    this.rules = component(statements, 'discovery.relabel').body.filter(
      (s): s is ParsedBlock => s.kind === 'block' && s.name === 'rule',
    );
    this.stages = component(statements, 'loki.process').body.filter(
      (s): s is ParsedBlock => s.kind === 'block',
    );
  }

  /**
   * A discovered pod target through `discovery.relabel`, then what `loki.source.kubernetes` attaches to its
   * entries (every label not starting with `__`). Undefined when the target is dropped.
   */
  targetLabels(discovered: Labels): Labels | undefined {
    let labels: Record<string, string> | undefined = { ...discovered };
    for (const rule of this.rules) {
      labels = relabel(rule, labels);
      if (!labels) return undefined;
    }
    return Object.fromEntries(Object.entries(labels).filter(([k]) => !k.startsWith('__')));
  }

  /** One log line of a target through the `loki.process` stages, in order. */
  process(labels: Labels, line: string): ProcessedEntry {
    // Alloy starts each entry's extracted map with its labels.
    const entry = { labels: { ...labels }, metadata: {}, line, extracted: { ...labels } as Extracted };
    for (const stage of this.stages) {
      if (!runStage(stage, entry)) {
        return { dropped: true, labels: entry.labels, structuredMetadata: entry.metadata, line };
      }
    }
    return { dropped: false, labels: entry.labels, structuredMetadata: entry.metadata, line: entry.line };
  }
}
