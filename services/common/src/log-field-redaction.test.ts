import { CENSOR, redactLogFields } from './log-field-redaction';

describe('redactLogFields (the REDACT_PATHS, by hand)', () => {
  it('censors sensitive keys at the top and one level down, and header objects two levels down', () => {
    const fields = {
      password: 'p1',
      token: 't1',
      user: { name: 'ada', secret: 's1', cookie: 'c1' },
      headers: { 'x-api-key': 'k1', accept: 'json' },
      req: { headers: { authorization: 'Bearer a1', 'set-cookie': 'sid=1', host: 'x' } },
      items: [{ password: 'kept: arrays are not walked, as with pino' }],
      status: 200,
    };
    expect(redactLogFields(fields)).toEqual({
      password: CENSOR,
      token: CENSOR,
      user: { name: 'ada', secret: CENSOR, cookie: CENSOR },
      headers: { 'x-api-key': CENSOR, accept: 'json' },
      req: { headers: { authorization: CENSOR, 'set-cookie': CENSOR, host: 'x' } },
      items: [{ password: 'kept: arrays are not walked, as with pino' }],
      status: 200,
    });
  });

  it("never changes the caller's objects, and returns the same object when nothing matches", () => {
    const inner = { authorization: 'Bearer a1' };
    const fields = { req: inner, method: 'GET' };
    const out = redactLogFields(fields);
    expect(out).toEqual({ req: { authorization: CENSOR }, method: 'GET' });
    expect(inner.authorization).toBe('Bearer a1');
    const clean = { method: 'GET', route: '/api/products/:id', status: 200 };
    expect(redactLogFields(clean)).toBe(clean);
  });

  it('keeps an error an error (message and stack) when it carries a sensitive property', () => {
    const err = Object.assign(new Error('login failed'), { password: 'hunter22' });
    const out = redactLogFields({ err }).err;
    expect(out).toBeInstanceOf(Error);
    expect([out.message, out.stack === err.stack, out.password]).toEqual(['login failed', true, CENSOR]);
    expect(err.password).toBe('hunter22');
  });
});
