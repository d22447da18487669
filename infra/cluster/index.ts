export * from './cluster-info';
export * from './eks';
export * from './on-prem-cluster';
