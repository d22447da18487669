import { Router } from 'express';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { signHs256 } from './hs256';
import { signAccessToken } from './jwt';
import { createLogger } from './logger';
import type { RunningService } from './server';
import { start } from './server';
import type { ServiceKeys } from './service-auth';
import {
  SERVICE_TOKEN_HEADER,
  ServiceTokenIssuer,
  getServiceCaller,
  requireServiceCaller,
  serviceKeyVariable,
  serviceKeysFromEnv,
  signServiceToken,
  verifyServiceToken,
} from './service-auth';

const ORDER_KEY = 'order-service-key-of-at-least-32-bytes!!';
const OLD_ORDER_KEY = 'the-previous-order-key-of-32-bytes-or-more';
const BILLING_KEY = 'billing-service-key-of-at-least-32-bytes';
const NOW = Date.UTC(2026, 2, 10, 12, 0, 0);
const keys: ServiceKeys = new Map([
  ['order', [ORDER_KEY]],
  ['billing', [BILLING_KEY]],
]);

const verify = (token: string, now = NOW) => verifyServiceToken(token, { audience: 'product', keys, now });
const orderToken = (options: { audience?: string; now?: number; ttlSeconds?: number; key?: string } = {}) =>
  signServiceToken({ caller: 'order', audience: options.audience ?? 'product' }, options.key ?? ORDER_KEY, {
    now: options.now ?? NOW,
    ...(options.ttlSeconds !== undefined && { ttlSeconds: options.ttlSeconds }),
  });

describe('verifyServiceToken', () => {
  it('accepts a token of a known caller for us and returns its claims', () => {
    const iat = Math.floor(NOW / 1000);
    expect(verify(orderToken())).toEqual({ iss: 'order', aud: 'product', iat, exp: iat + 60 });
  });

  it.each([
    ['another audience', () => orderToken({ audience: 'user' }), 'Service token is for another service'],
    ['an expired token', () => orderToken({ now: NOW - 61_000 }), 'Service token expired'],
    ['a token issued in the future', () => orderToken({ now: NOW + 120_000 }), 'Service token not yet valid'],
    ['a lifetime over 300 s', () => orderToken({ ttlSeconds: 301 }), 'Service token lives longer than 300 s'],
    [
      'an unknown caller',
      () => signServiceToken({ caller: 'gateway', audience: 'product' }, ORDER_KEY, { now: NOW }),
      'Unknown calling service',
    ],
    [
      'a forged signature (the right caller, another key)',
      () => orderToken({ key: 'an-attacker-chosen-key-of-32-bytes-long' }),
      'Invalid service token',
    ],
    [
      "another caller's key (billing signing as order)",
      () => orderToken({ key: BILLING_KEY }),
      'Invalid service token',
    ],
    [
      'a user access token',
      () =>
        signAccessToken(
          { sub: '6b1d7c1e-0f55-4c0e-9d0a-3c2f1b4a5e60', email: 'a@example.com', roles: ['admin'] },
          { secret: ORDER_KEY, issuer: 'platform', ttlSeconds: 60, now: NOW },
        ),
      'Unknown calling service',
    ],
    [
      'an alg=none token',
      () =>
        `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(
          JSON.stringify({ iss: 'order', aud: 'product', iat: NOW / 1000, exp: NOW / 1000 + 60 }),
        ).toString('base64url')}.x`,
      'Invalid service token',
    ],
    [
      'a token without exp',
      () => signHs256({ iss: 'order', aud: 'product', iat: NOW / 1000 }, ORDER_KEY),
      'Invalid service token',
    ],
    ['garbage', () => 'not a token', 'Malformed service token'],
  ])('refuses %s with 401', (_what, token, message) => {
    expect(() => verify(token())).toThrow(expect.objectContaining({ status: 401, message }));
  });

  it('allows 60 s of clock skew for iat', () => {
    expect(verify(orderToken({ now: NOW + 59_000 })).iss).toBe('order');
  });

  it('accepts the previous key during a rotation, and nothing else', () => {
    const rotating: ServiceKeys = new Map([['order', [ORDER_KEY, OLD_ORDER_KEY]]]);
    const old = orderToken({ key: OLD_ORDER_KEY });
    expect(verifyServiceToken(old, { audience: 'product', keys: rotating, now: NOW }).iss).toBe('order');
    expect(() => verify(old)).toThrow('Invalid service token');
  });
});

describe('ServiceTokenIssuer', () => {
  it('reuses a token for up to half its lifetime, then signs a new one, per audience', () => {
    let now = NOW;
    const issuer = new ServiceTokenIssuer({ caller: 'order', key: ORDER_KEY, now: () => now });
    const first = issuer.token('product');
    now += 29_000;
    expect(issuer.token('product')).toBe(first);
    expect(issuer.token('user')).not.toBe(first);
    now += 1_000;
    const second = issuer.token('product');
    expect(second).not.toBe(first);
    expect(verify(second, now).iat).toBe(Math.floor(now / 1000));
  });

  it('refuses a short key and a lifetime callees would refuse', () => {
    expect(() => new ServiceTokenIssuer({ caller: 'order', key: 'short' })).toThrow('at least 32 bytes');
    expect(() => new ServiceTokenIssuer({ caller: 'order', key: ORDER_KEY, ttlSeconds: 301 })).toThrow(
      'ttlSeconds must be an integer 2-300',
    );
  });
});

describe('serviceKeysFromEnv', () => {
  it('accepts exactly the callers with a SERVICE_KEY_<CALLER> variable, with their previous keys', () => {
    expect(
      serviceKeysFromEnv({
        SERVICE_KEY_ORDER: ORDER_KEY,
        SERVICE_KEY_ORDER_PREVIOUS: OLD_ORDER_KEY,
        SERVICE_KEY_STOCK_SYNC: BILLING_KEY,
        SERVICE_KEY_UNUSED: '',
        SERVICE_TOKEN_KEY: 'not a callee setting at all, ignored here',
        JWT_SECRET: 'ignored',
      }),
    ).toEqual(
      new Map([
        ['order', [ORDER_KEY, OLD_ORDER_KEY]],
        ['stock-sync', [BILLING_KEY]],
      ]),
    );
    expect(serviceKeysFromEnv({})).toEqual(new Map());
    expect(serviceKeyVariable('stock-sync')).toBe('SERVICE_KEY_STOCK_SYNC');
  });

  it('refuses short keys and a previous key alone, naming the variables and never the values', () => {
    let error: unknown;
    try {
      serviceKeysFromEnv({ SERVICE_KEY_ORDER: 'short-Secret', SERVICE_KEY_BILLING_PREVIOUS: BILLING_KEY });
    } catch (err) {
      error = err;
    }
    expect(error).toEqual(
      new ConfigError([
        'SERVICE_KEY_ORDER must be at least 32 bytes (got <redacted>)',
        'SERVICE_KEY_BILLING_PREVIOUS is set without SERVICE_KEY_BILLING',
      ]),
    );
    expect(JSON.stringify(error)).not.toMatch(/short-Secret|billing-service-key/);
  });
});

describe('requireServiceCaller over HTTP', () => {
  let running: RunningService;
  beforeAll(async () => {
    const config = loadConfig({ env: { SERVICE_NAME: 'product', LOG_LEVEL: 'silent' } });
    const service = createApp({
      config,
      logger: createLogger(config),
      routes: () => {
        const router = Router();
        router.get(
          '/internal/ping',
          requireServiceCaller({ audience: 'product', keys }, 'order'),
          (_req, res) => {
            res.json({ caller: getServiceCaller(res).iss });
          },
        );
        return router;
      },
    });
    running = await start(service, { port: 0, host: '127.0.0.1', idleDrainMs: 0 });
  });
  afterAll(() => running.shutdown('test done'));

  const ping = (headers: Record<string, string>) => fetch(`${running.url}/internal/ping`, { headers });
  const fresh = (caller: string, key: string) => signServiceToken({ caller, audience: 'product' }, key);

  it('lets an allowed caller through', async () => {
    const res = await ping({ [SERVICE_TOKEN_HEADER]: fresh('order', ORDER_KEY) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ caller: 'order' });
  });

  it('answers 401 without the header, even with a user token in Authorization', async () => {
    const userToken = signAccessToken(
      { sub: '6b1d7c1e-0f55-4c0e-9d0a-3c2f1b4a5e60', email: 'a@example.com', roles: ['admin'] },
      { secret: ORDER_KEY, issuer: 'platform', ttlSeconds: 60 },
    );
    const res = await ping({ authorization: `Bearer ${userToken}` });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      error: 'unauthorized',
      message: 'Service token required (X-Service-Token)',
    });
  });

  it('answers 403 for a valid caller not allowed on the route', async () => {
    const res = await ping({ [SERVICE_TOKEN_HEADER]: fresh('billing', BILLING_KEY) });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({
      error: 'forbidden',
      message: 'Service "billing" may not call this operation',
    });
  });
});
