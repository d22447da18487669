export {
  CLUSTER_SECRET_STORE,
  CONTROL_PLANE_LOG_TYPES,
  EksCluster,
  NLB_GATEWAY_EXPOSURE,
  STORAGE_CLASS,
  type IrsaController,
} from './eks-cluster';
export {
  assertValidEksClusterArgs,
  eksClusterArgsProblems,
  NODE_GROUP_NAMES,
  type EksClusterArgs,
  type EksNodeGroupSpec,
  type ExternalDnsZone,
  type ImageRetention,
  type NodeGroupName,
} from './eks-cluster-args';
export { IrsaRole, irsaTrustPolicy, type IrsaRoleArgs, type PolicyDocument } from './irsa-role';
export { awsPartition } from './aws-partition';
export { BackupBucket, backupBucketPolicy, type BackupBucketArgs } from './backup-bucket';
export { EXTERNAL_DNS, ExternalDns, type ExternalDnsArgs } from './external-dns';
export { externalDnsPolicy } from './controller-policies';
export { TelemetryBucket, telemetryBucketPolicy, type TelemetryBucketArgs } from './telemetry-bucket';
export {
  DR_REPLICATION_RULE_ID,
  DrReplication,
  RTC_MINUTES,
  S3_REPLICATION_ACTIONS,
  S3_REPLICATION_TRUST,
  s3ReplicationPolicy,
  standbyBucketName,
  type DrReplicationArgs,
} from './dr-replication';
export {
  ALARM_SUBSCRIPTION_PROTOCOLS,
  AlarmTopic,
  alarmTopicKeyPolicy,
  assertValidSubscriptions,
  alarmTopicPolicy,
  type AlarmSubscription,
  type AlarmTopicArgs,
} from './alarm-topic';
export { PEERING_PURPOSE, RegionPeering, type PeeredVpc, type RegionPeeringArgs } from './region-peering';
export {
  DEFAULT_GATEWAY_HEALTH_CHECK,
  DnsFailover,
  DR_ROLES,
  EXTERNAL_DNS_FAILOVER_ANNOTATIONS,
  failoverRouteAnnotations,
  HEALTH_CHECK_FAILURE_THRESHOLD,
  HEALTH_CHECK_INTERVAL_SECONDS,
  ROUTE53_METRICS_REGION,
  type DnsFailoverArgs,
  type DrRole,
  type GatewayHealthCheck,
} from './dns-failover';
