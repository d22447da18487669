export * from './mongodb-connection';
export * from './mongodb-replica-set-chart';
export * from './mongodb-replica-set-props';
