export * from './network-reachability';
export * from './plan-pods';
export * from './edge-diff';
