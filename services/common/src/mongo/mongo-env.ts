import { envString } from '../config';
import type { EnvShape } from '../config';

/**
 * MongoDB settings for loadConfig's `extend`: `loadConfig({ extend: { ...mongoEnv } })`. MONGODB_URI is
 * required (a secret: config errors print it as <redacted>); MONGODB_DATABASE is optional and defaults to
 * the database named in the URI's path.
 */
export const mongoEnv = {
  MONGODB_URI: envString(
    /^mongodb(\+srv)?:\/\/\S+$/,
    'a connection string starting with mongodb:// or mongodb+srv://',
  ),
  MONGODB_DATABASE: envString(
    /^[A-Za-z0-9_-]{1,63}$/,
    'a database name of A-Z, a-z, 0-9, "_", "-" (max 63)',
  ).optional(),
} satisfies EnvShape;
