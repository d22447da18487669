export * from './binaries';
export * from './prometheus-server';
export * from './rule-files';
export * from './scrape-config';
