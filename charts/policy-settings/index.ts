export * from './policy-settings-contract';
export * from './policy-settings-chart';
