export * from './analysis-lines';
export * from './explain-service';
export * from './plan-objects';
