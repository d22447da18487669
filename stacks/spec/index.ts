export { worstCaseRpoMinutes, oplogSpanMinutes } from './backup-rpo';
export { ConfigError, type ConfigProblem } from './config-error';
export { FOREIGN_NAMESPACES } from './config-namespaces';
export { checkAcrossStacks, type StackRawConfig } from './cross-stack';
export { TIER_DEFAULTS } from './defaults';
export {
  CONFIG_NAMESPACE,
  checkKubeconfig,
  parseEnvironment,
  REDACTED_SECRET,
  type ParseOptions,
} from './parse';
export { parseBytes, parseCpu } from './quantity';
export { RESERVED_NAMESPACES } from './schema';
export * from './types';
export { EDGE_DEFAULTS, underPrefix } from './edge-traffic';
export { DR_DEFAULTS, STANDBY_WARM_SIZES } from './dr';
export {
  cronIntervalMinutes,
  DR_STORES,
  formatMinutes,
  missedTargets,
  rtoEstimate,
  storeRpos,
  type DrStore,
  type RtoEstimate,
  type RtoStep,
  type StoreRpo,
} from './dr-objectives';
