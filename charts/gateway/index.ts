export * from './gateway-chart';
