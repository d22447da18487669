import { Router } from 'express';
import type { ServiceKeys } from '@platform/common';
import { NotFoundError, parseInput, requireServiceCaller } from '@platform/common';
import type { UserRepository } from './user-repository';
import { userId } from './user-schemas';

export interface UserInternalRouteDeps {
  readonly repository: UserRepository;
  /** This service's name: the `aud` service tokens must carry. */
  readonly serviceName: string;
  /** The callers accepted at all (SERVICE_KEY_<CALLER>); each route names who of them may call it. */
  readonly serviceKeys: ServiceKeys;
}

/**
 * Operations for other services only, under /internal/ (never routed by the gateway) and behind an
 * X-Service-Token: 401 without a valid one, 403 for a caller a route does not name. A user's token is
 * never enough, so these may answer what the public API keeps to the owner.
 */
export function userInternalRoutes(deps: UserInternalRouteDeps): Router {
  const callers = { audience: deps.serviceName, keys: deps.serviceKeys };
  const router = Router();

  // Whether an account exists, for order placing orders for it: the id only, nothing about the person.
  router.get('/internal/users/:id', requireServiceCaller(callers, 'order'), async (req, res) => {
    const id = parseInput(userId, req.params.id, 'id');
    const user = await deps.repository.findById(id);
    if (!user) throw new NotFoundError(`User ${id} not found`);
    res.json({ id: user.id, exists: true });
  });

  return router;
}
