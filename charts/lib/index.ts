export * from './labels';
export * from './synth';
export * from './network-peer';
export * from './workload-types';
