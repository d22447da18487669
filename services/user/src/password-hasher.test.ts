import { DEFAULT_SCRYPT_PARAMS, hashPassword, verifyPassword } from './password-hasher';

const PASSWORD = 'correct horse battery staple';

describe('hashPassword / verifyPassword', () => {
  let stored: string;
  beforeAll(async () => {
    stored = await hashPassword(PASSWORD);
  });

  it('verifies the password it hashed', async () => {
    expect(await verifyPassword(PASSWORD, stored)).toBe(true);
  });

  it('rejects a wrong password, including one differing only in case or by a trailing space', async () => {
    expect(await verifyPassword('correct horse battery stapl', stored)).toBe(false);
    expect(await verifyPassword(PASSWORD.toUpperCase(), stored)).toBe(false);
    expect(await verifyPassword(`${PASSWORD} `, stored)).toBe(false);
  });

  it('stores the algorithm, N, r, p, a 16-byte salt and a 32-byte key, and never the password', () => {
    const [algorithm, n, r, p, salt, key, ...rest] = stored.split('$');
    expect({ algorithm, n, r, p, rest }).toEqual({
      algorithm: 'scrypt',
      n: '32768',
      r: '8',
      p: '1',
      rest: [],
    });
    expect(Buffer.from(salt ?? '', 'base64')).toHaveLength(16);
    expect(Buffer.from(key ?? '', 'base64')).toHaveLength(32);
    expect(stored).not.toContain(PASSWORD);
    expect(DEFAULT_SCRYPT_PARAMS).toEqual({ N: 2 ** 15, r: 8, p: 1 });
  });

  it('salts every hash, so equal passwords give different hashes', async () => {
    const again = await hashPassword(PASSWORD);
    expect(again).not.toBe(stored);
    expect(again.split('$')[4]).not.toBe(stored.split('$')[4]);
    expect(await verifyPassword(PASSWORD, again)).toBe(true);
  });

  it('verifies with the parameters stored in the hash, not the current defaults', async () => {
    const cheaper = await hashPassword(PASSWORD, { N: 2 ** 14, r: 8, p: 1 });
    expect(cheaper.startsWith('scrypt$16384$8$1$')).toBe(true);
    expect(await verifyPassword(PASSWORD, cheaper)).toBe(true);
  });

  it('treats composed and decomposed accents as the same password', async () => {
    const composed = await hashPassword('caf\u00e9 au lait, s\u2019il vous pla\u00eet');
    expect(await verifyPassword('cafe\u0301 au lait, s\u2019il vous pla\u00eet', composed)).toBe(true);
  });

  const replacePart = (index: number, value: string) => {
    const parts = stored.split('$');
    parts[index] = value;
    return parts.join('$');
  };

  describe('a tampered stored hash never matches', () => {
    const flipFirstChar = (text: string) => `${text[0] === 'A' ? 'B' : 'A'}${text.slice(1)}`;

    it.each([
      ['a changed key', () => replacePart(5, flipFirstChar(stored.split('$')[5] ?? ''))],
      ['a changed salt', () => replacePart(4, flipFirstChar(stored.split('$')[4] ?? ''))],
      ['a changed N', () => replacePart(1, '16384')],
      ['a changed r', () => replacePart(2, '9')],
      ['a truncated key', () => replacePart(5, (stored.split('$')[5] ?? '').slice(0, 20))],
    ])('%s', async (_what, tamper) => {
      expect(await verifyPassword(PASSWORD, tamper())).toBe(false);
    });
  });

  describe('a malformed or out-of-range stored hash never matches (and never throws)', () => {
    it.each([
      ['an empty string', () => ''],
      ['another algorithm', () => stored.replace(/^scrypt/, 'bcrypt')],
      ['N not a power of two', () => replacePart(1, '30000')],
      ['N large enough to exhaust memory', () => replacePart(1, String(2 ** 30))],
      ['r out of range', () => replacePart(2, '1000')],
      ['a non-numeric p', () => replacePart(3, 'x')],
      ['a salt that is not base64', () => replacePart(4, 'not base64!')],
      ['an extra field', () => `${stored}$extra`],
    ])('%s', async (_what, malformed) => {
      expect(await verifyPassword(PASSWORD, malformed())).toBe(false);
    });
  });
});
