import { MongoClient } from 'mongodb';
import type { Db, MongoClientOptions } from 'mongodb';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { abortable } from '../abortable';
import { ConfigError } from '../config';
import { redactText } from '../redact';
import { datastoreFailureRecorder } from '../store-metrics/datastore-failures';
import { monitorMongoFailures } from './monitor-mongo-failures';

/** How to reach MongoDB: usually `{ uri: config.MONGODB_URI, database: config.MONGODB_DATABASE, ... }`. */
export interface ConnectMongoOptions {
  /** MONGODB_URI, a replica-set connection string. Never logged or echoed in errors: it holds a password. */
  readonly uri: string;
  /** MONGODB_DATABASE; when unset, the database named in the URI's path. */
  readonly database?: string | undefined;
  /** Shown in the server's logs and currentOp; the service name. */
  readonly appName: string;
  readonly logger: Logger;
  /** How long an operation waits for a usable primary (default 10 s); tests lower it. */
  readonly serverSelectionTimeoutMS?: number;
  /**
   * The service's registry: failed heartbeats and failed connection check-outs count in
   * `datastore_connection_failures_total{store="mongodb"}` (0 from the start; see monitorMongoFailures).
   */
  readonly registry?: Registry;
}

/** A connected client and its database. */
export interface MongoConnection {
  readonly client: MongoClient;
  readonly db: Db;
  /** Round trip to the server; rejects with `signal.reason` when `signal` aborts first. */
  ping(signal?: AbortSignal): Promise<void>;
  /** Closes every pooled connection; a CloseHook for `start`. */
  close(): Promise<void>;
}

/**
 * The platform's client settings: acknowledged writes survive a primary failover (majority, journaled),
 * reads see only majority-committed data, transient network errors and elections are retried once by the
 * driver, and nothing waits forever for a primary.
 */
export function mongoClientOptions(appName: string, serverSelectionTimeoutMS = 10_000): MongoClientOptions {
  return {
    appName,
    writeConcern: { w: 'majority', journal: true, wtimeoutMS: 10_000 },
    readConcern: { level: 'majority' },
    readPreference: 'primary',
    retryWrites: true,
    retryReads: true,
    serverSelectionTimeoutMS,
    connectTimeoutMS: 10_000,
    // Longer than any query a request should make, so only a dead socket hits it.
    socketTimeoutMS: 60_000,
    maxPoolSize: 20,
    maxIdleTimeMS: 60_000,
    waitQueueTimeoutMS: 10_000,
  };
}

/** The database in the URI's path (`mongodb://u:p@h1,h2/orders?replicaSet=rs0` -> `orders`). */
export function databaseFromUri(uri: string): string | undefined {
  const match = /^mongodb(?:\+srv)?:\/\/[^/?]*\/([^?]*)/.exec(uri);
  const name = match?.[1] ? decodeURIComponent(match[1]) : '';
  return name === '' ? undefined : name;
}

/** Removes the URI's credentials (raw and decoded) from a text such as an error message; see also redactText. */
export function redactCredentials(text: string, uri: string): string {
  const userinfo = /^mongodb(?:\+srv)?:\/\/([^@/]+)@/.exec(uri)?.[1];
  if (userinfo === undefined) return text;
  const password = userinfo.includes(':') ? userinfo.slice(userinfo.indexOf(':') + 1) : '';
  let decoded = password;
  try {
    decoded = decodeURIComponent(password);
  } catch {
    // not percent-encoded: the raw form is all there is
  }
  let out = text.split(uri).join('<redacted uri>').split(userinfo).join('<redacted>');
  for (const secret of [password, decoded]) if (secret.length > 0) out = out.split(secret).join('<redacted>');
  return out;
}

function scrub(error: unknown, uri: string): unknown {
  if (error instanceof Error) {
    error.message = redactText(redactCredentials(error.message, uri));
    if (error.stack !== undefined) error.stack = redactText(redactCredentials(error.stack, uri));
  }
  return error;
}

/**
 * Connects to MongoDB (resolving once a primary answered) with the settings of `mongoClientOptions`.
 * Rejects when no primary is reachable within the server selection timeout; error messages never contain
 * the URI's credentials.
 */
export async function connectMongo(options: ConnectMongoOptions): Promise<MongoConnection> {
  const { uri, logger } = options;
  const database = options.database ?? databaseFromUri(uri);
  if (database === undefined) {
    throw new Error('connectMongo: no database: set MONGODB_DATABASE or name one in the MONGODB_URI path');
  }
  let client: MongoClient;
  try {
    client = new MongoClient(uri, mongoClientOptions(options.appName, options.serverSelectionTimeoutMS));
  } catch (error) {
    // Parsing failed: the setting is wrong, so say which one, without the driver's echo of it.
    const reason = error instanceof Error ? `: ${redactText(redactCredentials(error.message, uri))}` : '';
    throw new ConfigError([
      `MONGODB_URI is not a connection string the driver can read${reason} (got <redacted>)`,
    ]);
  }
  // Before connecting, so the heartbeats that fail while the first primary is sought count too.
  const detach = monitorMongoFailures(client, datastoreFailureRecorder(options.registry, 'mongodb'));
  try {
    await client.connect();
  } catch (error) {
    detach();
    // The client's monitors would otherwise keep retrying (and the process alive) after a failed start.
    await client.close().catch(() => undefined);
    throw scrub(error, uri);
  }
  const db = client.db(database);
  logger.info({ database, replicaSet: client.options.replicaSet }, 'mongodb connected');

  return {
    client,
    db,
    async ping(signal) {
      const command = db.command({ ping: 1 }, signal === undefined ? {} : { signal });
      try {
        await (signal === undefined ? command : abortable(command, signal));
      } catch (error) {
        throw scrub(error, uri);
      }
    },
    async close() {
      // Closing is not failing: what the monitors report from here on is not counted.
      detach();
      await client.close();
      logger.info({ database }, 'mongodb connection closed');
    },
  };
}
