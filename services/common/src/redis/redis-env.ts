import { z } from 'zod';
import { envString } from '../config';
import type { EnvShape } from '../config';
import { hostPortList } from '../host-port-list';

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
  REDIS_URL: envString(/^rediss?:\/\/\S+$/, 'a URL starting with redis:// or rediss://').optional(),
} satisfies EnvShape;
