export * from './labels';
export * from './synth';
export * from './network-peer';
export * from './workload-types';
export * from './security-context';
export * from './quantity';
