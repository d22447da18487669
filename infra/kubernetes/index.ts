export * from './apply-objects';
export * from './helm-release';
