export * from './kube-prometheus-stack-values';
export * from './monitoring-stack';
export * from './alloy-values';
export * from './grafana-datasources';
export * from './logs-and-traces';
export * from './loki-values';
export * from './tempo-values';
