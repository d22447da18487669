export * from './environments';
export * from './plan-diff';
export * from './promotion';
export * from './release';
export * from './release-request';
export * from './run-plan';
export * from './stack-image';
export * from './staged-stack';
