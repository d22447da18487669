export { ConfigError, type ConfigProblem } from './config-error';
export { TIER_DEFAULTS } from './defaults';
export { CONFIG_NAMESPACE, checkKubeconfig, parseEnvironment, REDACTED_SECRET } from './parse';
export { parseBytes, parseCpu } from './quantity';
export * from './types';
