export { ConfigError, type ConfigProblem } from './config-error';
export { TIER_DEFAULTS } from './defaults';
export { CONFIG_NAMESPACE, parseEnvironment } from './parse';
export { parseBytes, parseCpu } from './quantity';
export * from './types';
