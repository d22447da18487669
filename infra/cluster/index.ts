export * from './cluster-info';
export * from './on-prem-cluster';
