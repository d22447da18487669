export * from './monitoring-network-policies-chart';
