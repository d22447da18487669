export * from './namespace-baseline-chart';
