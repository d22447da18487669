import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { dashboardFrame } from './dashboard-frame';
import type { ResolvedDashboardsProps } from './dashboards-props';
import { labelValuesVariable, query, statPanel, timeSeries } from './panel-kit';

export const REDIS_UID = 'platform-redis';

const SEL = `namespace="$namespace", pod=~"$pod"`;

/**
 * Redis with Sentinel through the oliver006 redis_exporter sidecars (one beside every data node and every
 * sentinel): up, role, replicas, memory, commands, keyspace hits and misses, and what the sentinels agree on.
 */
export function redisDashboard(props: ResolvedDashboardsProps): dashboard.Dashboard {
  return dashboardFrame(REDIS_UID, 'Redis', props, ['data', 'redis'])
    .description('Redis data nodes and sentinels as their redis_exporter sidecars see them.')
    .withVariable(
      labelValuesVariable('namespace', 'redis_up', 'namespace', {
        label: 'Namespace',
        current: props.dataNamespace,
      }),
    )
    .withVariable(
      labelValuesVariable('pod', 'redis_up{namespace="$namespace"}', 'pod', {
        label: 'Pod',
        multi: true,
        includeAll: true,
        current: '$__all',
      }),
    )
    .withRow(new dashboard.RowBuilder('Topology'))
    .withPanel(statPanel('Instances up', 'short', [query(`sum(redis_up{${SEL}})`)], { span: 4 }))
    .withPanel(
      statPanel(
        'Masters',
        'short',
        [query(`count(redis_instance_info{${SEL}, role="master"}) or vector(0)`)],
        {
          span: 4,
          base: 'red',
          thresholds: [
            [1, 'green'],
            [2, 'red'],
          ],
          description: 'Data nodes that report role master: exactly one, or clients write to two.',
        },
      ),
    )
    .withPanel(
      statPanel('Connected replicas', 'short', [query(`max(redis_connected_slaves{${SEL}})`)], {
        span: 4,
        description: 'Replicas attached to the master.',
      }),
    )
    .withPanel(
      statPanel(
        'Sentinels agreeing',
        'short',
        [query(`min by (master_name) (redis_sentinel_master_ok_sentinels{${SEL}})`, '{{master_name}}')],
        {
          span: 4,
          description: 'Sentinels that see the master up; below the quorum no failover can happen.',
        },
      ),
    )
    .withPanel(
      statPanel(
        'Sentinel master status',
        'short',
        [query(`min by (master_name) (redis_sentinel_master_status{${SEL}})`, '{{master_name}}')],
        {
          span: 4,
          base: 'red',
          thresholds: [[1, 'green']],
          description: '1 = every sentinel reports the master ok.',
        },
      ),
    )
    .withPanel(
      statPanel(
        'Replicas seen by sentinels',
        'short',
        [query(`min by (master_name) (redis_sentinel_master_ok_slaves{${SEL}})`, '{{master_name}}')],
        { span: 4 },
      ),
    )
    .withPanel(
      timeSeries(
        'Role per pod',
        'short',
        [query(`max by (pod, role) (redis_instance_info{${SEL}})`, '{{pod}} {{role}}')],
        {
          description: 'One line per pod and role: a change of role is a failover.',
        },
      ),
    )
    .withPanel(
      timeSeries(
        'Replica link up',
        'short',
        [query(`max by (pod) (redis_master_link_up{${SEL}})`, '{{pod}}')],
        {
          min: 0,
          max: 1,
        },
      ),
    )
    .withRow(new dashboard.RowBuilder('Load and memory'))
    .withPanel(
      timeSeries('Memory used vs maxmemory', 'bytes', [
        query(`sum by (pod) (redis_memory_used_bytes{${SEL}})`, '{{pod}} used'),
        query(`sum by (pod) (redis_memory_max_bytes{${SEL}})`, '{{pod}} max'),
      ]),
    )
    .withPanel(
      timeSeries('Commands', 'ops', [
        query(`sum by (pod) (rate(redis_commands_processed_total{${SEL}}[$__rate_interval]))`, '{{pod}}'),
      ]),
    )
    .withPanel(
      timeSeries('Keyspace hits and misses', 'ops', [
        query(`sum(rate(redis_keyspace_hits_total{${SEL}}[$__rate_interval]))`, 'hits'),
        query(`sum(rate(redis_keyspace_misses_total{${SEL}}[$__rate_interval]))`, 'misses'),
      ]),
    )
    .withPanel(
      timeSeries(
        'Hit ratio',
        'percentunit',
        [
          query(
            `sum(rate(redis_keyspace_hits_total{${SEL}}[$__rate_interval]))\n/\n(sum(rate(redis_keyspace_hits_total{${SEL}}[$__rate_interval])) + sum(rate(redis_keyspace_misses_total{${SEL}}[$__rate_interval])))`,
            'hit ratio',
          ),
        ],
        { min: 0, max: 1 },
      ),
    )
    .withPanel(
      timeSeries('Connected clients', 'short', [
        query(`sum by (pod) (redis_connected_clients{${SEL}})`, '{{pod}}'),
      ]),
    )
    .withPanel(
      timeSeries('Sentinels per master', 'short', [
        query(`max by (master_name) (redis_sentinel_master_sentinels{${SEL}})`, '{{master_name}} known'),
        query(`min by (master_name) (redis_sentinel_master_ok_sentinels{${SEL}})`, '{{master_name}} ok'),
      ]),
    )
    .build();
}
