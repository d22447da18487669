// First of all: tracing starts from the environment before anything below loads express, http, the
// database drivers, kafkajs or pino (instrumentations patch modules as they are required; see
// tracing/preload.ts).
export type { MessageHeaders, TraceCarrier, Tracing, TracingConfig, TracingStartup } from './tracing';
export {
  TRACING_OFF,
  contextFromHeaders,
  loadTracingConfig,
  startTracing,
  traceCarrier,
  tracingStartup,
  withProcessSpan,
  withPublishSpan,
} from './tracing';
export type { AppOptions, RouteContext, ServiceApp } from './app';
export { createApp } from './app';
export type { Env, EnvShape, EnvValues, LogLevel, ServiceConfig, Track } from './config';
export {
  ConfigError,
  LOG_LEVELS,
  TRACKS,
  envEnum,
  envString,
  loadConfig,
  parseEnv,
  serviceIdentityEnv,
} from './config';
export type { FieldError } from './errors';
export { ConflictError, HttpError, NotFoundError, ValidationError } from './errors';
export type { Logger } from './logger';
export { createLogger } from './logger';
export type { Metrics } from './metrics';
export { Counter, Gauge, Histogram, Registry } from './metrics';
// The store metrics (contract 3): connection failures per store, the outbox backlog, dead letters.
export type { Datastore, FailureRecorder, OutboxGauges } from './store-metrics';
export {
  DATASTORES,
  DATASTORE_FAILURES_METRIC,
  DEAD_LETTERS_METRIC,
  OUTBOX_OLDEST_AGE_METRIC,
  OUTBOX_PENDING_METRIC,
  datastoreFailureCounter,
  datastoreFailureRecorder,
  deadLetterCounter,
  deadLetterRecorder,
  outboxGauges,
} from './store-metrics';
export type { CheckOutcome, ReadinessCheck, ReadinessReport } from './readiness';
export { REQUEST_ID_HEADER, getRequestId, getRequestLogger } from './request-context';
export type { CloseHook, RunningService, SignalOptions, StartOptions } from './server';
export { handleSignals, start } from './server';
export { intString, parseInput } from './validation';
// The one rule for free text (names, SKUs, descriptions, messages, ...): see text.ts.
export type { TextOptions } from './text';
export { TEXT_CHARACTER_MESSAGE, text } from './text';
// One zod instance for every service, so schemas and error handling agree across workspaces.
export { z } from 'zod';
// Ports: what services code against; adapters (Redis, Kafka, MongoDB, HTTP) and in-memory fakes implement them.
export type * from './ports';
export { InMemoryCache, InMemoryEventBus, InMemoryOutboxStore, InMemoryRateLimiter } from './in-memory';
export type { AccessTokenClaims, JwtOptions, Role } from './jwt';
export {
  DEFAULT_CLOCK_SKEW_SECONDS,
  ForbiddenError,
  ROLES,
  UnauthorizedError,
  getAuth,
  isRole,
  jwtEnv,
  requireAuth,
  requireRole,
  signAccessToken,
  sortRoles,
  verifyAccessToken,
} from './jwt';
// The compact HS256 JWS under access tokens, for other signed tokens (e.g. service-to-service).
export { checkHs256Secret, signHs256, verifyHs256 } from './hs256';
// Service-to-service identity for /internal/ operations: X-Service-Token, signed per caller (service-auth.ts).
export type {
  ServiceCallerOptions,
  ServiceKeys,
  ServiceTokenClaims,
  ServiceTokenVerification,
} from './service-auth';
export {
  MAX_SERVICE_TOKEN_LIFETIME_SECONDS,
  SERVICE_TOKEN_HEADER,
  SERVICE_TOKEN_TTL_SECONDS,
  ServiceTokenIssuer,
  getServiceCaller,
  requireServiceCaller,
  serviceKeyVariable,
  serviceKeysFromEnv,
  serviceTokenKeyEnv,
  signServiceToken,
  verifyServiceToken,
} from './service-auth';
// The MongoDB driver's types, so services write their adapters against the driver @platform/common ships.
export type { ClientSession, Collection, Db, Document, Filter, MongoClient } from 'mongodb';
export { MongoServerError, ObjectId } from 'mongodb';
// Calls to other services: timeout, retries for idempotent requests, circuit breaker, DependencyError (503).
export type {
  BackoffOptions,
  BreakerOptions,
  BreakerState,
  DependencyFailure,
  HttpServiceClientOptions,
} from './http-client';
export { DependencyError, HttpServiceClient } from './http-client';
// Production adapters of the ports (MongoDB, Redis, Kafka), their env schemas and readiness checks.
export type { HostPort } from './host-port-list';
export type { ConnectMongoOptions, IndexSpec, MongoConnection } from './mongo';
export {
  MongoOutboxStore,
  connectMongo,
  ensureIndexes,
  mongoEnv,
  monitorMongoFailures,
  mongoReadiness,
  withTransaction,
} from './mongo';
export type { OutboxRelay, OutboxRelayOptions } from './outbox';
export { startOutboxRelay } from './outbox';
export type { Redis } from 'ioredis';
export type { RedisClientOptions, RedisSettings } from './redis';
export {
  RedisCache,
  RedisRateLimiter,
  closeRedisClient,
  createRedisClient,
  redisAddressProblems,
  redisEnv,
  redisReadiness,
  waitForRedis,
} from './redis';
export type { Kafka } from 'kafkajs';
export type { KafkaConsumer, KafkaConsumerOptions, KafkaReadinessCheck, KafkaSettings } from './kafka';
export {
  DEAD_LETTER_HEADERS,
  KafkaEventPublisher,
  createKafka,
  isKafkaConnectionError,
  kafkaCredentialProblems,
  kafkaEnv,
  kafkaReadiness,
  runKafkaConsumer,
} from './kafka';
// The adapter switches every service reads (STORAGE, EVENTS, CACHE) with the settings each one needs.
export type { AdapterSettings, CacheKind, EventTransport, StorageKind } from './adapter-switches';
export {
  CACHE_KINDS,
  EVENT_TRANSPORTS,
  STORAGE_KINDS,
  adapterSettingsProblems,
  cacheEnv,
  eventsEnv,
  requireAdapterSettings,
  requireKafkaBrokers,
  requireMongoUri,
  storageEnv,
} from './adapter-switches';
// Picking adapters by those switches: one AdapterPart per switch, and closing what a failed start opened.
export type {
  AdapterPart,
  CacheSwitch,
  EventPublisherPart,
  EventsSwitch,
  MongoSwitch,
  SelectMongoOptions,
  SelectRedisOptions,
} from './adapters';
export {
  closeAll,
  memoryPart,
  openOrClose,
  selectEventPublisher,
  selectMongo,
  selectRedis,
} from './adapters';
// The event contract: payload schemas and types shared by producers and consumers, and PermanentEventError.
export * from './events';
// Test helpers for every service's tests: a throwaway redis-server / redis-sentinel on loopback, and
// malformed connection settings with planted passwords, started the way runService does.
export type {
  BrokenSetting,
  FailedStart,
  MetricSample,
  RedisTestProcess,
  RefusedServiceToken,
} from './testing';
export {
  BROKEN_CONNECTION_SETTINGS,
  declaresMetric,
  metricSamples,
  sampleValue,
  scrapeMetrics,
  PLANTED_PASSWORDS,
  refusedServiceTokens,
  startRedisSentinel,
  startRedisServer,
  startWithEnv,
  textRefusal,
} from './testing';
// Redaction of secrets in texts, errors and log lines (the logger applies it to every line).
export type { RedactedError } from './redact';
export { REDACTED, SECRET_ENV_NAME, redactError, redactText, secretValues } from './redact';
export type { BuiltService, RunServiceOptions } from './run-service';
export { runService } from './run-service';
