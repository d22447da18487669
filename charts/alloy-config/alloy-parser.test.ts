import { AlloySyntaxError, parseAlloy } from './alloy-parser';
import type { ParsedBlock, ParsedStatement } from './alloy-parser';

const SAMPLE = `
// a line comment
/* a block
   comment */
logging {
  level = "info" // trailing comment
}

discovery.kubernetes "pods" {
  role = "pod"
  selectors {
    role  = "pod"
    field = "spec.nodeName=" + sys.env("HOSTNAME")
  }
}

loki.process "p" {
  forward_to = [loki.write.w.receiver, loki.write.other.receiver]
  stage.json {
    expressions = {
      level        = "",
      "request-id" = "\\"x-request-id\\"",
    }
  }
  stage.template {
    source   = "m"
    template = \`{{ .Value }}\\n\`
  }
  limits = { rate = 1.5e3, burst = 10, on = true, off = false, none = null, neg = -2 }
  escapes = "tab\\tnl\\nq\\"bs\\\\u\\u00e9"
  nested = [[1, 2], { a = [3] }]
  picked = some.list[0].field
}
`;

function block(statements: readonly ParsedStatement[], name: string): ParsedBlock {
  const found = statements.find((s): s is ParsedBlock => s.kind === 'block' && s.name === name);
  if (!found) throw new Error(`no block ${name}`);
  return found;
}

describe('parseAlloy', () => {
  it('turns blocks, labels, attributes and every value kind into a tree', () => {
    const tree = parseAlloy(SAMPLE);
    expect(tree.map((s) => [s.kind, s.name, s.kind === 'block' ? s.label : undefined])).toEqual([
      ['block', 'logging', undefined],
      ['block', 'discovery.kubernetes', 'pods'],
      ['block', 'loki.process', 'p'],
    ]);

    const selectors = block(block(tree, 'discovery.kubernetes').body, 'selectors');
    expect(selectors.body[1]).toMatchObject({
      kind: 'attribute',
      name: 'field',
      value: {
        kind: 'binary',
        op: '+',
        left: { kind: 'string', value: 'spec.nodeName=' },
        right: {
          kind: 'call',
          callee: { kind: 'access', object: { kind: 'ident', name: 'sys' }, field: 'env' },
          args: [{ kind: 'string', value: 'HOSTNAME' }],
        },
      },
    });

    const process = block(tree, 'loki.process').body;
    const value = (name: string): unknown => process.find((s) => s.name === name && s.kind === 'attribute');
    expect(value('forward_to')).toMatchObject({
      value: { kind: 'array', items: [{ kind: 'access', field: 'receiver' }, { kind: 'access' }] },
    });
    expect(block(process, 'stage.json').body[0]).toMatchObject({
      value: {
        kind: 'object',
        entries: [
          { key: 'level', value: { kind: 'string', value: '' } },
          { key: 'request-id', value: { kind: 'string', value: '"x-request-id"' } },
        ],
      },
    });
    // Raw strings keep backslashes as written.
    expect(block(process, 'stage.template').body[1]).toMatchObject({
      value: { kind: 'string', value: '{{ .Value }}\\n' },
    });
    expect(value('limits')).toMatchObject({
      value: {
        entries: [
          { key: 'rate', value: { kind: 'number', value: 1500 } },
          { key: 'burst', value: { kind: 'number', value: 10 } },
          { key: 'on', value: { kind: 'bool', value: true } },
          { key: 'off', value: { kind: 'bool', value: false } },
          { key: 'none', value: { kind: 'null' } },
          { key: 'neg', value: { kind: 'unary', op: '-', operand: { kind: 'number', value: 2 } } },
        ],
      },
    });
    expect(value('escapes')).toMatchObject({ value: { kind: 'string', value: 'tab\tnl\nq"bs\\u\u00e9' } });
    expect(value('nested')).toMatchObject({
      value: { kind: 'array', items: [{ kind: 'array' }, { kind: 'object' }] },
    });
    expect(value('picked')).toMatchObject({
      value: {
        kind: 'access',
        field: 'field',
        object: { kind: 'index', index: { kind: 'number', value: 0 } },
      },
    });
  });

  it('binds * tighter than + and && tighter than ||', () => {
    const [a] = parseAlloy('x = 1 + 2 * 3 || a && b\n');
    expect(a).toMatchObject({
      value: {
        op: '||',
        left: { op: '+', left: { value: 1 }, right: { op: '*' } },
        right: { op: '&&' },
      },
    });
  });

  it.each([
    ['a missing closing brace', 'loki.write "w" {\n  endpoint {\n    url = "x"\n  }\n', /missing "}"/],
    ['a stray closing brace', 'loki.write "w" {\n}\n}\n', /expected an attribute or block name, got }/],
    ['an unterminated string', 'a = "abc\n', /1:5: unterminated string/],
    ['a string running to the end of input', 'a = "abc', /unterminated string/],
    ['an unterminated raw string', 'a = `abc\n', /unterminated raw string/],
    ['an unknown escape', 'a = "\\q"\n', /unknown escape sequence \\q/],
    ['a bad unicode escape', 'a = "\\u12"\n', /invalid \\u escape/],
    ['two attributes on one line', 'b { a = 1 c = 2 }\n', /line break between statements/],
    ['a missing comma before a line break', 'a = {\n  x = 1\n}\n', /missing "," before the line break/],
    ['a missing comma between items', 'a = [1 2]\n', /expected "," or "]"/],
    ['an attribute set twice', 'b {\n  a = 1\n  a = 2\n}\n', /attribute a is set twice/],
    ['a duplicate object key', 'a = { x = 1, x = 2 }\n', /duplicate object key "x"/],
    [
      'a block label that is not a string',
      'loki.write w {\n}\n',
      /expected "{" to open block loki.write, got w/,
    ],
    ['a missing value', 'a = \n', /expected a value/],
    ['a malformed number', 'a = 12abc\n', /malformed number/],
    ['an unterminated block comment', '/* never closed\na = 1\n', /unterminated block comment/],
    ['an unclosed array', 'a = [1, 2\n', /expected "," or "\]", got <end of input>/],
    ['an unexpected character', 'a = 1 ; b = 2\n', /unexpected character ";"/],
  ])('rejects %s', (_, source, message) => {
    expect(() => parseAlloy(source)).toThrow(AlloySyntaxError);
    expect(() => parseAlloy(source)).toThrow(message);
  });

  it('accepts an empty block, a one-line array and an empty file', () => {
    expect(parseAlloy('')).toEqual([]);
    expect(parseAlloy('stage.decolorize { }\nx = [1, 2,]\n')).toHaveLength(2);
  });
});
