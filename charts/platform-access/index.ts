export * from './platform-access-chart';
