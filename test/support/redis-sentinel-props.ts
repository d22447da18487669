/**
 * The Redis + Sentinel chart's props as the chart tests render them: three data nodes and three sentinels
 * over zones on the data node group, and the DR snapshot job's settings (prod's bucket layout).
 */
import type {
  RedisSentinelProps,
  RedisSnapshotProps,
} from '../../charts/redis-sentinel/redis-sentinel-props';

export const REDIS_SENTINEL_PROPS: RedisSentinelProps = {
  namespace: 'data',
  image: 'redis:8.2.2-bookworm',
  exporterImage: 'oliver006/redis_exporter:v1.77.0',
  dataNodes: 3,
  sentinels: 3,
  storage: '20Gi',
  storageClass: 'gp3',
  resources: { requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '1', memory: '2Gi' } },
  authSecret: { name: 'redis-auth', key: 'password' },
  antiAffinityTopologyKey: 'topology.kubernetes.io/zone',
  placement: {
    nodeSelector: { 'platform.io/node-group': 'data' },
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'data', effect: 'NoSchedule' }],
  },
  clients: [{ namespace: 'apps', podLabels: { 'app.kubernetes.io/name': 'product' } }],
  monitoringNamespace: 'monitoring',
};

export const REDIS_SNAPSHOT_PROPS: RedisSnapshotProps = {
  schedule: '0 3 * * *',
  destination: 's3://platform-prod-backups/redis/prod/',
  region: 'eu-west-1',
  uploadImage: 'public.ecr.aws/aws-cli/aws-cli:2.27.49',
  serviceAccountName: 'redis-snapshot',
};
