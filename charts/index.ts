export * from './certificate-issuers';
export * from './gateway';
export * from './lib';
export * from './microservice';
export * from './namespace-baseline';
export * from './platform-access';
