import { ValidationError } from './errors';
import { TEXT_CHARACTER_MESSAGE, findRefusedCharacter, text } from './text';
import { parseInput } from './validation';
import { z } from 'zod';

const line = z.object({ name: text({ max: 10 }) }).strict();
const body = z.object({ body: text({ max: 20, multiline: true }) }).strict();

function detailsOf(schema: z.ZodType, input: unknown): ValidationError['details'] {
  try {
    parseInput(schema, input);
  } catch (err) {
    if (err instanceof ValidationError) return err.details;
    throw err;
  }
  throw new Error('expected a ValidationError');
}

const refused = (found: string) => [{ field: 'name', message: `${TEXT_CHARACTER_MESSAGE} (found ${found})` }];

describe('text', () => {
  it.each([
    ['a NUL', 'a\u0000b', 'U+0000 at character 2'],
    ['a bell', 'x\u0007', 'U+0007 at character 2'],
    ['a line feed in a single-line field', 'a\nb', 'U+000A at character 2'],
    ['a tab in a single-line field', 'a\tb', 'U+0009 at character 2'],
    ['a carriage return', 'a\rb', 'U+000D at character 2'],
    ['DEL', 'a\u007f', 'U+007F at character 2'],
    ['a C1 control', '\u0085a', 'U+0085 at character 1'],
    ['a right-to-left override', 'abc\u202Etxt', 'U+202E at character 4'],
    ['a left-to-right embedding', '\u202Aa', 'U+202A at character 1'],
    ['a pop directional formatting', 'a\u202C', 'U+202C at character 2'],
    ['a first-strong isolate', 'a\u2068b', 'U+2068 at character 2'],
    ['a pop directional isolate', 'a\u2069', 'U+2069 at character 2'],
    ['a right-to-left mark', 'a\u200F', 'U+200F at character 2'],
    ['an Arabic letter mark', 'a\u061C', 'U+061C at character 2'],
    ['a zero-width space', 'ad\u200Bmin', 'U+200B at character 3'],
    ['a word joiner', 'a\u2060', 'U+2060 at character 2'],
    ['a byte order mark', '\uFEFFabc', 'U+FEFF at character 1'],
    ['a soft hyphen', 'ad\u00ADmin', 'U+00AD at character 3'],
    ['a line separator', 'a\u2028b', 'U+2028 at character 2'],
    ['a Hangul filler (an invisible name)', '\u3164', 'U+3164 at character 1'],
    ['a tag character outside a flag', 'hi\u{E0041}', 'U+E0041 at character 3'],
    ['a noncharacter', 'a\uFFFF', 'U+FFFF at character 2'],
    ['a lone high surrogate', 'ab\uD800', 'an unpaired surrogate U+D800 at character 3'],
    ['a lone low surrogate', '\uDC00ab', 'an unpaired surrogate U+DC00 at character 1'],
    ['reversed surrogates', 'a\uDE00\uD83D', 'an unpaired surrogate U+DE00 at character 2'],
  ])('refuses %s, naming the character and not echoing it', (_what, value, found) => {
    const details = detailsOf(line, { name: value });
    expect(details).toEqual(refused(found));
    expect(JSON.stringify(details)).not.toContain(value);
  });

  it('stores the NFC form: a decomposed "é" becomes the composed one, and counts as one character', () => {
    const decomposed = 'Caf\u0065\u0301'; // "Café" as e + combining acute accent
    expect(decomposed).toHaveLength(5);
    const { name } = parseInput(line, { name: decomposed });
    expect(name).toBe('Caf\u00E9');
    expect(name).toHaveLength(4);
    expect(parseInput(line, { name: 'Å'.normalize('NFD').repeat(10) }).name).toBe('\u00C5'.repeat(10));
  });

  it('accepts what people really type: accents, CJK, RTL scripts, emoji with joiners and flags', () => {
    for (const value of [
      'Zoë Ōtani',
      '東京タワー',
      'مرحبا بكم',
      'שלום',
      'می‌خواهم', // Persian with a zero-width non-joiner
      '👩‍💻 dev', // woman technologist: ZWJ sequence
      '🏴󠁧󠁢󠁳󠁣󠁴󠁿 flag', // Scotland: black flag + tags + cancel tag
      '❤️ ok', // with variation selector 16
    ]) {
      expect(parseInput(body, { body: value }).body).toBe(value.normalize('NFC'));
    }
  });

  it('trims, refuses blank text and counts length in characters after normalising', () => {
    expect(parseInput(line, { name: '😀'.repeat(10) }).name).toHaveLength(20);
    expect(parseInput(line, { name: '  Ada  ' }).name).toBe('Ada');
    expect(detailsOf(line, { name: '   ' })).toEqual([
      { field: 'name', message: 'must not be blank (got "")' },
    ]);
    expect(detailsOf(line, { name: 'x'.repeat(11) })).toEqual([
      { field: 'name', message: 'must have at most 10 characters (got "xxxxxxxxxxx")' },
    ]);
    expect(detailsOf(line, { name: 42 })).toEqual([{ field: 'name', message: 'must be a string (got 42)' }]);
    const optionalEmpty = z.object({ d: text({ max: 5, min: 0 }) });
    expect(parseInput(optionalEmpty, { d: ' ' })).toEqual({ d: '' });
  });

  it('lets multiline text have line feeds and tabs, storing CR LF and CR as LF', () => {
    expect(parseInput(body, { body: 'Hi,\r\n\tthanks\rbye\n' }).body).toBe('Hi,\n\tthanks\nbye');
    expect(detailsOf(body, { body: 'a\u0000\nb' })).toEqual([
      { field: 'body', message: `${TEXT_CHARACTER_MESSAGE} (found U+0000 at character 2)` },
    ]);
    expect(detailsOf(body, { body: 'a\u202Eb' })).toEqual([
      { field: 'body', message: `${TEXT_CHARACTER_MESSAGE} (found U+202E at character 2)` },
    ]);
  });

  it('composes with a format check piped after it', () => {
    const sku = z.object({
      sku: text({ max: 8 }).pipe(z.string().regex(/^[A-Z]+$/, { error: 'must be A-Z' })),
    });
    expect(parseInput(sku, { sku: ' ABC ' })).toEqual({ sku: 'ABC' });
    expect(detailsOf(sku, { sku: 'AB\u202EC' })).toEqual([
      { field: 'sku', message: `${TEXT_CHARACTER_MESSAGE} (found U+202E at character 3)` },
    ]);
    expect(detailsOf(sku, { sku: 'abc' })).toEqual([{ field: 'sku', message: 'must be A-Z (got "abc")' }]);
  });
});

describe('findRefusedCharacter', () => {
  it('finds nothing in plain text and reports positions in characters, not UTF-16 units', () => {
    expect(findRefusedCharacter('plain text, 100% ok!')).toBeUndefined();
    expect(findRefusedCharacter('😀😀\u202E')).toBe('U+202E at character 3');
  });
});
