import { z } from 'zod';
import { envString } from '../config';
import type { EnvShape } from '../config';
import { hostPortList } from '../host-port-list';

/**
 * Whether ioredis reads `raw` as a Redis address: it parses as a URL with a redis(s) scheme, a host, a port
 * 1-65535, a database number as the path, and percent escapes that decode. Checked here because ioredis
 * throws for the first three with an error that quotes the whole URL, password included, and reads the rest
 * as NaN or garbage.
 */
function isRedisUrl(raw: string): boolean {
  if (!/^rediss?:\/\/\S+$/.test(raw)) return false;
  let url: URL;
  try {
    url = new URL(raw);
    decodeURIComponent(url.username);
    decodeURIComponent(url.password);
  } catch {
    return false;
  }
  return url.hostname !== '' && /^(\/\d{0,2})?$/.test(url.pathname);
}

/**
 * Redis settings for loadConfig's `extend`: `loadConfig({ extend: { ...redisEnv } })`. In the cluster,
 * REDIS_SENTINELS (`h1:26379,h2:26379`), REDIS_MASTER_NAME and REDIS_PASSWORD (for the data nodes and the
 * sentinels); for a local single Redis, REDIS_URL (`redis://localhost:6379`). createRedisClient requires
 * exactly one of REDIS_SENTINELS and REDIS_URL.
 */
export const redisEnv = {
  REDIS_SENTINELS: hostPortList().optional(),
  REDIS_MASTER_NAME: envString(
    /^[A-Za-z0-9._-]{1,64}$/,
    'a name of 1-64 characters A-Z, a-z, 0-9, ".", "_", "-"',
  ).default('mymaster'),
  REDIS_PASSWORD: z.string().optional(),
  REDIS_URL: z
    .string()
    .refine(isRedisUrl, {
      error:
        'must be a URL starting with redis:// or rediss:// with a host, port 1-65535 and database number',
    })
    .optional(),
} satisfies EnvShape;
