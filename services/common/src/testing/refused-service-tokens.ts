import { signHs256 } from '../hs256';
import { SERVICE_TOKEN_HEADER, signServiceToken } from '../service-auth';

/** One request header set an internal route must answer 401 to. */
export interface RefusedServiceToken {
  readonly what: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * The credentials a callee's /internal/ routes must refuse with 401, for `caller` calling `audience` with
 * `key` (the callee's SERVICE_KEY_<CALLER>): a user's access token (as Authorization and as the service
 * token), a token for another audience, expired, issued in the future, living too long, from an unknown
 * caller, and forged (the right caller, another key).
 */
export function refusedServiceTokens(options: {
  readonly audience: string;
  readonly caller: string;
  readonly key: string;
  /** A valid access token of a user of the platform (an admin's, to make the point). */
  readonly userToken: string;
}): RefusedServiceToken[] {
  const { audience, caller, key } = options;
  const now = Date.now();
  const header = (token: string) => ({ [SERVICE_TOKEN_HEADER]: token });
  const iat = Math.floor(now / 1000);
  return [
    {
      what: "a user's access token as Authorization",
      headers: { authorization: `Bearer ${options.userToken}` },
    },
    { what: "a user's access token as the service token", headers: header(options.userToken) },
    {
      what: 'a token for another audience',
      headers: header(signServiceToken({ caller, audience: `not-${audience}` }, key)),
    },
    {
      what: 'an expired token',
      headers: header(signServiceToken({ caller, audience }, key, { now: now - 120_000 })),
    },
    {
      what: 'a token issued 5 minutes in the future',
      headers: header(signServiceToken({ caller, audience }, key, { now: now + 300_000 })),
    },
    {
      what: 'a token living 10 minutes',
      headers: header(signHs256({ iss: caller, aud: audience, iat, exp: iat + 600 }, key)),
    },
    {
      what: 'a token of an unknown caller',
      headers: header(signServiceToken({ caller: 'intruder', audience }, key)),
    },
    {
      what: 'a forged signature',
      headers: header(signServiceToken({ caller, audience }, 'an-attacker-chosen-key-of-32-bytes-long!')),
    },
    { what: 'garbage', headers: header('not.a.token') },
  ];
}
