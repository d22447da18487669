import { ROLES, text, z } from '@platform/common';

export const userId = z.uuid({ error: 'must be a user id (UUID)' });

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;

// RFC 5321 caps a forward path at 256 octets, which leaves 254 for the address itself.
/** An email address, normalised (trimmed, lowercase) the same way for registration, login and ADMIN_EMAILS. */
export const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ error: 'must be an email address such as "ada@example.com"' }));

export const registerBody = z
  .object({
    email,
    // Length only (NIST 800-63B): composition rules make passwords weaker in practice, not stronger.
    password: z.string().min(PASSWORD_MIN_LENGTH).max(PASSWORD_MAX_LENGTH),
    // The shared text rule (common's text.ts): no control, invisible or bidi characters; stored as NFC.
    name: text({ max: 100 }),
  })
  .strict();

export const loginBody = z
  .object({
    email,
    // No minimum beyond 1: a policy change must not lock out users whose passwords predate it.
    password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  })
  .strict();

export const roleName = z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` });

/** None of the endpoints takes query parameters; refusing them catches clients sending secrets in URLs. */
export const noQuery = z.object({}).strict();
