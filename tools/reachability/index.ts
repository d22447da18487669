export * from './network-reachability';
export * from './plan-pods';
