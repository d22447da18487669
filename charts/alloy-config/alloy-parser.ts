/**
 * A parser for Alloy's configuration syntax (formerly River), strict where Alloy is: blocks with optional
 * string labels, one attribute or block per line, strings with Go escapes, numbers, bools, null, arrays,
 * objects (comma-separated, trailing comma required before a line break), identifiers and field access
 * (`discovery.kubernetes.pods.targets`), calls (`sys.env("HOSTNAME")`), indexing, unary and binary operators,
 * `//` and `/* *\/` comments. No Alloy binary is available to the tests, so this is what proves the rendered
 * text is well-formed.
 */

export type AlloyExpression =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'null' }
  | { readonly kind: 'ident'; readonly name: string }
  | { readonly kind: 'access'; readonly object: AlloyExpression; readonly field: string }
  | { readonly kind: 'index'; readonly object: AlloyExpression; readonly index: AlloyExpression }
  | { readonly kind: 'call'; readonly callee: AlloyExpression; readonly args: readonly AlloyExpression[] }
  | { readonly kind: 'array'; readonly items: readonly AlloyExpression[] }
  | {
      readonly kind: 'object';
      readonly entries: readonly { readonly key: string; readonly value: AlloyExpression }[];
    }
  | { readonly kind: 'unary'; readonly op: string; readonly operand: AlloyExpression }
  | {
      readonly kind: 'binary';
      readonly op: string;
      readonly left: AlloyExpression;
      readonly right: AlloyExpression;
    };

export interface ParsedAttribute {
  readonly kind: 'attribute';
  readonly name: string;
  readonly value: AlloyExpression;
  readonly line: number;
}

export interface ParsedBlock {
  readonly kind: 'block';
  /** Dotted name, e.g. `loki.process`. */
  readonly name: string;
  readonly label?: string;
  readonly body: readonly ParsedStatement[];
  readonly line: number;
}

export type ParsedStatement = ParsedAttribute | ParsedBlock;

export class AlloySyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${line}:${column}: ${message}`);
    this.name = 'AlloySyntaxError';
  }
}

type TokenType = 'ident' | 'string' | 'number' | 'punct' | 'eof';

interface Token {
  readonly type: TokenType;
  readonly text: string;
  /** The decoded value of a string token. */
  readonly value: string;
  readonly line: number;
  readonly column: number;
  /** A line break (or the start of input) lies between this token and the previous one. */
  readonly newlineBefore: boolean;
}

const PUNCTUATION = [
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  '=',
  ',',
  '.',
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  '<',
  '>',
  '!',
];
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
};

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let line = 1;
  let lineStart = 0;
  let newline = true;

  const error = (message: string, at = pos): never => {
    throw new AlloySyntaxError(message, line, at - lineStart + 1);
  };

  while (pos < source.length) {
    const ch = source[pos] ?? '';
    if (ch === '\n') {
      pos += 1;
      line += 1;
      lineStart = pos;
      newline = true;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      pos += 1;
      continue;
    }
    if (source.startsWith('//', pos)) {
      while (pos < source.length && source[pos] !== '\n') pos += 1;
      continue;
    }
    if (source.startsWith('/*', pos)) {
      const end = source.indexOf('*/', pos + 2);
      if (end < 0) error('unterminated block comment');
      for (let i = pos; i < end; i += 1) {
        if (source[i] === '\n') {
          line += 1;
          lineStart = i + 1;
          newline = true;
        }
      }
      pos = end + 2;
      continue;
    }
    const start = pos;
    const column = pos - lineStart + 1;
    const push = (type: TokenType, text: string, value = text): void => {
      tokens.push({ type, text, value, line, column, newlineBefore: newline });
      newline = false;
    };

    if (/[A-Za-z_]/.test(ch)) {
      while (pos < source.length && /[A-Za-z0-9_]/.test(source[pos] ?? '')) pos += 1;
      push('ident', source.slice(start, pos));
      continue;
    }
    if (/[0-9]/.test(ch)) {
      const match = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(source.slice(pos));
      const text = match?.[0] ?? ch;
      pos += text.length;
      if (/[A-Za-z_]/.test(source[pos] ?? '')) error(`malformed number ${text}${source[pos] ?? ''}`);
      push('number', text);
      continue;
    }
    if (ch === '"') {
      pos += 1;
      let value = '';
      for (;;) {
        const c = source[pos];
        if (c === undefined || c === '\n') error('unterminated string', start);
        if (c === '"') {
          pos += 1;
          break;
        }
        if (c !== '\\') {
          value += c;
          pos += 1;
          continue;
        }
        const e = source[pos + 1] ?? '';
        const simple = SIMPLE_ESCAPES[e];
        if (simple !== undefined) {
          value += simple;
          pos += 2;
          continue;
        }
        const hex = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
        if (hex > 0) {
          const digits = source.slice(pos + 2, pos + 2 + hex);
          if (!new RegExp(`^[0-9A-Fa-f]{${hex}}$`).test(digits)) error(`invalid \\${e} escape`, pos);
          value += String.fromCodePoint(parseInt(digits, 16));
          pos += 2 + hex;
          continue;
        }
        const octal = source.slice(pos + 1, pos + 4);
        if (/^[0-7]{3}$/.test(octal)) {
          value += String.fromCharCode(parseInt(octal, 8));
          pos += 4;
          continue;
        }
        error(`unknown escape sequence \\${e}`, pos);
      }
      push('string', source.slice(start, pos), value);
      continue;
    }
    if (ch === '`') {
      const end = source.indexOf('`', pos + 1);
      if (end < 0) error('unterminated raw string');
      const value = source.slice(pos + 1, end);
      push('string', source.slice(start, end + 1), value);
      for (let i = pos; i < end; i += 1) {
        if (source[i] === '\n') {
          line += 1;
          lineStart = i + 1;
        }
      }
      pos = end + 1;
      continue;
    }
    const punct = PUNCTUATION.find((p) => source.startsWith(p, pos));
    if (punct === undefined) error(`unexpected character ${JSON.stringify(ch)}`);
    pos += (punct ?? '').length;
    push('punct', punct ?? '');
  }
  tokens.push({
    type: 'eof',
    text: '<end of input>',
    value: '',
    line,
    column: pos - lineStart + 1,
    newlineBefore: true,
  });
  return tokens;
}

const BINARY_PRECEDENCE: Readonly<Record<string, number>> = {
  '||': 1,
  '&&': 2,
  '==': 3,
  '!=': 3,
  '<': 3,
  '<=': 3,
  '>': 3,
  '>=': 3,
  '+': 4,
  '-': 4,
  '*': 5,
  '/': 5,
  '%': 5,
  '^': 6,
};

class Parser {
  private pos = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  private peek(offset = 0): Token {
    const last = this.tokens[this.tokens.length - 1];
    if (last === undefined) throw new Error('no tokens');
    return this.tokens[this.pos + offset] ?? last;
  }

  private next(): Token {
    const token = this.peek();
    if (token.type !== 'eof') this.pos += 1;
    return token;
  }

  private fail(token: Token, message: string): never {
    throw new AlloySyntaxError(message, token.line, token.column);
  }

  private isPunct(text: string, token = this.peek()): boolean {
    return token.type === 'punct' && token.text === text;
  }

  private expectPunct(text: string, context: string): Token {
    const token = this.next();
    if (!this.isPunct(text, token)) this.fail(token, `expected "${text}" ${context}, got ${token.text}`);
    return token;
  }

  parseFile(): ParsedStatement[] {
    const body = this.parseBody('eof');
    return body;
  }

  /** Statements until `}` (in a block) or the end of input. */
  private parseBody(until: '}' | 'eof'): ParsedStatement[] {
    const body: ParsedStatement[] = [];
    for (;;) {
      const token = this.peek();
      if (until === 'eof' && token.type === 'eof') return body;
      if (until === '}' && this.isPunct('}')) return body;
      if (token.type === 'eof') this.fail(token, 'unexpected end of input: missing "}"');
      if (body.length > 0 && !token.newlineBefore)
        this.fail(token, 'expected a line break between statements');
      const statement = this.parseStatement();
      if (
        statement.kind === 'attribute' &&
        body.some((s) => s.kind === 'attribute' && s.name === statement.name)
      ) {
        this.fail(token, `attribute ${statement.name} is set twice`);
      }
      body.push(statement);
    }
  }

  private parseStatement(): ParsedStatement {
    const first = this.next();
    if (first.type !== 'ident') this.fail(first, `expected an attribute or block name, got ${first.text}`);
    if (this.isPunct('=')) {
      this.next();
      return { kind: 'attribute', name: first.text, value: this.parseExpression(0), line: first.line };
    }
    const parts = [first.text];
    while (this.isPunct('.')) {
      this.next();
      const part = this.next();
      if (part.type !== 'ident')
        this.fail(part, `expected a name after "." in a block name, got ${part.text}`);
      parts.push(part.text);
    }
    let label: string | undefined;
    if (this.peek().type === 'string') label = this.next().value;
    this.expectPunct('{', `to open block ${parts.join('.')}`);
    const body = this.parseBody('}');
    this.expectPunct('}', `to close block ${parts.join('.')}`);
    const name = parts.join('.');
    return label === undefined
      ? { kind: 'block', name, body, line: first.line }
      : { kind: 'block', name, label, body, line: first.line };
  }

  private parseExpression(minPrecedence: number): AlloyExpression {
    let left = this.parseUnary();
    for (;;) {
      const token = this.peek();
      const precedence = token.type === 'punct' ? BINARY_PRECEDENCE[token.text] : undefined;
      if (precedence === undefined || precedence <= minPrecedence) return left;
      this.next();
      // `^` is right-associative, the rest left-associative.
      const right = this.parseExpression(token.text === '^' ? precedence - 1 : precedence);
      left = { kind: 'binary', op: token.text, left, right };
    }
  }

  private parseUnary(): AlloyExpression {
    if (this.isPunct('!') || this.isPunct('-')) {
      const op = this.next().text;
      return { kind: 'unary', op, operand: this.parseUnary() };
    }
    return this.parsePostfix(this.parsePrimary());
  }

  private parsePostfix(expression: AlloyExpression): AlloyExpression {
    let current = expression;
    for (;;) {
      if (this.isPunct('.')) {
        this.next();
        const field = this.next();
        if (field.type !== 'ident') this.fail(field, `expected a field name after ".", got ${field.text}`);
        current = { kind: 'access', object: current, field: field.text };
      } else if (this.isPunct('[') && !this.peek().newlineBefore) {
        this.next();
        const index = this.parseExpression(0);
        this.expectPunct(']', 'to close an index');
        current = { kind: 'index', object: current, index };
      } else if (this.isPunct('(') && !this.peek().newlineBefore) {
        this.next();
        const args = this.parseList(')', () => this.parseExpression(0));
        current = { kind: 'call', callee: current, args };
      } else {
        return current;
      }
    }
  }

  /** Comma-separated items up to `close`; Alloy wants a trailing comma when `close` is on its own line. */
  private parseList<T>(close: string, item: () => T): T[] {
    const items: T[] = [];
    for (;;) {
      if (this.isPunct(close)) {
        const token = this.next();
        if (items.length > 0 && token.newlineBefore && !this.isPunct(',', this.tokens[this.pos - 2])) {
          this.fail(token, `missing "," before the line break before "${close}"`);
        }
        return items;
      }
      if (this.peek().type === 'eof') this.fail(this.peek(), `unexpected end of input: missing "${close}"`);
      items.push(item());
      if (this.isPunct(',')) {
        this.next();
      } else if (!this.isPunct(close)) {
        this.fail(this.peek(), `expected "," or "${close}", got ${this.peek().text}`);
      }
    }
  }

  private parsePrimary(): AlloyExpression {
    const token = this.next();
    switch (token.type) {
      case 'string':
        return { kind: 'string', value: token.value };
      case 'number':
        return { kind: 'number', value: Number(token.text) };
      case 'ident':
        if (token.text === 'true' || token.text === 'false')
          return { kind: 'bool', value: token.text === 'true' };
        if (token.text === 'null') return { kind: 'null' };
        return { kind: 'ident', name: token.text };
      case 'punct':
        if (token.text === '[')
          return { kind: 'array', items: this.parseList(']', () => this.parseExpression(0)) };
        if (token.text === '{') {
          const entries = this.parseList('}', () => {
            const key = this.next();
            if (key.type !== 'ident' && key.type !== 'string') {
              this.fail(key, `expected an object key, got ${key.text}`);
            }
            this.expectPunct('=', `after object key ${key.text}`);
            return { key: key.type === 'string' ? key.value : key.text, value: this.parseExpression(0) };
          });
          const keys = entries.map((e) => e.key);
          const duplicate = keys.find((k, i) => keys.indexOf(k) !== i);
          if (duplicate !== undefined) this.fail(token, `duplicate object key ${JSON.stringify(duplicate)}`);
          return { kind: 'object', entries };
        }
        if (token.text === '(') {
          const inner = this.parseExpression(0);
          this.expectPunct(')', 'to close a parenthesis');
          return inner;
        }
        return this.fail(token, `expected a value, got ${token.text}`);
      case 'eof':
        return this.fail(token, 'expected a value, got the end of input');
    }
  }
}

/** Parses Alloy configuration text into statements; throws AlloySyntaxError with line:column. */
export function parseAlloy(source: string): ParsedStatement[] {
  return new Parser(tokenize(source)).parseFile();
}
