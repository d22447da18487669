export * from './public-route-chart';
