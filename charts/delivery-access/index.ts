export * from './delivery-access-chart';
export * from './controller-metrics-chart';
