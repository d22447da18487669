export * from './apply-objects';
export * from './existing-cluster';
