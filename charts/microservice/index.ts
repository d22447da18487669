export * from './microservice-chart';
export * from './microservice-props';
