export * from './network-reachability';
