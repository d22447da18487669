import { randomUUID } from 'node:crypto';
import type { Role } from '@platform/common';
import { signAccessToken } from '@platform/common';

/** The signing settings the product tests start the service with. */
export const TEST_JWT = { secret: 'product-test-hmac-key-of-at-least-32-bytes', issuer: 'platform' };

/** `authorization` headers for the catalog writes: a fresh user with `roles` (catalog-manager by default). */
export function bearer(
  roles: readonly Role[] = ['catalog-manager'],
  options: { secret?: string; now?: number } = {},
): { authorization: string } {
  const token = signAccessToken(
    { sub: randomUUID(), email: 'catalog@example.com', roles },
    { ...TEST_JWT, ttlSeconds: 300, ...options },
  );
  return { authorization: `Bearer ${token}` };
}
