import { createHmac } from 'node:crypto';
import { UnauthorizedError, signHs256, verifyHs256 } from './hs256';

const SECRET = 'a-test-secret-that-is-at-least-32-bytes-long';
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const signWith = (input: string, secret: string) =>
  createHmac('sha256', secret).update(input).digest('base64url');

describe('HS256 compact JWS', () => {
  it('round-trips the payload it signed', () => {
    const payload = { sub: 'x', n: 3, nested: { ok: true } };
    expect(verifyHs256(signHs256(payload, SECRET), SECRET)).toEqual(payload);
  });

  it('refuses a token signed with another key', () => {
    const token = signHs256({ sub: 'x' }, `${SECRET}-other`);
    expect(() => verifyHs256(token, SECRET)).toThrow(new UnauthorizedError('Invalid token'));
  });

  it('refuses a token whose payload was changed after signing', () => {
    const [header, , sig] = signHs256({ sub: 'x' }, SECRET).split('.');
    const forged = `${header}.${b64({ sub: 'admin' })}.${sig}`;
    expect(() => verifyHs256(forged, SECRET)).toThrow(new UnauthorizedError('Invalid token'));
  });

  it.each([
    ['alg none', { alg: 'none', typ: 'JWT' }],
    ['another algorithm', { alg: 'HS512', typ: 'JWT' }],
    ['no alg', { typ: 'JWT' }],
  ])('refuses a header with %s even when the HMAC matches', (_name, header) => {
    const input = `${b64(header)}.${b64({ sub: 'x' })}`;
    expect(() => verifyHs256(`${input}.${signWith(input, SECRET)}`, SECRET)).toThrow(
      new UnauthorizedError('Unsupported token'),
    );
  });

  it.each([
    ['two parts', 'a.b'],
    ['four parts', 'a.b.c.d'],
    ['non-JSON parts', 'not-json.not-json.sig'],
  ])('refuses a malformed token (%s)', (_name, token) => {
    expect(() => verifyHs256(token, SECRET)).toThrow(new UnauthorizedError('Malformed token'));
  });

  it('refuses a validly signed payload that is not a JSON object', () => {
    const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(['sub'])}`;
    expect(() => verifyHs256(`${input}.${signWith(input, SECRET)}`, SECRET)).toThrow(
      new UnauthorizedError('Invalid token'),
    );
  });

  it('refuses keys shorter than 32 bytes for signing and verifying', () => {
    expect(() => signHs256({}, 'short')).toThrow(/at least 32 bytes/);
    expect(() => verifyHs256(signHs256({}, SECRET), 'short')).toThrow(/at least 32 bytes/);
  });
});
