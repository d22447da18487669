import { randomUUID } from 'node:crypto';
import type { OutboxStore, RateLimiter, RunningService } from '@platform/common';
import {
  ANALYTICS_CONSUMES,
  EVENT_PAYLOADS,
  InMemoryOutboxStore,
  NOTIFICATION_CONSUMES,
  InMemoryRateLimiter,
  createLogger,
  loadConfig,
  signAccessToken,
  TEXT_CHARACTER_MESSAGE,
  start,
  verifyAccessToken,
} from '@platform/common';
import { createUserApp } from './app';
import { InMemoryUserRepository } from './in-memory-user-repository';
import type { LoginLimits } from './login-throttle';
import type { PublicUser } from './user';

type Json = Record<string, unknown>;

const JWT = { secret: 'test-only-hmac-key-of-at-least-32-bytes', issuer: 'platform', ttlSeconds: 900 };
const PASSWORD = 'correct horse battery staple';

interface Harness {
  readonly running: RunningService;
  readonly url: string;
  readonly repository: InMemoryUserRepository;
  readonly outbox: OutboxStore;
  /** Every log line the service wrote. */
  readonly logs: string[];
}

const started: RunningService[] = [];

async function startUserService(
  options: {
    outbox?: OutboxStore;
    rateLimiter?: RateLimiter;
    loginLimits?: LoginLimits;
    now?: () => number;
    trustProxyHops?: number;
  } = {},
): Promise<Harness> {
  const config = loadConfig({ env: { SERVICE_NAME: 'user', SERVICE_VERSION: '1.0.0', LOG_LEVEL: 'debug' } });
  const logs: string[] = [];
  const repository = new InMemoryUserRepository();
  const outbox = options.outbox ?? new InMemoryOutboxStore();
  const service = createUserApp({
    config,
    logger: createLogger(config, { write: (line: string) => logs.push(line) }),
    repository,
    outbox,
    rateLimiter: options.rateLimiter ?? new InMemoryRateLimiter(options.now),
    jwt: JWT,
    ...(options.loginLimits && { loginLimits: options.loginLimits }),
    ...(options.trustProxyHops !== undefined && { trustProxyHops: options.trustProxyHops }),
  });
  const running = await start(service, { port: 0, host: '127.0.0.1', idleDrainMs: 0 });
  started.push(running);
  return { running, url: running.url, repository, outbox, logs };
}

let h: Harness;

beforeEach(async () => {
  h = await startUserService();
});

afterEach(async () => {
  await Promise.all(started.splice(0).map((running) => running.shutdown('test done')));
});

function send(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
  return fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
}

const register = (body: unknown, url = h.url) => send('POST', `${url}/api/auth/register`, body);
const login = (body: unknown, url = h.url, headers: Record<string, string> = {}) =>
  send('POST', `${url}/api/auth/login`, body, headers);
const getUser = (id: string, authorization?: string) =>
  fetch(`${h.url}/api/users/${id}`, { headers: authorization === undefined ? {} : { authorization } });

const ada = (overrides: Json = {}): Json => ({
  email: 'ada@example.com',
  password: PASSWORD,
  name: 'Ada Lovelace',
  ...overrides,
});

async function registered(overrides: Json = {}, url = h.url): Promise<PublicUser> {
  const res = await register(ada(overrides), url);
  expect(res.status).toBe(201);
  return (await res.json()) as PublicUser;
}

async function tokenFor(email = 'ada@example.com', password = PASSWORD): Promise<string> {
  const res = await login({ email, password });
  expect(res.status).toBe(200);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

interface ErrorBody {
  error: string;
  message: string;
  details?: Array<{ field: string; message: string }>;
  requestId?: string;
}

async function validationDetails(res: Response): Promise<Array<{ field: string; message: string }>> {
  expect(res.status).toBe(400);
  const body = (await res.json()) as ErrorBody;
  expect(body.error).toBe('validation_failed');
  return body.details ?? [];
}

async function metric(name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`${h.url}/metrics`)).text();
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${name}{`) && l.includes('service="user"') && l.includes(labels));
  return Number(line?.split(' ').pop() ?? 0);
}

describe('POST /api/auth/register', () => {
  it('creates a user: 201, Location, public fields only, email normalised', async () => {
    const res = await register(ada({ email: '  Ada@Example.COM ' }));
    expect(res.status).toBe(201);
    const user = (await res.json()) as Json;
    expect(Object.keys(user).sort()).toEqual(['createdAt', 'email', 'id', 'name']);
    expect(user).toMatchObject({ email: 'ada@example.com', name: 'Ada Lovelace' });
    expect(res.headers.get('location')).toBe(`/api/users/${String(user.id)}`);

    const fetched = await fetch(`${h.url}${res.headers.get('location') ?? ''}`, {
      headers: { authorization: `Bearer ${await tokenFor()}` },
    });
    expect(await fetched.json()).toEqual({ ...user, roles: [] });
  });

  it('stores a salted scrypt hash, never the password', async () => {
    await registered();
    const stored = await h.repository.findByEmail('ada@example.com');
    expect(stored?.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(stored?.passwordHash).not.toContain(PASSWORD);
  });

  it('answers 409 email_taken for an email that exists in any case, keeping the original', async () => {
    const original = await registered();
    const res = await register(
      ada({ email: 'ADA@example.com', name: 'Impostor', password: 'another password!' }),
    );
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({
      error: 'email_taken',
      message: 'A user with email "ada@example.com" already exists',
    });
    const token = await tokenFor();
    expect(await (await getUser(original.id, `Bearer ${token}`)).json()).toMatchObject({
      name: 'Ada Lovelace',
    });
    expect(await h.outbox.pending(10)).toHaveLength(1);
  });

  it('lets exactly one of many concurrent registrations of one email through', async () => {
    const statuses = (
      await Promise.all(Array.from({ length: 8 }, (_, i) => register(ada({ name: `Ada ${i}` }))))
    ).map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(7);
    expect(await h.outbox.pending(10)).toHaveLength(1);
  });

  it('rejects wrong types with one detail per field, never echoing the password', async () => {
    const details = await validationDetails(
      await register({ email: 42, password: 123456789012345, name: true }),
    );
    expect(details).toEqual([
      { field: 'email', message: 'must be a string (got 42)' },
      { field: 'password', message: 'must be a string' },
      { field: 'name', message: 'must be a string (got true)' },
    ]);
  });

  it('rejects missing and unknown fields', async () => {
    const details = await validationDetails(
      await register({ email: 'ada@example.com', role: 'admin', id: 'x' }),
    );
    expect(details).toEqual([
      { field: 'password', message: 'is required' },
      { field: 'name', message: 'is required' },
      { field: 'role', message: 'is not an allowed field' },
      { field: 'id', message: 'is not an allowed field' },
    ]);
  });

  it('rejects bad values saying what is allowed, and echoes no password', async () => {
    const shortPassword = 'tooShort1!';
    const details = await validationDetails(
      await register({ email: 'not-an-email', password: shortPassword, name: '   ' }),
    );
    expect(details).toEqual([
      { field: 'email', message: 'must be an email address such as "ada@example.com" (got "not-an-email")' },
      { field: 'password', message: 'must have at least 12 characters' },
      { field: 'name', message: 'must not be blank (got "")' },
    ]);
    const longPassword = 'p'.repeat(129);
    const res = await register({ email: 'ada@example.com', password: longPassword, name: `x${'\u0007'}` });
    const body = await res.clone().text();
    expect(await validationDetails(res)).toEqual([
      { field: 'password', message: 'must have at most 128 characters' },
      { field: 'name', message: `${TEXT_CHARACTER_MESSAGE} (found U+0007 at character 2)` },
    ]);
    expect(body).not.toContain(longPassword.slice(0, 60));
  });

  it.each([
    [{ name: 'n'.repeat(101) }, 'name'],
    [{ email: `${'a'.repeat(250)}@example.com` }, 'email'],
    [{ email: 'ada@example' }, 'email'],
    [{ password: 'x'.repeat(11) }, 'password'],
  ])('answers 400 for %j naming %s', async (overrides, field) => {
    expect((await validationDetails(await register(ada(overrides)))).map((d) => d.field)).toEqual([field]);
  });

  it('accepts the boundary lengths: 12 and 128 character passwords, 100 character names', async () => {
    expect((await register(ada({ email: 'a@example.com', password: 'p'.repeat(12) }))).status).toBe(201);
    expect((await register(ada({ email: 'b@example.com', password: 'p'.repeat(128) }))).status).toBe(201);
    expect((await register(ada({ email: 'c@example.com', name: 'n'.repeat(100) }))).status).toBe(201);
  });

  it('rejects a body that is not a JSON object, and query parameters', async () => {
    expect((await validationDetails(await register([ada()]))).map((d) => d.field)).toEqual(['body']);
    expect(await validationDetails(await fetch(`${h.url}/api/auth/register`, { method: 'POST' }))).toEqual([
      { field: 'body', message: 'is required' },
    ]);
    const withQuery = await send('POST', `${h.url}/api/auth/register?admin=true`, ada());
    expect((await validationDetails(withQuery)).map((d) => d.field)).toEqual(['admin']);
  });

  it('adds user.registered to the outbox for user-events, keyed by user id, without the password', async () => {
    const res = await send('POST', `${h.url}/api/auth/register`, ada(), { 'x-request-id': 'req-register-1' });
    const user = (await res.json()) as PublicUser;
    const pending = await h.outbox.pending(10);
    expect(pending).toHaveLength(1);
    const [entry] = pending;
    expect(entry?.topic).toBe('user-events');
    expect(entry?.event).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      type: 'user.registered',
      source: 'user',
      occurredAt: user.createdAt,
      key: user.id,
      data: { userId: user.id, email: 'ada@example.com', name: 'Ada Lovelace' },
      requestId: 'req-register-1',
    });
    const serialized = JSON.stringify(entry);
    expect(serialized).not.toContain(PASSWORD);
    expect(serialized).not.toContain('scrypt');
  });

  it('writes user.registered exactly as the shared event contract describes it, for every consumer', async () => {
    await registered();
    const [entry] = await h.outbox.pending(10);
    const data = entry?.event.data;
    expect(EVENT_PAYLOADS['user.registered'].strict().safeParse(data).error).toBeUndefined();
    expect(NOTIFICATION_CONSUMES['user.registered'].safeParse(data).error).toBeUndefined();
    expect(ANALYTICS_CONSUMES['user.registered'].safeParse(data).error).toBeUndefined();
  });

  it('adds no event for a refused registration', async () => {
    await registered();
    await register(ada());
    await register(ada({ email: 'bad' }));
    expect((await h.outbox.pending(10)).map((e) => e.event.type)).toEqual(['user.registered']);
  });

  it('stores no user when the outbox write fails, answering 500 without internals', async () => {
    const failing: OutboxStore = {
      add: () => Promise.reject(new Error('outbox collection unavailable at mongo-0:27017')),
      pending: () => Promise.resolve([]),
      markPublished: () => Promise.resolve(),
      stats: () => Promise.resolve({ pending: 0, oldestPendingAt: undefined }),
    };
    const broken = await startUserService({ outbox: failing });
    const res = await register(ada(), broken.url);
    expect(res.status).toBe(500);
    const body = (await res.json()) as ErrorBody;
    expect(body).toMatchObject({ error: 'internal', message: 'Internal server error' });
    expect(JSON.stringify(body)).not.toContain('mongo-0');
    expect(await broken.repository.findByEmail('ada@example.com')).toBeUndefined();
    expect((await login({ email: 'ada@example.com', password: PASSWORD }, broken.url)).status).toBe(401);
  });

  it('counts registrations in users_registered_total', async () => {
    await registered();
    await register(ada());
    await registered({ email: 'grace@example.com' });
    expect(await metric('users_registered_total')).toBe(2);
  });
});

describe('POST /api/auth/login', () => {
  beforeEach(async () => {
    await registered();
  });

  it('returns a Bearer access token for the user, uncached', async () => {
    const res = await login({ email: ' ADA@example.com', password: PASSWORD });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { accessToken: string; tokenType: string; expiresIn: number };
    expect(body).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 900 });
    const user = await h.repository.findByEmail('ada@example.com');
    const claims = verifyAccessToken(body.accessToken, JWT);
    expect(claims).toMatchObject({ sub: user?.id, email: 'ada@example.com', iss: 'platform', roles: [] });
    expect(claims.exp - claims.iat).toBe(900);
  });

  it('answers wrong passwords and unknown emails identically: 401 invalid_credentials', async () => {
    const wrongPassword = await login({ email: 'ada@example.com', password: 'not the password' });
    const unknownEmail = await login({ email: 'nobody@example.com', password: PASSWORD });
    expect([wrongPassword.status, unknownEmail.status]).toEqual([401, 401]);
    const strip = ({ requestId: _, ...rest }: ErrorBody) => rest;
    const bodies = [
      strip((await wrongPassword.json()) as ErrorBody),
      strip((await unknownEmail.json()) as ErrorBody),
    ];
    expect(bodies).toEqual([
      { error: 'invalid_credentials', message: 'Email or password is incorrect' },
      { error: 'invalid_credentials', message: 'Email or password is incorrect' },
    ]);
  });

  it('spends about as long on an unknown email as on a wrong password (it hashes a dummy)', async () => {
    const timed = async (email: string) => {
      const started = process.hrtime.bigint();
      const res = await login({ email, password: 'not the password' });
      expect(res.status).toBe(401);
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[1] ?? 0;
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 3; i++) {
      known.push(await timed('ada@example.com'));
      unknown.push(await timed(`nobody${i}@example.com`));
    }
    // A skipped hash would answer in ~1 ms against ~50-100 ms for a real one; half leaves room for noise.
    expect(median(unknown)).toBeGreaterThan(median(known) / 2);
  });

  it('rejects missing, unknown and wrongly typed fields without echoing the password', async () => {
    expect(await validationDetails(await login({ email: 'ada@example.com', remember: true }))).toEqual([
      { field: 'password', message: 'is required' },
      { field: 'remember', message: 'is not an allowed field' },
    ]);
    expect(await validationDetails(await login({ email: ['ada@example.com'], password: 42 }))).toEqual([
      { field: 'email', message: 'must be a string (got an array)' },
      { field: 'password', message: 'must be a string' },
    ]);
    const res = await login({ email: 'ada', password: 'p'.repeat(129) });
    expect(await validationDetails(res)).toEqual([
      { field: 'email', message: 'must be an email address such as "ada@example.com" (got "ada")' },
      { field: 'password', message: 'must have at most 128 characters' },
    ]);
  });

  describe('rate limiting', () => {
    const wrong = (email = 'ada@example.com') => login({ email, password: 'not the password' });

    it('refuses the 6th failure for one email with 429 too_many_attempts and Retry-After', async () => {
      for (let i = 0; i < 5; i++) expect((await wrong()).status).toBe(401);
      const refused = await wrong('Ada@Example.com');
      expect(refused.status).toBe(429);
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 900).toBe(true);
      expect(await refused.json()).toMatchObject({
        error: 'too_many_attempts',
        message: `Too many login attempts; try again in ${retryAfter} seconds`,
      });
      // Locked means locked: the right password does not get through either, but other accounts do.
      expect((await login({ email: 'ada@example.com', password: PASSWORD })).status).toBe(429);
      await registered({ email: 'grace@example.com' });
      expect((await login({ email: 'grace@example.com', password: PASSWORD })).status).toBe(200);
    });

    it('starts counting again after a successful login', async () => {
      for (let i = 0; i < 4; i++) expect((await wrong()).status).toBe(401);
      expect((await login({ email: 'ada@example.com', password: PASSWORD })).status).toBe(200);
      for (let i = 0; i < 5; i++) expect((await wrong()).status).toBe(401);
      expect((await wrong()).status).toBe(429);
    });

    it('allows attempts again once the window has passed', async () => {
      let now = Date.parse('2026-01-01T00:00:00Z');
      const clocked = await startUserService({ now: () => now });
      await registered({}, clocked.url);
      const attempt = (password: string) => login({ email: 'ada@example.com', password }, clocked.url);
      for (let i = 0; i < 5; i++) await attempt('not the password');
      const refused = await attempt(PASSWORD);
      expect([refused.status, refused.headers.get('retry-after')]).toEqual([429, '900']);
      now += 900_000;
      expect((await attempt(PASSWORD)).status).toBe(200);
    });

    it('refuses the 21st attempt from one IP across many emails, ignoring a spoofed X-Forwarded-For', async () => {
      for (let i = 0; i < 20; i++) {
        const res = await login({ email: `user${i}@example.com`, password: PASSWORD }, h.url, {
          'x-forwarded-for': `203.0.113.${i}`,
        });
        expect(res.status).toBe(401);
      }
      const refused = await login({ email: 'ada@example.com', password: PASSWORD }, h.url, {
        'x-forwarded-for': '198.51.100.7',
      });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    });

    it('counts per forwarded client IP once the deployer trusts one proxy hop', async () => {
      const proxied = await startUserService({
        trustProxyHops: 1,
        loginLimits: { maxFailuresPerEmail: 100, maxAttemptsPerIp: 2, windowSeconds: 60 },
      });
      const from = (ip: string) =>
        login({ email: 'nobody@example.com', password: PASSWORD }, proxied.url, { 'x-forwarded-for': ip });
      const statuses = [];
      for (const ip of ['203.0.113.1', '203.0.113.1', '203.0.113.1', '203.0.113.2']) {
        statuses.push((await from(ip)).status);
      }
      expect(statuses).toEqual([401, 401, 429, 401]);
    });

    it('takes its limits from the app options', async () => {
      const strict = await startUserService({
        loginLimits: { maxFailuresPerEmail: 2, maxAttemptsPerIp: 100, windowSeconds: 60 },
      });
      await registered({}, strict.url);
      const attempt = () => login({ email: 'ada@example.com', password: 'not the password' }, strict.url);
      const statuses = [(await attempt()).status, (await attempt()).status];
      const refused = await attempt();
      expect([...statuses, refused.status, refused.headers.get('retry-after')]).toEqual([
        401,
        401,
        429,
        '60',
      ]);
    });

    it('lets no more than the limit through when guesses arrive in parallel', async () => {
      const statuses = (await Promise.all(Array.from({ length: 12 }, () => wrong()))).map((r) => r.status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(7);
    });
  });

  it('refuses logins with 503 while the rate limiter is unavailable, and keeps registering', async () => {
    const down: RateLimiter = {
      hit: () => Promise.reject(new Error("Stream isn't writeable and enableOfflineQueue options is false")),
      reset: () => Promise.reject(new Error('redis down')),
    };
    const broken = await startUserService({ rateLimiter: down });
    await registered({}, broken.url);
    const res = await login({ email: 'ada@example.com', password: PASSWORD }, broken.url);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('10');
    expect(await res.json()).toMatchObject({
      error: 'login_unavailable',
      message: 'Login is temporarily unavailable; try again shortly',
    });
    expect(broken.logs.join('')).toContain('login refused: the login rate limiter is unavailable');
    expect((await register(ada({ email: 'grace@example.com' }), broken.url)).status).toBe(201);
  });

  it('logs in even when the failed-login count cannot be reset afterwards', async () => {
    const limiter = new InMemoryRateLimiter();
    const flaky: RateLimiter = {
      hit: (key, limit, window) => limiter.hit(key, limit, window),
      reset: () => Promise.reject(new Error('redis down')),
    };
    const service = await startUserService({ rateLimiter: flaky });
    await registered({}, service.url);
    expect((await login({ email: 'ada@example.com', password: PASSWORD }, service.url)).status).toBe(200);
    expect(service.logs.join('')).toContain('could not reset the failed-login count');
  });

  it('counts logins by outcome in logins_total', async () => {
    await login({ email: 'ada@example.com', password: PASSWORD });
    for (let i = 0; i < 6; i++) await login({ email: 'ada@example.com', password: 'not the password' });
    expect(await metric('logins_total', 'outcome="success"')).toBe(1);
    expect(await metric('logins_total', 'outcome="invalid_credentials"')).toBe(5);
    expect(await metric('logins_total', 'outcome="rate_limited"')).toBe(1);
  });

  it('never writes passwords, hashes or tokens to the log', async () => {
    const token = await tokenFor();
    await login({ email: 'ada@example.com', password: 'a wrong guess 123' });
    await getUser('x', `Bearer ${token}`);
    const logs = h.logs.join('');
    expect(logs).toContain('login succeeded');
    expect(logs).toContain('login failed');
    for (const secret of [PASSWORD, 'a wrong guess 123', 'scrypt$', token])
      expect(logs).not.toContain(secret);
  });
});

describe('GET /api/users/:id', () => {
  let user: PublicUser;
  let bearer: string;
  beforeEach(async () => {
    user = await registered();
    bearer = `Bearer ${await tokenFor()}`;
  });

  it('returns the caller their own user with its roles, without the password hash, uncached', async () => {
    const res = await getUser(user.id, bearer);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(await res.json()).toEqual({ ...user, roles: [] });
  });

  it.each([
    ['no Authorization header', () => undefined],
    ['a Basic header', () => 'Basic YWRhOnB3'],
    ['a token that is not a JWT', () => 'Bearer not-a-token'],
    [
      'a token signed with another key',
      () => `Bearer ${sign({ secret: 'another-key-of-at-least-thirty-two-bytes' })}`,
    ],
    ['an expired token', () => `Bearer ${sign({ now: Date.now() - 3600_000 })}`],
    ['a token from another issuer', () => `Bearer ${sign({ issuer: 'elsewhere' })}`],
    ['a token issued in the future', () => `Bearer ${sign({ now: Date.now() + 5 * 60_000 })}`],
    ['a token whose subject is not a user id', () => `Bearer ${sign({}, 'not-a-uuid')}`],
  ])('answers 401 for %s', async (_what, header) => {
    const res = await getUser(user.id, header());
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'unauthorized' });
  });

  function sign(options: { secret?: string; issuer?: string; now?: number }, sub = user.id): string {
    return signAccessToken({ sub, email: 'ada@example.com' }, { ...JWT, ...options });
  }

  it('answers 403 for any other user, existing or not', async () => {
    const grace = await registered({ email: 'grace@example.com', name: 'Grace Hopper' });
    for (const id of [grace.id, randomUUID()]) {
      const res = await getUser(id, bearer);
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({
        error: 'forbidden',
        message: 'You may only read your own user',
      });
    }
  });

  it.each(['123', 'not-a-uuid', "1' OR '1'='1", `${'a'.repeat(36)}`])(
    'answers 400 for the malformed id %j',
    async (id) => {
      expect(await validationDetails(await getUser(encodeURIComponent(id), bearer))).toEqual([
        { field: 'id', message: expect.stringMatching(/^must be a user id \(UUID\)/) },
      ]);
    },
  );

  it('checks the token before the id: no token and a bad id is 401', async () => {
    expect((await getUser('not-a-uuid')).status).toBe(401);
  });

  it('answers 404 when the token names a user that does not exist', async () => {
    const ghost = randomUUID();
    const res = await getUser(ghost, `Bearer ${sign({}, ghost)}`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: 'not_found', message: `User ${ghost} not found` });
  });

  it('refuses query parameters', async () => {
    const res = await fetch(`${h.url}/api/users/${user.id}?fields=passwordHash`, {
      headers: { authorization: bearer },
    });
    expect((await validationDetails(res)).map((d) => d.field)).toEqual(['fields']);
  });
});

describe('robustness', () => {
  it('answers hostile and malformed input with 4xx and keeps serving', async () => {
    const hostile = [
      send('POST', `${h.url}/api/auth/register`, '{"email": '),
      send('POST', `${h.url}/api/auth/login`, '{"email": "ada@example.com", "password": }'),
      send('POST', `${h.url}/api/auth/register`, JSON.stringify(ada({ name: 'x'.repeat(20_000) }))),
      send(
        'POST',
        `${h.url}/api/auth/login`,
        JSON.stringify({ email: 'a@b.co', password: 'p'.repeat(50_000) }),
      ),
      send(
        'POST',
        `${h.url}/api/auth/register`,
        '{"__proto__": {"polluted": true}, "email": "p@example.com"}',
      ),
      send('POST', `${h.url}/api/auth/login`, 'null'),
      fetch(`${h.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: 'x',
      }),
      fetch(`${h.url}/api/users/%E0%A4%A`),
      fetch(`${h.url}/api/auth/login`),
    ];
    const responses = await Promise.all(hostile);
    expect(responses.map((r) => r.status)).toEqual([400, 400, 413, 413, 400, 400, 415, 400, 404]);
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as ErrorBody[];
    expect(bodies.map((b) => b.error)).toEqual([
      'malformed_json',
      'malformed_json',
      'payload_too_large',
      'payload_too_large',
      'validation_failed',
      'malformed_json', // express.json accepts only objects and arrays at the top level
      'unsupported_media_type',
      'bad_request',
      'not_found',
    ]);
    expect(({} as Json).polluted).toBeUndefined();

    const user = await registered();
    expect((await getUser(user.id, `Bearer ${await tokenFor()}`)).status).toBe(200);
    expect((await fetch(`${h.url}/health`)).status).toBe(200);
  });

  it('answers a bad URI encoding in the id with 400 once authenticated', async () => {
    await registered();
    const res = await getUser('%E0%A4%A', `Bearer ${await tokenFor()}`);
    expect(res.status).toBe(400);
  });

  it('labels user requests by route template in the metrics, never by id', async () => {
    const user = await registered();
    await getUser(user.id, `Bearer ${await tokenFor()}`);
    const text = await (await fetch(`${h.url}/metrics`)).text();
    expect(text).toMatch(/http_requests_total\{[^}]*route="\/api\/users\/:id"[^}]*status="200"/);
    expect(text).not.toContain(user.id);
  });
});
