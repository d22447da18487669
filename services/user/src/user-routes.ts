import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import type { Request, Response } from 'express';
import type { JwtOptions, OutboxStore, Role, RouteContext, z } from '@platform/common';
import {
  ConflictError,
  Counter,
  ForbiddenError,
  HttpError,
  NotFoundError,
  ValidationError,
  getAuth,
  getRequestId,
  getRequestLogger,
  parseInput,
  requireAuth,
  requireRole,
  signAccessToken,
} from '@platform/common';
import type { LoginThrottle, ThrottleDecision } from './login-throttle';
import { hashPassword, verifyPassword } from './password-hasher';
import type { User } from './user';
import { effectiveRoles, toPublicUser } from './user';
import { userRegistered } from './user-events';
import type { UserRepository } from './user-repository';
import { loginBody, noQuery, registerBody, roleName, userId } from './user-schemas';

export interface UserRouteDeps {
  readonly repository: UserRepository;
  readonly outbox: OutboxStore;
  readonly throttle: LoginThrottle;
  readonly jwt: JwtOptions & { readonly ttlSeconds: number };
  /** Normalised emails of the configured administrators (ADMIN_EMAILS): they hold `admin` at every login. */
  readonly adminEmails: ReadonlySet<string>;
  /** The `source` of emitted events. */
  readonly serviceName: string;
}

/**
 * parseInput, except that the password is never echoed back in "(got ...)": error bodies end up in
 * client and proxy logs.
 */
function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  try {
    return parseInput(schema, body);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    throw new ValidationError(
      err.details.map((d) =>
        d.field === 'password' ? { field: d.field, message: d.message.split(' (got ')[0] ?? '' } : d,
      ),
    );
  }
}

const INVALID_CREDENTIALS = 'Email or password is incorrect';
// What a client is told to wait while the rate limiter's store is unreachable (a Redis failover takes ~5-10 s).
const LIMITER_RETRY_AFTER_SECONDS = 10;

/** The user as its owner or an administrator sees it: public fields and the roles its next token carries. */
function userView(user: User, adminEmails: ReadonlySet<string>) {
  return { ...toPublicUser(user), roles: effectiveRoles(user, adminEmails) };
}

/** Registration, login, reading one's own user, and role management by administrators. */
export function userRoutes(deps: UserRouteDeps, { registry, logger }: RouteContext): Router {
  const { repository, outbox, throttle, jwt, adminEmails } = deps;
  const usersRegistered = new Counter({
    name: 'users_registered_total',
    help: 'Users registered',
    registers: [registry],
  });
  const logins = new Counter({
    name: 'logins_total',
    help: 'Login requests by outcome: success, invalid_credentials, rate_limited, unavailable',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });

  // Unknown emails are checked against this, so they cost one hash like known ones and response times do
  // not reveal which emails have accounts. Created on first use; its password is random and discarded.
  let dummyHash: Promise<string> | undefined;
  const unknownUserHash = () => (dummyHash ??= hashPassword(randomBytes(32).toString('base64')));

  const authenticate = requireAuth({ secret: jwt.secret, issuer: jwt.issuer });
  const router = Router();

  router.post('/api/auth/register', async (req, res) => {
    parseInput(noQuery, req.query, 'query');
    const { email, password, name } = parseBody(registerBody, req.body);
    const passwordHash = await hashPassword(password);
    const requestId = getRequestId(res);
    const result = await repository.create({ email, name, passwordHash }, (user, session) =>
      outbox.add([userRegistered(user, deps.serviceName, requestId)], session),
    );
    if (!result.ok) throw new ConflictError(`A user with email "${email}" already exists`, 'email_taken');
    usersRegistered.inc();
    getRequestLogger(res, logger).info({ userId: result.user.id }, 'user registered');
    res.status(201).location(`/api/users/${result.user.id}`).json(toPublicUser(result.user));
  });

  router.post('/api/auth/login', async (req, res) => {
    parseInput(noQuery, req.query, 'query');
    const { email, password } = parseBody(loginBody, req.body);
    const log = getRequestLogger(res, logger);

    // req.ip honours X-Forwarded-For only when the deployer sets Express's `trust proxy` (see README).
    let decision: ThrottleDecision;
    try {
      decision = await throttle.attempt(email, req.ip ?? 'unknown');
    } catch (err) {
      // Fail closed: without the shared counters, guesses could not be limited (Redis is down).
      logins.inc({ outcome: 'unavailable' });
      log.error({ err }, 'login refused: the login rate limiter is unavailable');
      res.setHeader('Retry-After', String(LIMITER_RETRY_AFTER_SECONDS));
      throw new HttpError(503, 'login_unavailable', 'Login is temporarily unavailable; try again shortly');
    }
    if (!decision.allowed) {
      logins.inc({ outcome: 'rate_limited' });
      log.warn({ ip: req.ip }, 'login refused: too many attempts');
      res.setHeader('Retry-After', String(decision.retryAfterSeconds));
      throw new HttpError(
        429,
        'too_many_attempts',
        `Too many login attempts; try again in ${decision.retryAfterSeconds} seconds`,
      );
    }

    const user = await repository.findByEmail(email);
    const valid = await verifyPassword(password, user?.passwordHash ?? (await unknownUserHash()));
    if (user === undefined || !valid) {
      logins.inc({ outcome: 'invalid_credentials' });
      log.info({ userId: user?.id, reason: user ? 'wrong_password' : 'unknown_email' }, 'login failed');
      throw new HttpError(401, 'invalid_credentials', INVALID_CREDENTIALS);
    }

    // A failed reset only leaves the count standing until the window ends; the login itself succeeded.
    await throttle
      .succeeded(email)
      .catch((err: unknown) => log.warn({ err }, 'could not reset the failed-login count'));
    logins.inc({ outcome: 'success' });
    // Roles are read now and fixed for the token's lifetime: a grant or revoke applies from the next login.
    const roles = effectiveRoles(user, adminEmails);
    log.info({ userId: user.id, roles }, 'login succeeded');
    const accessToken = signAccessToken({ sub: user.id, email: user.email, roles }, jwt);
    // Tokens must not sit in browser or proxy caches.
    res.setHeader('Cache-Control', 'no-store');
    res.json({ accessToken, tokenType: 'Bearer', expiresIn: jwt.ttlSeconds });
  });

  router.get('/api/users/:id', authenticate, async (req, res) => {
    parseInput(noQuery, req.query, 'query');
    const id = parseInput(userId, req.params.id, 'id');
    // Before the lookup, so other users' ids cannot be probed for existence.
    const auth = getAuth(res);
    if (auth.sub !== id && !auth.roles.includes('admin')) {
      throw new ForbiddenError('You may only read your own user');
    }
    const user = await repository.findById(id);
    if (!user) throw new NotFoundError(`User ${id} not found`);
    res.setHeader('Cache-Control', 'private, no-store');
    res.json(userView(user, adminEmails));
  });

  // Granting and revoking: admins only, checked before the id and role are looked at.
  const admin = [authenticate, requireRole('admin')];
  const roleTarget = (req: Request): { id: string; role: Role } => {
    parseInput(noQuery, req.query, 'query');
    return {
      id: parseInput(userId, req.params.id, 'id'),
      role: parseInput(roleName, req.params.role, 'role'),
    };
  };
  const answer = (res: Response, user: User | undefined, id: string, change: string, role: Role) => {
    if (!user) throw new NotFoundError(`User ${id} not found`);
    getRequestLogger(res, logger).info({ userId: id, role, by: getAuth(res).sub }, `role ${change}`);
    res.setHeader('Cache-Control', 'private, no-store');
    res.json({ id, roles: effectiveRoles(user, adminEmails) });
  };

  router.put('/api/users/:id/roles/:role', ...admin, async (req, res) => {
    const { id, role } = roleTarget(req);
    answer(res, await repository.grantRole(id, role), id, 'granted', role);
  });

  router.delete('/api/users/:id/roles/:role', ...admin, async (req, res) => {
    const { id, role } = roleTarget(req);
    if (role === 'admin') {
      const user = await repository.findById(id);
      if (!user) throw new NotFoundError(`User ${id} not found`);
      // Revoking the stored role would change nothing at the next login, so say where the role comes from.
      if (adminEmails.has(user.email)) {
        throw new ConflictError(
          `The admin role of user ${id} comes from configuration (ADMIN_EMAILS) and cannot be revoked through the API`,
          'role_from_configuration',
        );
      }
    }
    answer(res, await repository.revokeRole(id, role), id, 'revoked', role);
  });

  return router;
}
