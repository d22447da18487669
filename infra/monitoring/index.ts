export * from './kube-prometheus-stack-values';
export * from './monitoring-stack';
