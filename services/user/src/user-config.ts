import type { Env } from '@platform/common';
import {
  cacheEnv,
  eventsEnv,
  intString,
  jwtEnv,
  loadConfig,
  requireAdapterSettings,
  serviceKeysFromEnv,
  storageEnv,
  z,
} from '@platform/common';
import { email } from './user-schemas';

/**
 * Users whose email is listed hold `admin` from configuration, in addition to their stored roles: how the first
 * administrator comes about. Comma-separated; entries are normalised like login emails. Bad entries are named
 * by position (the value loadConfig quotes has the part before each "@" redacted).
 */
const adminEmails = z
  .string()
  .transform((raw, ctx) => {
    const emails = new Set<string>();
    const bad: number[] = [];
    // Positions count empty entries too, so they match the list as written; empty entries are skipped.
    raw.split(',').forEach((entry, index) => {
      if (entry.trim() === '') return;
      const parsed = email.safeParse(entry);
      if (parsed.success) emails.add(parsed.data);
      else bad.push(index + 1);
    });
    if (bad.length > 0) {
      const which = bad.length === 1 ? `entry ${bad[0]} is not one` : `entries ${bad.join(', ')} are not`;
      ctx.addIssue({ code: 'custom', message: `must be comma-separated email addresses (${which})` });
    }
    return [...emails];
  })
  .default([]);

const userEnv = {
  ...jwtEnv,
  JWT_TTL_SECONDS: intString(60, 86_400).default(900),
  // Failed logins per normalised email within the window; a success resets the count.
  LOGIN_MAX_FAILURES_PER_EMAIL: intString(1, 1000).default(5),
  // Login attempts per client IP within the window; successes count too (see README).
  LOGIN_MAX_ATTEMPTS_PER_IP: intString(1, 100_000).default(20),
  LOGIN_WINDOW_SECONDS: intString(1, 86_400).default(900),
  // Proxies (ingress, load balancer) in front of the pods, so req.ip is the client and not the proxy.
  TRUST_PROXY_HOPS: intString(0, 10).default(0),
  OUTBOX_RELAY_INTERVAL_MS: intString(10, 60_000).default(1000),
  // From the Secret `user-admins` in the clusters (stack config platform:auth.adminEmails); optional.
  ADMIN_EMAILS: adminEmails,
  // Users and their outbox (STORAGE), user-events (EVENTS), login counters (CACHE); see dependencies.ts.
  ...storageEnv,
  ...eventsEnv,
  ...cacheEnv,
};

export type UserConfig = ReturnType<typeof loadUserConfig>;

/**
 * The common settings plus the user service's own; SERVICE_NAME defaults to `user`. Throws ConfigError
 * naming every bad variable, and the connection settings the selected adapters lack.
 */
export function loadUserConfig(env: Env = process.env) {
  const config = requireAdapterSettings(
    loadConfig({ env: { SERVICE_NAME: 'user', ...env }, extend: userEnv }),
  );
  // SERVICE_KEY_<CALLER>: the services that may call /internal/ (order); see common's service-auth.ts.
  return { ...config, serviceKeys: serviceKeysFromEnv(env) };
}
