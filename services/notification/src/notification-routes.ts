import type { Request } from 'express';
import { Router } from 'express';
import type { AccessTokenClaims, JwtOptions } from '@platform/common';
import {
  ConflictError,
  NotFoundError,
  getAuth,
  getRequestId,
  parseInput,
  requireAuth,
} from '@platform/common';
import type { Notification } from './notification';
import type { NotificationRepository } from './notification-repository';
import { notificationId, sendBody } from './notification-schemas';
import type { NotificationSender } from './notification-sender';

function idParam(req: Request): string {
  return parseInput(notificationId, req.params.id, 'id');
}

/** The owner, or the person an email was addressed to (the token's email is verified by the user service). */
function canRead(notification: Notification, auth: AccessTokenClaims): boolean {
  if (notification.ownerId === auth.sub) return true;
  return (
    notification.channel === 'email' && notification.recipient.toLowerCase() === auth.email.toLowerCase()
  );
}

/** Sending and reading notifications; every route needs a valid access token. */
export function notificationRoutes(
  sender: NotificationSender,
  repository: NotificationRepository,
  jwt: JwtOptions,
): Router {
  const router = Router();
  router.use('/api/notifications', requireAuth(jwt));

  router.post('/api/notifications/send', async (req, res) => {
    const auth = getAuth(res);
    const input = parseInput(sendBody, req.body);
    const requestId = getRequestId(res);
    const result = await sender.send({
      ownerId: auth.sub,
      ...input,
      ...(requestId !== undefined && { requestId }),
    });
    if (!result.ok) {
      throw new ConflictError(
        `idempotencyKey "${input.idempotencyKey ?? ''}" was already used for notification ${result.existing.id} with a different message; use a new key`,
        'idempotency_key_reused',
      );
    }
    // 201 for a new notification whatever its status (the record was created); 200 for a replayed key.
    res
      .status(result.created ? 201 : 200)
      .location(`/api/notifications/${result.notification.id}`)
      .json(result.notification);
  });

  router.get('/api/notifications/:id', async (req, res) => {
    const id = idParam(req);
    const notification = await repository.get(id);
    // Someone else's notification answers like a missing one, so ids cannot be probed.
    if (!notification || !canRead(notification, getAuth(res))) {
      throw new NotFoundError(`Notification ${id} not found`);
    }
    res.json(notification);
  });

  return router;
}
