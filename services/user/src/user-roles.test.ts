import { randomUUID } from 'node:crypto';
import type { Role, RunningService } from '@platform/common';
import {
  InMemoryOutboxStore,
  InMemoryRateLimiter,
  createLogger,
  loadConfig,
  signAccessToken,
  start,
  verifyAccessToken,
} from '@platform/common';
import { createUserApp } from './app';
import { InMemoryUserRepository } from './in-memory-user-repository';

const JWT = { secret: 'roles-test-hmac-key-of-at-least-32-bytes', issuer: 'platform', ttlSeconds: 900 };
const PASSWORD = 'correct horse battery staple';

let running: RunningService;
let repository: InMemoryUserRepository;
let logs: string[];

beforeEach(async () => {
  const config = loadConfig({ env: { SERVICE_NAME: 'user', LOG_LEVEL: 'info' } });
  logs = [];
  repository = new InMemoryUserRepository();
  const service = createUserApp({
    config,
    logger: createLogger(config, { write: (line: string) => logs.push(line) }),
    repository,
    outbox: new InMemoryOutboxStore(),
    rateLimiter: new InMemoryRateLimiter(),
    jwt: JWT,
    // Unnormalised on purpose: the service must match it like a login email.
    adminEmails: [' Root@Example.com'],
  });
  running = await start(service, { port: 0, host: '127.0.0.1', idleDrainMs: 0 });
});

afterEach(async () => {
  await running.shutdown('test done');
});

function call(method: string, path: string, token?: string, body?: unknown) {
  return fetch(`${running.url}${path}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token !== undefined && { authorization: `Bearer ${token}` }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
}

/** Registers `email` and returns its id. */
async function register(email: string): Promise<string> {
  const res = await call('POST', '/api/auth/register', undefined, { email, password: PASSWORD, name: email });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function login(email: string): Promise<string> {
  const res = await call('POST', '/api/auth/login', undefined, { email, password: PASSWORD });
  expect(res.status).toBe(200);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

const rolesIn = (token: string) => verifyAccessToken(token, JWT).roles;
const grant = (id: string, role: string, token?: string) =>
  call('PUT', `/api/users/${id}/roles/${role}`, token);
const revoke = (id: string, role: string, token?: string) =>
  call('DELETE', `/api/users/${id}/roles/${role}`, token);
/** A validly signed token for a user the store may not know, with exactly `roles`. */
const tokenWith = (roles: Role[], options: { secret?: string; now?: number } = {}) =>
  signAccessToken({ sub: randomUUID(), email: 'x@example.com', roles }, { ...JWT, ...options });

describe('roles at login', () => {
  it('gives a configured administrator admin, and nothing else, in its token', async () => {
    await register('root@example.com');
    expect(rolesIn(await login('ROOT@example.com'))).toEqual(['admin']);
  });

  it('gives a user who is not configured no roles until granted', async () => {
    await register('ada@example.com');
    expect(rolesIn(await login('ada@example.com'))).toEqual([]);
  });

  it('adds granted roles to the configured admin role, from the next login on', async () => {
    const rootId = await register('root@example.com');
    const before = await login('root@example.com');
    expect((await grant(rootId, 'catalog-manager', before)).status).toBe(200);
    // Tokens are stateless: the one issued before the grant keeps the roles it was signed with.
    expect(rolesIn(before)).toEqual(['admin']);
    expect(rolesIn(await login('root@example.com'))).toEqual(['admin', 'catalog-manager']);
  });
});

describe('PUT and DELETE /api/users/:id/roles/:role', () => {
  let admin: string;
  let adaId: string;
  beforeEach(async () => {
    await register('root@example.com');
    admin = await login('root@example.com');
    adaId = await register('ada@example.com');
  });

  it('grants a role idempotently, answering the roles the next token carries', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await grant(adaId, 'analyst', admin);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('private, no-store');
      expect(await res.json()).toEqual({ id: adaId, roles: ['analyst'] });
    }
    expect(rolesIn(await login('ada@example.com'))).toEqual(['analyst']);
  });

  it('revokes a role idempotently, effective at the next login', async () => {
    await grant(adaId, 'analyst', admin);
    await grant(adaId, 'catalog-manager', admin);
    const token = await login('ada@example.com');
    for (let i = 0; i < 2; i++) {
      const res = await revoke(adaId, 'analyst', admin);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ id: adaId, roles: ['catalog-manager'] });
    }
    expect(rolesIn(token)).toEqual(['catalog-manager', 'analyst']);
    expect(rolesIn(await login('ada@example.com'))).toEqual(['catalog-manager']);
  });

  it('lets an admin make another admin, who can then grant and revoke', async () => {
    await grant(adaId, 'admin', admin);
    const ada = await login('ada@example.com');
    const graceId = await register('grace@example.com');
    expect(await (await grant(graceId, 'analyst', ada)).json()).toEqual({ id: graceId, roles: ['analyst'] });
    expect((await revoke(adaId, 'admin', admin)).status).toBe(200);
    expect(rolesIn(await login('ada@example.com'))).toEqual([]);
  });

  it('refuses with 409 to revoke admin from a configured administrator, saying it comes from configuration', async () => {
    const rootId = (await repository.findByEmail('root@example.com'))?.id ?? '';
    await grant(rootId, 'admin', admin);
    const res = await revoke(rootId, 'admin', admin);
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({
      error: 'role_from_configuration',
      message: `The admin role of user ${rootId} comes from configuration (ADMIN_EMAILS) and cannot be revoked through the API`,
    });
    expect((await repository.findById(rootId))?.roles).toEqual(['admin']);
    // Other roles of a configured administrator are the API's to manage.
    await grant(rootId, 'analyst', admin);
    expect(await (await revoke(rootId, 'analyst', admin)).json()).toEqual({ id: rootId, roles: ['admin'] });
  });

  it('answers 400 for an unknown role, listing the allowed ones', async () => {
    for (const res of [await grant(adaId, 'superuser', admin), await revoke(adaId, 'Admin', admin)]) {
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        error: 'validation_failed',
        details: [
          {
            field: 'role',
            message: expect.stringMatching(/^must be one of admin, catalog-manager, analyst/),
          },
        ],
      });
    }
  });

  it('answers 400 for a malformed id and 404 for an unknown user', async () => {
    expect(await (await grant('not-a-uuid', 'analyst', admin)).json()).toMatchObject({
      details: [{ field: 'id' }],
    });
    const ghost = randomUUID();
    for (const res of [await grant(ghost, 'analyst', admin), await revoke(ghost, 'admin', admin)]) {
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: 'not_found', message: `User ${ghost} not found` });
    }
  });

  it('answers 403 to users without admin, before looking at the id or role', async () => {
    await grant(adaId, 'catalog-manager', admin);
    await grant(adaId, 'analyst', admin);
    const ada = await login('ada@example.com');
    for (const res of [
      await grant(adaId, 'admin', ada),
      await revoke(adaId, 'analyst', ada),
      await grant('not-a-uuid', 'superuser', ada),
      await grant(adaId, 'admin', tokenWith([])),
    ]) {
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({
        error: 'forbidden',
        message: 'This request needs the role "admin"',
      });
    }
    expect((await repository.findById(adaId))?.roles).toEqual(['catalog-manager', 'analyst']);
  });

  it('answers 401 without a token, or with a forged or expired one', async () => {
    for (const token of [
      undefined,
      tokenWith(['admin'], { secret: 'another-key-of-at-least-thirty-two-bytes' }),
      tokenWith(['admin'], { now: Date.now() - 3_600_000 }),
    ]) {
      expect((await grant(adaId, 'admin', token)).status).toBe(401);
      expect((await revoke(adaId, 'analyst', token)).status).toBe(401);
    }
    expect((await repository.findById(adaId))?.roles).toEqual([]);
  });

  it('logs who granted and revoked which role for whom', async () => {
    await grant(adaId, 'analyst', admin);
    await revoke(adaId, 'analyst', admin);
    const rootId = verifyAccessToken(admin, JWT).sub;
    const lines = logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('role '))).toEqual([
      expect.objectContaining({ msg: 'role granted', userId: adaId, role: 'analyst', by: rootId }),
      expect.objectContaining({ msg: 'role revoked', userId: adaId, role: 'analyst', by: rootId }),
    ]);
  });
});

describe('GET /api/users/:id and roles', () => {
  it('shows the owner its effective roles, configured admin included', async () => {
    const rootId = await register('root@example.com');
    const root = await login('root@example.com');
    await grant(rootId, 'analyst', root);
    const res = await call('GET', `/api/users/${rootId}`, root);
    expect(await res.json()).toMatchObject({
      id: rootId,
      email: 'root@example.com',
      roles: ['admin', 'analyst'],
    });
  });

  it('lets an admin read any user with its roles, and answers 404 for an unknown one', async () => {
    await register('root@example.com');
    const admin = await login('root@example.com');
    const adaId = await register('ada@example.com');
    await grant(adaId, 'catalog-manager', admin);
    const res = await call('GET', `/api/users/${adaId}`, admin);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: adaId,
      email: 'ada@example.com',
      roles: ['catalog-manager'],
    });
    expect((await call('GET', `/api/users/${randomUUID()}`, admin)).status).toBe(404);
  });

  it('still answers 403 to a non-admin reading someone else, whatever other roles it holds', async () => {
    const adaId = await register('ada@example.com');
    const res = await call('GET', `/api/users/${adaId}`, tokenWith(['catalog-manager', 'analyst']));
    expect(res.status).toBe(403);
  });
});
