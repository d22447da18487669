export * from './network-reachability';
export * from './plan-pods';
export * from './edge-diff';
export * from './intended-check';
export * from './stack-facts';
