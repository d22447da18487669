import type { StorageKind } from '../adapter-switches';
import { requireMongoUri } from '../adapter-switches';
import type { Registry } from 'prom-client';
import type { Logger } from '../logger';
import type { MongoConnection } from '../mongo/connect-mongo';
import { connectMongo } from '../mongo/connect-mongo';
import { mongoReadiness } from '../mongo/mongo-readiness';
import type { AdapterPart } from './adapter-part';
import { memoryPart } from './adapter-part';

/** What selectMongo reads from a service's config. */
export interface MongoSwitch {
  readonly STORAGE: StorageKind;
  readonly MONGODB_URI?: string | undefined;
  readonly MONGODB_DATABASE?: string | undefined;
  readonly serviceName: string;
}

export interface SelectMongoOptions<T> {
  /** The in-process adapter for STORAGE=memory. */
  readonly memory: () => T;
  /** Builds the adapter on the connected database, e.g. ensuring its indexes. */
  readonly open: (mongo: MongoConnection) => Promise<T>;
  /** Logged as a warning when STORAGE=memory, e.g. that the data is lost on restart. */
  readonly memoryWarning?: string;
  /** Whether /ready pings MongoDB (check `mongodb`); default true. */
  readonly readiness?: boolean;
  /** The service's registry, for the client's `datastore_connection_failures_total{store="mongodb"}`. */
  readonly registry?: Registry;
}

/**
 * The adapter STORAGE picks: `memory()` for STORAGE=memory; for STORAGE=mongo, connects (MONGODB_URI,
 * MONGODB_DATABASE, the service name as appName) and `open`s it, with the readiness check `mongodb` and the
 * close hook `mongodb`. When `open` fails, the connection is closed before the error is rethrown.
 */
export async function selectMongo<T>(
  config: MongoSwitch,
  logger: Logger,
  options: SelectMongoOptions<T>,
): Promise<AdapterPart<T>> {
  if (config.STORAGE === 'memory') {
    if (options.memoryWarning !== undefined) logger.warn(options.memoryWarning);
    return memoryPart(options.memory());
  }
  const mongo = await connectMongo({
    uri: requireMongoUri(config),
    database: config.MONGODB_DATABASE,
    appName: config.serviceName,
    logger,
    ...(options.registry !== undefined && { registry: options.registry }),
  });
  try {
    return {
      value: await options.open(mongo),
      readinessChecks: options.readiness === false ? {} : { mongodb: mongoReadiness(mongo) },
      closeHooks: [{ name: 'mongodb', close: () => mongo.close() }],
    };
  } catch (error) {
    await mongo.close().catch(() => undefined);
    throw error;
  }
}
