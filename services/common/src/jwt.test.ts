import { randomUUID } from 'node:crypto';
import { Router } from 'express';
import { createApp } from './app';
import { loadConfig } from './config';
import { signHs256 } from './hs256';
import type { Role } from './jwt';
import {
  ROLES,
  UnauthorizedError,
  getAuth,
  requireAuth,
  requireRole,
  signAccessToken,
  verifyAccessToken,
} from './jwt';
import { createLogger } from './logger';
import type { RunningService } from './server';
import { start } from './server';

const JWT = { secret: 'jwt-test-secret-of-at-least-32-bytes!!', issuer: 'platform' };
const USER = randomUUID();
const NOW_MS = Date.parse('2026-05-01T12:00:00Z');
const NOW = NOW_MS / 1000;

/** A token with exactly these claims, signed with the test key (for shapes signAccessToken cannot produce). */
const raw = (claims: Record<string, unknown>) =>
  signHs256(
    { sub: USER, email: 'ada@example.com', iss: JWT.issuer, iat: NOW, exp: NOW + 600, ...claims },
    JWT.secret,
  );
const verify = (token: string, options: { clockSkewSeconds?: number } = {}) =>
  verifyAccessToken(token, { ...JWT, ...options, now: NOW_MS });

describe('access token claims', () => {
  it('carries the roles it was signed with, once each and in the order of ROLES', () => {
    const token = signAccessToken(
      { sub: USER, email: 'ada@example.com', roles: ['analyst', 'admin', 'analyst'] },
      { ...JWT, ttlSeconds: 600, now: NOW_MS },
    );
    expect(verify(token)).toEqual({
      sub: USER,
      email: 'ada@example.com',
      iss: 'platform',
      iat: NOW,
      exp: NOW + 600,
      roles: ['admin', 'analyst'],
    });
  });

  it('reads a token issued without a roles claim as holding no roles', () => {
    expect(verify(raw({})).roles).toEqual([]);
  });

  it.each([
    ['an unknown role', { roles: ['admin', 'superuser'] }],
    ['roles that are not a list', { roles: 'admin' }],
    ['a null roles claim', { roles: null }],
    ['a subject that is not a user id', { sub: 'user-1' }],
    ['a numeric subject', { sub: 42 }],
    ['an unexpired expiry at the issue time', { iat: NOW + 30, exp: NOW + 30 }],
    ['an unexpired expiry before the issue time', { iat: NOW + 50, exp: NOW + 20 }],
    ['a non-numeric nbf', { nbf: 'soon' }],
    ['another issuer', { iss: 'elsewhere' }],
    ['no email', { email: undefined }],
  ])('refuses %s as an invalid token', (_what, claims) => {
    expect(() => verify(raw(claims))).toThrow(new UnauthorizedError('Invalid token'));
  });

  it('refuses a token issued further in the future than the clock skew (60 s by default)', () => {
    expect(verify(raw({ iat: NOW + 60, exp: NOW + 660 })).iat).toBe(NOW + 60);
    expect(() => verify(raw({ iat: NOW + 61, exp: NOW + 661 }))).toThrow(
      new UnauthorizedError('Token not yet valid'),
    );
  });

  it('refuses a token whose nbf is beyond the clock skew, and accepts one within it', () => {
    expect(verify(raw({ nbf: NOW + 30 })).sub).toBe(USER);
    expect(() => verify(raw({ nbf: NOW + 61 }))).toThrow(new UnauthorizedError('Token not yet valid'));
  });

  it('takes the clock skew from the options', () => {
    expect(() => verify(raw({ nbf: NOW + 30 }), { clockSkewSeconds: 10 })).toThrow(
      new UnauthorizedError('Token not yet valid'),
    );
    expect(verify(raw({ iat: NOW + 100, exp: NOW + 700 }), { clockSkewSeconds: 120 }).sub).toBe(USER);
  });

  it('refuses an expired token, and one expiring right now, as expired even when exp is before iat', () => {
    expect(() => verify(raw({ iat: NOW - 600, exp: NOW }))).toThrow(new UnauthorizedError('Token expired'));
    expect(() => verify(raw({ iat: NOW, exp: NOW - 10 }))).toThrow(new UnauthorizedError('Token expired'));
    expect(verify(raw({ iat: NOW - 600, exp: NOW + 1 })).sub).toBe(USER);
  });

  it('refuses a token whose roles were edited after signing', () => {
    const token = signAccessToken({ sub: USER, email: 'ada@example.com' }, { ...JWT, ttlSeconds: 600 });
    const [header, payload, sig] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const edited = Buffer.from(JSON.stringify({ ...claims, roles: ['admin'] })).toString('base64url');
    expect(() => verifyAccessToken(`${header}.${edited}.${sig}`, JWT)).toThrow(
      new UnauthorizedError('Invalid token'),
    );
  });
});

describe('requireAuth and requireRole over HTTP', () => {
  let running: RunningService;
  let seenByHandler: string[];

  beforeAll(async () => {
    const config = loadConfig({ env: { SERVICE_NAME: 'demo', LOG_LEVEL: 'silent' } });
    const routes = () => {
      const router = Router();
      const auth = requireAuth(JWT);
      router.get('/me', auth, (_req, res) => {
        seenByHandler.push(getAuth(res).sub);
        res.json(getAuth(res));
      });
      router.get('/catalog', auth, requireRole('catalog-manager'), (_req, res) => res.json({ ok: true }));
      router.get('/reports', auth, requireRole('analyst', 'admin'), (_req, res) => res.json({ ok: true }));
      // A route that forgot requireAuth: requireRole must still refuse.
      router.get('/forgot-auth', requireRole('admin'), (_req, res) => res.json({ ok: true }));
      return router;
    };
    running = await start(createApp({ config, logger: createLogger(config), routes }), {
      port: 0,
      host: '127.0.0.1',
      idleDrainMs: 0,
    });
  });
  beforeEach(() => {
    seenByHandler = [];
  });
  afterAll(async () => {
    await running.shutdown('test done');
  });

  const token = (roles: Role[], options: { secret?: string; now?: number; sub?: string } = {}) =>
    signAccessToken(
      { sub: options.sub ?? USER, email: 'ada@example.com', roles },
      { ...JWT, ttlSeconds: 600, ...options },
    );
  const get = (path: string, bearer?: string) =>
    fetch(
      `${running.url}${path}`,
      bearer === undefined ? {} : { headers: { authorization: `Bearer ${bearer}` } },
    );

  it('answers 401 for a token whose sub is not a user id, before the handler runs', async () => {
    const res = await get('/me', token([], { sub: '../../admin' }));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'unauthorized', message: 'Invalid token' });
    expect(seenByHandler).toEqual([]);
  });

  it('answers 401 for a token issued in the future', async () => {
    const res = await get('/me', token([], { now: Date.now() + 5 * 60_000 }));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'unauthorized', message: 'Token not yet valid' });
    expect(seenByHandler).toEqual([]);
  });

  it('lets a holder of the role through', async () => {
    expect((await get('/catalog', token(['catalog-manager']))).status).toBe(200);
    expect((await get('/reports', token(['analyst']))).status).toBe(200);
    expect((await get('/reports', token(['admin']))).status).toBe(200);
  });

  it('answers 403 naming the role needed when the token lacks it, admin included', async () => {
    const res = await get('/catalog', token(['admin', 'analyst']));
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({
      error: 'forbidden',
      message: 'This request needs the role "catalog-manager"',
    });
    const either = await get('/reports', token(['catalog-manager']));
    expect(await either.json()).toMatchObject({
      message: 'This request needs one of the roles "analyst", "admin"',
    });
  });

  it('answers 401 without a token, with a forged or expired one, and when requireAuth was left out', async () => {
    const all = [...ROLES];
    for (const res of [
      await get('/catalog'),
      await get('/catalog', token(all, { secret: 'another-key-of-at-least-thirty-two-bytes' })),
      await get('/catalog', token(all, { now: Date.now() - 3_600_000 })),
      await get('/forgot-auth', token(all)),
    ]) {
      expect(res.status).toBe(401);
    }
  });
});
