export * from './data-layer';
export * from './distributed-secret';
export * from './kafka-cluster';
export * from './kafka-mirror';
export * from './mongodb-cluster';
export * from './redis-sentinel';
export * from './with-annotations';
export * from './generated-password';
