/**
 * mongodb_exporter 0.47 only reports backups with `--collector.pbm`, which needs PBM permissions for the
 * exporter's user; the operator's PerconaServerMongoDBBackup objects already hold the answer. So
 * kube-state-metrics turns them into series (custom resource state), and MongodbBackupTooOld reads:
 *
 *   psmdb_backup_completed_timestamp_seconds{namespace, name, cluster, state}  (Unix seconds; state "ready" = success)
 *
 * The lead puts KSM_BACKUP_CUSTOM_RESOURCE_STATE into the kube-prometheus-stack values at
 * `kube-state-metrics.customResourceState.config` (with `customResourceState.enabled: true`) and
 * KSM_BACKUP_RBAC_RULES into `kube-state-metrics.rbac.extraRules`.
 */
export const BACKUP_COMPLETED_METRIC = 'psmdb_backup_completed_timestamp_seconds';

export interface KsmCustomResourceStateConfig {
  readonly kind: 'CustomResourceStateMetrics';
  readonly spec: {
    readonly resources: readonly {
      readonly groupVersionKind: { readonly group: string; readonly version: string; readonly kind: string };
      readonly metricNamePrefix: string;
      readonly labelsFromPath: Readonly<Record<string, readonly string[]>>;
      readonly metrics: readonly {
        readonly name: string;
        readonly help: string;
        readonly each: { readonly type: 'Gauge'; readonly gauge: { readonly path: readonly string[] } };
      }[];
    }[];
  };
}

export const KSM_BACKUP_CUSTOM_RESOURCE_STATE: KsmCustomResourceStateConfig = {
  kind: 'CustomResourceStateMetrics',
  spec: {
    resources: [
      {
        groupVersionKind: { group: 'psmdb.percona.com', version: 'v1', kind: 'PerconaServerMongoDBBackup' },
        metricNamePrefix: 'psmdb_backup',
        labelsFromPath: {
          name: ['metadata', 'name'],
          namespace: ['metadata', 'namespace'],
          cluster: ['spec', 'clusterName'],
          state: ['status', 'state'],
        },
        metrics: [
          {
            // KSM parses the RFC 3339 `status.completed` into Unix seconds; backups still running have none.
            name: 'completed_timestamp_seconds',
            help: 'When the PerconaServerMongoDBBackup completed, in Unix seconds',
            each: { type: 'Gauge', gauge: { path: ['status', 'completed'] } },
          },
        ],
      },
    ],
  },
};

/** KSM must list and watch the backups (and CRDs, for custom resource state discovery). */
export const KSM_BACKUP_RBAC_RULES: readonly {
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}[] = [
  { apiGroups: ['psmdb.percona.com'], resources: ['perconaservermongodbbackups'], verbs: ['list', 'watch'] },
  { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['list', 'watch'] },
];
