/**
 * One-shot queries to single Redis servers and sentinels through ioredis, for the drill's checks. Each query
 * opens its own connection, so a dead server fails one query and nothing lingers.
 */
import { Redis } from 'ioredis';

export interface Address {
  readonly host: string;
  readonly port: number;
}

export const addressText = (a: Address): string => `${a.host}:${a.port}`;

/** Sends one command; rejects when the server is unreachable, slow or answers with an error. */
export async function query(address: Address, password: string, args: readonly string[], timeoutMs = 1000) {
  const client = new Redis({
    host: address.host,
    port: address.port,
    password,
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableReadyCheck: false,
    enableOfflineQueue: false,
    // ioredis keeps a timer this long after disconnect() when the socket had already closed (a dead server).
    disconnectTimeout: 100,
  });
  // Failures surface through connect() and call(); the event only needs a listener so it is not thrown.
  client.on('error', () => undefined);
  try {
    await client.connect();
    const [command = '', ...rest] = args;
    return (await client.call(command, ...rest)) as unknown;
  } finally {
    client.disconnect();
  }
}

/** The first element of ROLE: 'master', 'slave' or 'sentinel'. */
export async function role(address: Address, password: string): Promise<string> {
  const reply = await query(address, password, ['ROLE']);
  return Array.isArray(reply) ? String(reply[0]) : '';
}

/** INFO <section> as key/value pairs. */
export async function info(
  address: Address,
  password: string,
  section: string,
): Promise<Map<string, string>> {
  const text = String(await query(address, password, ['INFO', section]));
  const fields = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0 && !line.startsWith('#')) fields.set(line.slice(0, at), line.slice(at + 1));
  }
  return fields;
}

/** The replicas a master lists in INFO replication (`slaveN:ip=...,port=...,state=online,...`). */
export function replicasOf(replication: Map<string, string>): { address: Address; state: string }[] {
  return [...replication.entries()]
    .filter(([key]) => /^slave\d+$/.test(key))
    .map(([, value]) => {
      const fields = new Map(value.split(',').map((pair) => pair.split('=') as [string, string]));
      return {
        address: { host: fields.get('ip') ?? '', port: Number(fields.get('port')) },
        state: fields.get('state') ?? '',
      };
    });
}

/** The master a sentinel names for `masterName`, or undefined when it knows none. */
export async function sentinelMaster(
  sentinel: Address,
  password: string,
  masterName: string,
): Promise<Address | undefined> {
  const reply = await query(sentinel, password, ['SENTINEL', 'get-master-addr-by-name', masterName]);
  if (!Array.isArray(reply) || reply.length !== 2) return undefined;
  return { host: String(reply[0]), port: Number(reply[1]) };
}

/** SENTINEL replicas / sentinels as records of their fields. */
export async function sentinelPeers(
  sentinel: Address,
  password: string,
  what: 'replicas' | 'sentinels',
  masterName: string,
): Promise<Record<string, string>[]> {
  const reply = await query(sentinel, password, ['SENTINEL', what, masterName]);
  if (!Array.isArray(reply)) return [];
  return reply.map((entry) => {
    const flat = Array.isArray(entry) ? entry.map(String) : [];
    const record: Record<string, string> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) record[flat[i] as string] = flat[i + 1] as string;
    return record;
  });
}
