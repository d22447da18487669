export type { AdapterPart } from './adapter-part';
export { memoryPart } from './adapter-part';
export { closeAll, openOrClose } from './close-all';
export type { EventPublisherPart, EventsSwitch } from './select-event-publisher';
export { selectEventPublisher } from './select-event-publisher';
export type { MongoSwitch, SelectMongoOptions } from './select-mongo';
export { selectMongo } from './select-mongo';
export type { CacheSwitch, SelectRedisOptions } from './select-redis';
export { selectRedis } from './select-redis';
