export type { ConnectMongoOptions, MongoConnection } from './connect-mongo';
export { connectMongo } from './connect-mongo';
export type { IndexSpec } from './ensure-indexes';
export { ensureIndexes } from './ensure-indexes';
export { mongoEnv } from './mongo-env';
export { MongoOutboxStore } from './mongo-outbox-store';
export { monitorMongoFailures } from './monitor-mongo-failures';
export { mongoReadiness } from './mongo-readiness';
export { withTransaction } from './with-transaction';
