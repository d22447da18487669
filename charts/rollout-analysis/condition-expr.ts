/**
 * A documented subset of the `expr` language (github.com/expr-lang/expr) that Argo Rollouts evaluates a
 * metric's successCondition and failureCondition in (utils/evaluate/evaluate.go: EvalCondition), so the
 * conditions we render can be evaluated here exactly as written, against real query results.
 *
 * The subset:
 * - literals: numbers (`0.01`, `20`; no exponent), double-quoted strings (`"ready"`), `true`, `false`
 * - `result`, `result[N]` (N a non-negative integer), and the functions `len(x)`, `isNaN(x)`, `asFloat(x)`
 * - comparisons `<` `<=` `>` `>=` `==` `!=` (not chained), `!`, unary `-`, `&&`, `||`, parentheses
 * Precedence is expr's: `||` (10) < `&&` (15) < comparisons (20) < `!` (50) < unary `-` (90); `&&` and `||`
 * short-circuit, so `len(result) > 0 && result[0] < 1` never indexes an empty result. As in expr, indexing
 * past the end, `&&` on a non-boolean, comparing a number with a string or a non-boolean outcome are errors
 * (Argo then records the measurement as Error, not as Failed or Inconclusive). Comparisons follow IEEE 754
 * like Go: every comparison with NaN is false (and `!=` true).
 */

/** A measurement's value as a provider hands it to the condition: Prometheus gives number[] for a vector. */
export type ConditionResult = number | string | boolean | null | readonly ConditionResult[];

type CompareOp = '<' | '<=' | '>' | '>=' | '==' | '!=';
type FunctionName = 'len' | 'isNaN' | 'asFloat';

export type ConditionNode =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'result' }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'call'; readonly fn: FunctionName; readonly arg: ConditionNode }
  | { readonly kind: 'not'; readonly operand: ConditionNode }
  | { readonly kind: 'negate'; readonly operand: ConditionNode }
  | {
      readonly kind: 'compare';
      readonly op: CompareOp;
      readonly left: ConditionNode;
      readonly right: ConditionNode;
    }
  | { readonly kind: 'and' | 'or'; readonly left: ConditionNode; readonly right: ConditionNode };

export const SUPPORTED_CONDITION_SYNTAX =
  'numbers, "strings", true, false, result, result[N], len(), isNaN(), asFloat(), < <= > >= == !=, !, -, &&, ||, ( )';

const FUNCTIONS: readonly FunctionName[] = ['len', 'isNaN', 'asFloat'];
const COMPARE_OPS: readonly CompareOp[] = ['<=', '>=', '==', '!=', '<', '>'];
// expr keywords and operators with a subset spelling, for a helpful message.
const SPELLED: Readonly<Record<string, string>> = { and: '&&', or: '||', not: '!' };

type Token =
  | { readonly type: 'number'; readonly value: number; readonly at: number; readonly text: string }
  | { readonly type: 'string'; readonly value: string; readonly at: number; readonly text: string }
  | { readonly type: 'ident'; readonly value: string; readonly at: number; readonly text: string }
  | { readonly type: 'op'; readonly value: string; readonly at: number; readonly text: string }
  | { readonly type: 'end'; readonly at: number; readonly text: string };

export class ConditionSyntaxError extends Error {}
export class ConditionEvaluationError extends Error {}

function outside(text: string, what: string, at: number): ConditionSyntaxError {
  return new ConditionSyntaxError(
    `condition ${JSON.stringify(text)}: ${what} at position ${at} is outside the supported subset of Argo's expr ` +
      `(${SUPPORTED_CONDITION_SYNTAX})`,
  );
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charAt(i);
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = text.slice(i);
    const number = /^[0-9]+(\.[0-9]+)?/.exec(rest);
    if (number) {
      const after = rest.charAt(number[0].length);
      if (/[A-Za-z_.]/.test(after)) throw outside(text, `the number ${JSON.stringify(number[0] + after)}`, i);
      tokens.push({ type: 'number', value: Number(number[0]), at: i, text: number[0] });
      i += number[0].length;
      continue;
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
    if (ident) {
      tokens.push({ type: 'ident', value: ident[0], at: i, text: ident[0] });
      i += ident[0].length;
      continue;
    }
    if (c === '"') {
      let value = '';
      let j = i + 1;
      for (; j < text.length && text.charAt(j) !== '"'; j++) {
        if (text.charAt(j) === '\\') {
          const escaped = text.charAt(j + 1);
          if (escaped !== '"' && escaped !== '\\') throw outside(text, `the escape \\${escaped}`, j);
          value += escaped;
          j++;
        } else value += text.charAt(j);
      }
      if (j >= text.length) throw outside(text, 'an unterminated string', i);
      tokens.push({ type: 'string', value, at: i, text: text.slice(i, j + 1) });
      i = j + 1;
      continue;
    }
    const op = ['&&', '||', ...COMPARE_OPS, '!', '-', '(', ')', '[', ']', ','].find((o) =>
      rest.startsWith(o),
    );
    if (op === undefined) throw outside(text, `${JSON.stringify(c)}`, i);
    tokens.push({ type: 'op', value: op, at: i, text: op });
    i += op.length;
  }
  tokens.push({ type: 'end', at: text.length, text: 'the end' });
  return tokens;
}

class Parser {
  private position = 0;
  constructor(
    private readonly text: string,
    private readonly tokens: readonly Token[],
  ) {}

  private peek(): Token {
    return this.tokens[this.position] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.type !== 'end') this.position++;
    return token;
  }

  private isOp(value: string): boolean {
    const token = this.peek();
    return token.type === 'op' && token.value === value;
  }

  private expect(value: string): void {
    const token = this.next();
    if (token.type !== 'op' || token.value !== value) {
      throw new ConditionSyntaxError(
        `condition ${JSON.stringify(this.text)}: expected ${JSON.stringify(value)} at position ${token.at} (got ${token.text})`,
      );
    }
  }

  parse(): ConditionNode {
    const node = this.or();
    const token = this.peek();
    if (token.type === 'ident' && SPELLED[token.value] !== undefined) {
      throw outside(
        this.text,
        `the name ${JSON.stringify(token.value)}; write ${SPELLED[token.value]}`,
        token.at,
      );
    }
    if (token.type !== 'end') {
      throw new ConditionSyntaxError(
        `condition ${JSON.stringify(this.text)}: unexpected ${JSON.stringify(token.text)} at position ${token.at}`,
      );
    }
    return node;
  }

  private or(): ConditionNode {
    let left = this.and();
    while (this.isOp('||')) {
      this.next();
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): ConditionNode {
    let left = this.comparison();
    while (this.isOp('&&')) {
      this.next();
      left = { kind: 'and', left, right: this.comparison() };
    }
    return left;
  }

  private comparison(): ConditionNode {
    const left = this.unary();
    const token = this.peek();
    if (token.type !== 'op' || !(COMPARE_OPS as readonly string[]).includes(token.value)) return left;
    this.next();
    const right = this.unary();
    const after = this.peek();
    if (after.type === 'op' && (COMPARE_OPS as readonly string[]).includes(after.value)) {
      throw outside(this.text, `the chained comparison ${JSON.stringify(after.value)}`, after.at);
    }
    return { kind: 'compare', op: token.value as CompareOp, left, right };
  }

  private unary(): ConditionNode {
    if (this.isOp('!')) {
      this.next();
      return { kind: 'not', operand: this.unary() };
    }
    if (this.isOp('-')) {
      this.next();
      return { kind: 'negate', operand: this.unary() };
    }
    return this.primary();
  }

  private primary(): ConditionNode {
    const token = this.next();
    switch (token.type) {
      case 'number':
        return { kind: 'number', value: token.value };
      case 'string':
        return { kind: 'string', value: token.value };
      case 'ident':
        return this.identifier(token);
      case 'op':
        if (token.value === '(') {
          const inner = this.or();
          this.expect(')');
          return inner;
        }
        throw new ConditionSyntaxError(
          `condition ${JSON.stringify(this.text)}: unexpected ${JSON.stringify(token.value)} at position ${token.at}`,
        );
      case 'end':
        throw new ConditionSyntaxError(`condition ${JSON.stringify(this.text)}: unexpected end of condition`);
    }
  }

  private identifier(token: Token & { type: 'ident' }): ConditionNode {
    const name = token.value;
    if (name === 'true' || name === 'false') return { kind: 'bool', value: name === 'true' };
    if (name === 'result') {
      if (!this.isOp('[')) return { kind: 'result' };
      this.next();
      const index = this.next();
      if (index.type !== 'number' || !Number.isInteger(index.value)) {
        throw outside(
          this.text,
          `the index ${JSON.stringify(index.text)} (only result[N], N an integer >= 0)`,
          index.at,
        );
      }
      this.expect(']');
      if (this.isOp('[')) throw outside(this.text, 'a second index', this.peek().at);
      return { kind: 'index', index: index.value };
    }
    if ((FUNCTIONS as readonly string[]).includes(name)) {
      this.expect('(');
      const arg = this.or();
      if (this.isOp(',')) throw outside(this.text, `a second argument to ${name}`, this.peek().at);
      this.expect(')');
      return { kind: 'call', fn: name as FunctionName, arg };
    }
    const hint = SPELLED[name] !== undefined ? `; write ${SPELLED[name]}` : '';
    throw outside(this.text, `the name ${JSON.stringify(name)}${hint}`, token.at);
  }
}

/** Parses `text`, throwing a ConditionSyntaxError that quotes it and names what is outside the subset. */
export function parseCondition(text: string): ConditionNode {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new ConditionSyntaxError(`condition must be a non-empty string (got ${JSON.stringify(text)})`);
  }
  return new Parser(text, tokenize(text)).parse();
}

function typeName(value: ConditionResult): string {
  if (value === null) return 'nil';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'number' ? 'float64' : typeof value === 'string' ? 'string' : 'bool';
}

function evaluate(node: ConditionNode, result: ConditionResult, text: string): ConditionResult {
  const fail = (message: string) =>
    new ConditionEvaluationError(`condition ${JSON.stringify(text)}: ${message}`);
  const bool = (value: ConditionResult, what: string): boolean => {
    if (typeof value !== 'boolean') throw fail(`${what} must be bool (got ${typeName(value)})`);
    return value;
  };
  switch (node.kind) {
    case 'number':
    case 'string':
    case 'bool':
      return node.value;
    case 'result':
      return result;
    case 'index': {
      if (!Array.isArray(result)) throw fail(`cannot index ${typeName(result)} result`);
      const items = result as readonly ConditionResult[];
      if (node.index >= items.length) {
        throw fail(`index out of range: ${node.index} (array length is ${items.length})`);
      }
      return items[node.index] as ConditionResult;
    }
    case 'call': {
      const arg = evaluate(node.arg, result, text);
      if (node.fn === 'len') {
        if (Array.isArray(arg)) return (arg as readonly ConditionResult[]).length;
        if (typeof arg === 'string') return [...arg].length;
        throw fail(`invalid argument for len (type ${typeName(arg)})`);
      }
      if (node.fn === 'isNaN') {
        if (typeof arg !== 'number') throw fail(`isNaN needs a number (got ${typeName(arg)})`);
        return Number.isNaN(arg);
      }
      if (typeof arg === 'number') return arg;
      // Go's strconv.ParseFloat: the whole string must be a number.
      if (
        typeof arg === 'string' &&
        /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$|^[+-]?(inf|infinity|nan)$/i.test(arg)
      ) {
        const lower = arg.toLowerCase().replace(/^\+/, '');
        if (lower.endsWith('nan')) return NaN;
        if (lower.endsWith('inf') || lower.endsWith('infinity'))
          return lower.startsWith('-') ? -Infinity : Infinity;
        return Number(arg);
      }
      throw fail(`asFloat() not supported on ${typeName(arg)} ${JSON.stringify(arg)}`);
    }
    case 'not':
      return !bool(evaluate(node.operand, result, text), 'the operand of !');
    case 'negate': {
      const value = evaluate(node.operand, result, text);
      if (typeof value !== 'number') throw fail(`invalid operation: - (mismatched type ${typeName(value)})`);
      return -value;
    }
    case 'and':
      return bool(evaluate(node.left, result, text), 'the left of &&')
        ? bool(evaluate(node.right, result, text), 'the right of &&')
        : false;
    case 'or':
      return bool(evaluate(node.left, result, text), 'the left of ||')
        ? true
        : bool(evaluate(node.right, result, text), 'the right of ||');
    case 'compare': {
      const left = evaluate(node.left, result, text);
      const right = evaluate(node.right, result, text);
      const sameKind =
        (typeof left === 'number' && typeof right === 'number') ||
        (typeof left === 'string' && typeof right === 'string') ||
        (typeof left === 'boolean' && typeof right === 'boolean' && (node.op === '==' || node.op === '!='));
      if (!sameKind) {
        throw fail(
          `invalid operation: ${node.op} (mismatched types ${typeName(left)} and ${typeName(right)})`,
        );
      }
      const [l, r] = [left, right] as [number | string | boolean, number | string | boolean];
      switch (node.op) {
        case '<':
          return l < r;
        case '<=':
          return l <= r;
        case '>':
          return l > r;
        case '>=':
          return l >= r;
        case '==':
          return l === r;
        case '!=':
          return l !== r;
      }
    }
  }
}

/** Evaluates `text` (parsed first) with `result` bound as Argo binds it; the outcome must be a boolean. */
export function evaluateCondition(text: string, result: ConditionResult): boolean {
  const outcome = evaluate(parseCondition(text), result, text);
  if (typeof outcome !== 'boolean') {
    throw new ConditionEvaluationError(
      `condition ${JSON.stringify(text)}: expected bool, but got ${typeName(outcome)}`,
    );
  }
  return outcome;
}
