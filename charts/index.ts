export * from './lib';
export * from './microservice';
export * from './namespace-baseline';
