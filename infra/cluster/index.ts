export * from './cluster-info';
export * from './existing-cluster';
