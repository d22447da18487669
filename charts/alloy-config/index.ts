export {
  ALLOY_EXTRA_PORTS,
  ALLOY_LOG_LABELS,
  ALLOY_POD_LABELS,
  ALLOY_STRUCTURED_METADATA,
  DEFAULT_LOKI_PUSH_URL,
  DEFAULT_TEMPO_OTLP_ENDPOINT,
  LOG_LEVEL_VALUES,
  OTLP_GRPC_PORT,
  OTLP_HTTP_PORT,
  PINO_LEVEL_NAMES,
  PROBE_PATHS,
  type AlloyConfigProps,
  type AlloyLogLabel,
} from './alloy-config-props';
export { ALLOY_COMPONENTS, renderAlloyConfig } from './render-alloy-config';
export { validateAlloyConfigProps } from './validate-alloy-config-props';
export {
  AlloyConfigError,
  checkAlloyConfig,
  followPipeline,
  type AlloyConfigGraph,
} from './alloy-config-check';
export { AlloySyntaxError, parseAlloy, type ParsedStatement } from './alloy-parser';
