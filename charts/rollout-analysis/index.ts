export * from './analysis-thresholds';
export * from './condition-expr';
export * from './measurement-outcome';
export * from './resolve-args';
export * from './rollout-analysis-chart';
export * from './slo-analysis-template';
export * from './smoke-analysis-template';
export * from './template-names';
