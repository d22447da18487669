import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { dashboardFrame } from './dashboard-frame';
import type { ResolvedDashboardsProps } from './dashboards-props';
import { labelValuesVariable, query, statPanel, timeSeries } from './panel-kit';

export const MONGODB_UID = 'platform-mongodb';

const SEL = `namespace="$namespace", pod=~"$pod"`;

/** replSetGetStatus member states (mongodb_mongod_replset_my_state), as MongoDB documents them. */
const MEMBER_STATES: Readonly<Record<number, string>> = {
  0: 'STARTUP',
  1: 'PRIMARY',
  2: 'SECONDARY',
  3: 'RECOVERING',
  5: 'STARTUP2',
  6: 'UNKNOWN',
  7: 'ARBITER',
  8: 'DOWN',
  9: 'ROLLBACK',
  10: 'REMOVED',
};

const stateMappings: dashboard.ValueMapping[] = [
  {
    type: dashboard.MappingType.ValueToText,
    options: Object.fromEntries(
      Object.entries(MEMBER_STATES).map(([value, text], index) => [
        value,
        { text, index, color: value === '1' ? 'green' : value === '2' ? 'blue' : 'red' },
      ]),
    ),
  },
];

/**
 * The replica set through Percona's mongodb_exporter sidecars in --compatible-mode (one per member, each
 * reporting its own mongod): exporter up, member states, replication lag, operations and connections.
 */
export function mongodbDashboard(props: ResolvedDashboardsProps): dashboard.Dashboard {
  return dashboardFrame(MONGODB_UID, 'MongoDB', props, ['data', 'mongodb'])
    .description('MongoDB replica set members as their mongodb_exporter sidecars see them.')
    .withVariable(
      labelValuesVariable('namespace', 'mongodb_up', 'namespace', {
        label: 'Namespace',
        current: props.dataNamespace,
      }),
    )
    .withVariable(
      labelValuesVariable('pod', 'mongodb_up{namespace="$namespace"}', 'pod', {
        label: 'Member',
        multi: true,
        includeAll: true,
        current: '$__all',
      }),
    )
    .withRow(new dashboard.RowBuilder('Replica set'))
    .withPanel(
      statPanel('Exporters up', 'short', [query(`sum(mongodb_up{${SEL}})`)], {
        description: 'Sidecars that reached their mongod on the last scrape.',
      }),
    )
    .withPanel(
      statPanel(
        'Primaries',
        'short',
        [query(`count(mongodb_mongod_replset_my_state{${SEL}} == 1) or vector(0)`)],
        {
          base: 'red',
          thresholds: [
            [1, 'green'],
            [2, 'red'],
          ],
          description: 'Exactly one member must be PRIMARY; 0 means no writes are accepted.',
        },
      ),
    )
    .withPanel(
      statPanel('Members', 'short', [query(`max(mongodb_mongod_replset_number_of_members{${SEL}})`)], {
        description: 'Members in the replica set configuration.',
      }),
    )
    .withPanel(
      statPanel(
        'Oplog window',
        's',
        [
          query(
            `min(mongodb_mongod_replset_oplog_head_timestamp{${SEL}} - mongodb_mongod_replset_oplog_tail_timestamp{${SEL}})`,
          ),
        ],
        { description: 'How long a member may be down and still catch up from the oplog.' },
      ),
    )
    .withPanel(
      statPanel(
        'Member state',
        'none',
        [query(`max by (pod) (mongodb_mongod_replset_my_state{${SEL}})`, '{{pod}}')],
        {
          span: 24,
          mappings: stateMappings,
        },
      ),
    )
    .withPanel(
      timeSeries(
        'Replication lag',
        's',
        [query(`max by (set, name) (mongodb_mongod_replset_member_replication_lag{${SEL}})`, '{{name}}')],
        {
          thresholds: [
            [10, 'orange'],
            [60, 'red'],
          ],
          description: 'Secondary optime behind the primary.',
        },
      ),
    )
    .withPanel(
      timeSeries('Exporter up', 'short', [query(`mongodb_up{${SEL}}`, '{{pod}}')], { min: 0, max: 1 }),
    )
    .withRow(new dashboard.RowBuilder('Load'))
    .withPanel(
      timeSeries(
        'Operations',
        'ops',
        [query(`sum by (type) (rate(mongodb_op_counters_total{${SEL}}[$__rate_interval]))`, '{{type}}')],
        { stack: true },
      ),
    )
    .withPanel(
      timeSeries('Replicated operations applied', 'ops', [
        query(
          `sum by (pod) (rate(mongodb_mongod_op_counters_repl_total{${SEL}}[$__rate_interval]))`,
          '{{pod}}',
        ),
      ]),
    )
    .withPanel(
      timeSeries('Connections', 'short', [
        query(`sum by (pod) (mongodb_connections{${SEL}, state="current"})`, '{{pod}} current'),
        query(`sum by (pod) (mongodb_connections{${SEL}, state="available"})`, '{{pod}} available'),
      ]),
    )
    .withPanel(
      timeSeries('Resident memory', 'decmbytes', [
        query(`sum by (pod) (mongodb_memory{${SEL}, type="resident"})`, '{{pod}}'),
      ]),
    )
    .build();
}
