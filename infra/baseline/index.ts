export * from './cluster-baseline';
export * from './namespaces';
