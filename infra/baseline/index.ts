export * from './cluster-baseline';
export * from './helm-release';
export * from './namespaces';
