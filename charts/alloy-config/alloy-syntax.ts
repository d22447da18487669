/**
 * A small writer for Alloy's configuration syntax (formerly River): blocks, attributes and values built as
 * data and printed in one place, so quoting and indentation cannot drift between components.
 */

/** An expression printed verbatim: a component reference or a stdlib call, e.g. `sys.env("HOSTNAME")`. */
export class AlloyExpr {
  constructor(readonly text: string) {}
}

export type AlloyValue =
  string | number | boolean | AlloyExpr | readonly AlloyValue[] | { readonly [key: string]: AlloyValue };

export interface AlloyAttribute {
  readonly attr: string;
  readonly value: AlloyValue;
}

export interface AlloyBlock {
  /** Dotted block name, e.g. `loki.process` or `stage.json`. */
  readonly block: string;
  /** The component label (`loki.process "pods"`); nested blocks have none. */
  readonly label?: string;
  readonly body: readonly AlloyStatement[];
}

/** A `//` comment line before the next statement: says why, in the rendered config itself. */
export interface AlloyComment {
  readonly comment: string;
}

export type AlloyStatement = AlloyAttribute | AlloyBlock | AlloyComment;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const INDENT = '  ';

export function expr(text: string): AlloyExpr {
  return new AlloyExpr(text);
}

export function attr(name: string, value: AlloyValue): AlloyAttribute {
  return { attr: name, value };
}

export function comment(text: string): AlloyComment {
  return { comment: text };
}

export function block(name: string, body: readonly AlloyStatement[], label?: string): AlloyBlock {
  return label === undefined ? { block: name, body } : { block: name, label, body };
}

/** A double-quoted Alloy string; its escapes are Go's, which JSON's are a subset of. */
export function quote(text: string): string {
  return JSON.stringify(text);
}

function isBlock(statement: AlloyStatement): statement is AlloyBlock {
  return 'block' in statement;
}

function isAttribute(statement: AlloyStatement): statement is AlloyAttribute {
  return 'attr' in statement;
}

function isScalar(value: AlloyValue): boolean {
  return typeof value !== 'object' || value instanceof AlloyExpr;
}

function printValue(value: AlloyValue, depth: number): string {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot render non-finite number ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  if (value instanceof AlloyExpr) return value.text;
  const pad = INDENT.repeat(depth + 1);
  const close = INDENT.repeat(depth);
  if (Array.isArray(value)) {
    const items = value as readonly AlloyValue[];
    if (items.length === 0) return '[]';
    if (items.every(isScalar)) return `[${items.map((v) => printValue(v, depth)).join(', ')}]`;
    return `[\n${items.map((v) => `${pad}${printValue(v, depth + 1)},\n`).join('')}${close}]`;
  }
  const entries = Object.entries(value as { readonly [key: string]: AlloyValue });
  if (entries.length === 0) return '{}';
  const keys = entries.map(([k]) => (IDENTIFIER.test(k) ? k : quote(k)));
  const width = Math.max(...keys.map((k) => k.length));
  const lines = entries.map(
    ([, v], i) => `${pad}${(keys[i] ?? '').padEnd(width)} = ${printValue(v, depth + 1)},\n`,
  );
  return `{\n${lines.join('')}${close}}`;
}

function printBody(body: readonly AlloyStatement[], depth: number): string {
  const pad = INDENT.repeat(depth);
  const out: string[] = [];
  let previous: 'none' | 'block' | 'attr' | 'comment' = 'none';
  let i = 0;
  while (i < body.length) {
    const statement = body[i];
    if (statement === undefined) break;
    if (!isAttribute(statement)) {
      // A blank line between groups, none between a comment and what it explains.
      if (previous !== 'none' && previous !== 'comment') out.push('\n');
      if (isBlock(statement)) {
        out.push(printBlock(statement, depth));
        previous = 'block';
      } else {
        if (/[\r\n]/.test(statement.comment)) throw new Error('a comment must be one line');
        out.push(`${pad}// ${statement.comment}\n`);
        previous = 'comment';
      }
      i += 1;
      continue;
    }
    // A run of attributes: `=` aligned, as `alloy fmt` does.
    const run: AlloyAttribute[] = [];
    for (let s = body[i]; s !== undefined && isAttribute(s); s = body[++i]) run.push(s);
    const width = Math.max(...run.map((a) => a.attr.length));
    if (previous === 'block') out.push('\n');
    for (const a of run) {
      if (!IDENTIFIER.test(a.attr)) throw new Error(`attribute name ${quote(a.attr)} is not an identifier`);
      out.push(`${pad}${a.attr.padEnd(width)} = ${printValue(a.value, depth)}\n`);
    }
    previous = 'attr';
  }
  return out.join('');
}

function printBlock(b: AlloyBlock, depth: number): string {
  const pad = INDENT.repeat(depth);
  const header = b.label === undefined ? b.block : `${b.block} ${quote(b.label)}`;
  if (b.body.length === 0) return `${pad}${header} { }\n`;
  return `${pad}${header} {\n${printBody(b.body, depth + 1)}${pad}}\n`;
}

/** Prints top-level statements (components, separated by a blank line). */
export function printAlloy(statements: readonly AlloyStatement[]): string {
  return printBody(statements, 0);
}
