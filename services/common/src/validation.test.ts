import { z } from 'zod';
import { ValidationError } from './errors';
import { intString, parseInput } from './validation';

function detailsOf(run: () => unknown): ValidationError['details'] {
  try {
    run();
  } catch (err) {
    if (err instanceof ValidationError) return err.details;
    throw err;
  }
  throw new Error('expected a ValidationError');
}

const schema = z
  .object({
    name: z.string().min(2),
    price: z.int().min(0),
    kind: z.enum(['a', 'b']),
    tags: z.array(z.object({ label: z.string().max(3) })).optional(),
  })
  .strict();

describe('parseInput', () => {
  it('returns the parsed value when the input is valid', () => {
    expect(parseInput(schema, { name: 'ab', price: 0, kind: 'a' })).toEqual({
      name: 'ab',
      price: 0,
      kind: 'a',
    });
  });

  it('names each bad field with a dotted path, what is allowed and what was received', () => {
    const details = detailsOf(() =>
      parseInput(schema, { name: 'x', price: 1.5, kind: 'c', tags: [{ label: 'long' }], extra: 1 }),
    );
    expect(details).toEqual([
      { field: 'name', message: 'must have at least 2 characters (got "x")' },
      { field: 'price', message: 'must be an integer (got 1.5)' },
      { field: 'kind', message: 'must be one of "a", "b" (got "c")' },
      { field: 'tags.0.label', message: 'must have at most 3 characters (got "long")' },
      { field: 'extra', message: 'is not an allowed field' },
    ]);
  });

  it('reports missing fields as required and wrong types by name', () => {
    const details = detailsOf(() => parseInput(schema, { price: '5' }));
    expect(details).toEqual([
      { field: 'name', message: 'is required' },
      { field: 'price', message: 'must be a number (got "5")' },
      { field: 'kind', message: 'is required' },
    ]);
  });

  it('uses the root name when the whole input is wrong', () => {
    expect(detailsOf(() => parseInput(schema, undefined))).toEqual([
      { field: 'body', message: 'is required' },
    ]);
    expect(detailsOf(() => parseInput(schema, [1], 'query'))).toEqual([
      { field: 'query', message: 'must be an object (got an array)' },
    ]);
  });

  it('builds a message that summarises all problems', () => {
    try {
      parseInput(schema, { name: 'ok', price: -1, kind: 'a' });
      throw new Error('expected a ValidationError');
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).status).toBe(400);
      expect((err as ValidationError).message).toBe('price must be >= 0 (got -1)');
    }
  });
});

describe('intString', () => {
  it('accepts plain integers within the range', () => {
    expect(intString(1, 10).parse('7')).toBe(7);
    expect(intString(-5, 5).parse('-5')).toBe(-5);
  });

  it.each(['', 'abc', '1e2', '0x1', '2.5', ' 3', '11', '0'])('rejects %j', (value) => {
    expect(intString(1, 10).safeParse(value).success).toBe(false);
  });
});
