export * from './argo-rollouts-values';
export * from './argo-rollouts';
