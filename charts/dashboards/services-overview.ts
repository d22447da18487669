import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { dashboardFrame } from './dashboard-frame';
import type { ResolvedDashboardsProps } from './dashboards-props';
import {
  NOT_PROBES,
  anyOf,
  labelValuesVariable,
  query,
  statPanel,
  tablePanel,
  timeSeries,
} from './panel-kit';

export const SERVICES_OVERVIEW_UID = 'platform-services-overview';

const SEL = `namespace="$namespace", service=~"$service"`;
const TRAFFIC = `${SEL}, ${NOT_PROBES}`;

const rate = (metric: string, matchers: string, by: string) =>
  `sum by (${by}) (rate(${metric}{${matchers}}[$__rate_interval]))`;

const errorRatio = (by: string) =>
  `${rate('http_requests_total', `${TRAFFIC}, status=~"5.."`, by)}\n/\n${rate('http_requests_total', TRAFFIC, by)}`;

const latency = (q: number, by: string) =>
  `histogram_quantile(${q}, ${rate('http_request_duration_seconds_bucket', TRAFFIC, `${by}, le`)})`;

/** RED per service (probes and the scrape excluded), the services' datastore and outbox health, and process basics. */
export function servicesOverviewDashboard(props: ResolvedDashboardsProps): dashboard.Dashboard {
  const builder = dashboardFrame(SERVICES_OVERVIEW_UID, 'Services overview', props, ['services'])
    .description('Rate, errors and duration of every service; /health, /ready and /metrics are not counted.')
    .withVariable(
      labelValuesVariable('namespace', 'http_requests_total', 'namespace', {
        label: 'Namespace',
        current: props.appsNamespace,
      }),
    )
    .withVariable(
      labelValuesVariable('service', 'http_requests_total{namespace="$namespace"}', 'service', {
        label: 'Service',
        multi: true,
        includeAll: true,
        current: '$__all',
        regex: anyOf(props.services),
      }),
    )
    .withRow(new dashboard.RowBuilder('Now'))
    .withPanel(statPanel('Requests', 'reqps', [query(rate('http_requests_total', TRAFFIC, 'namespace'))]))
    .withPanel(
      statPanel('5xx ratio', 'percentunit', [query(errorRatio('namespace'))], {
        thresholds: [
          [0.001, 'orange'],
          [0.01, 'red'],
        ],
      }),
    )
    .withPanel(
      statPanel('p99 latency', 's', [query(latency(0.99, 'namespace'))], {
        thresholds: [
          [0.5, 'orange'],
          [1, 'red'],
        ],
      }),
    )
    .withPanel(
      statPanel('Targets up', 'short', [query(`sum(up{${SEL}})`), query(`count(up{${SEL}})`, 'scraped')], {
        description: 'Scraped pods of the selected services that answered their last scrape, of all scraped.',
      }),
    )
    .withPanel(
      tablePanel(
        'Per service',
        'short',
        [
          query(rate('http_requests_total', TRAFFIC, 'service'), 'requests/s', {
            instant: true,
            table: true,
          }),
          query(errorRatio('service'), '5xx ratio', { instant: true, table: true }),
          query(latency(0.99, 'service'), 'p99 (s)', { instant: true, table: true }),
        ],
        { height: 7 },
      ),
    )
    .withRow(new dashboard.RowBuilder('Rate, errors, duration'))
    .withPanel(
      timeSeries('Request rate', 'reqps', [
        query(rate('http_requests_total', TRAFFIC, 'service'), '{{service}}'),
      ]),
    )
    .withPanel(
      timeSeries('5xx ratio', 'percentunit', [query(errorRatio('service'), '{{service}}')], {
        min: 0,
        thresholds: [[0.01, 'red']],
      }),
    )
    .withPanel(
      timeSeries(
        'Requests by status class',
        'reqps',
        [
          query(
            `sum by (service, class) (label_replace(rate(http_requests_total{${TRAFFIC}}[$__rate_interval]), "class", "\${1}xx", "status", "(\\\\d)..")) `.trim(),
            '{{service}} {{class}}',
          ),
        ],
        { stack: true },
      ),
    )
    .withPanel(timeSeries('p50 latency', 's', [query(latency(0.5, 'service'), '{{service}}')], { span: 8 }))
    .withPanel(timeSeries('p95 latency', 's', [query(latency(0.95, 'service'), '{{service}}')], { span: 8 }))
    .withPanel(timeSeries('p99 latency', 's', [query(latency(0.99, 'service'), '{{service}}')], { span: 8 }))
    .withRow(new dashboard.RowBuilder('Datastores and event delivery'))
    .withPanel(
      timeSeries(
        'Datastore connection failures',
        'ops',
        [
          query(
            rate('datastore_connection_failures_total', SEL, 'service, store'),
            '{{service}} → {{store}}',
          ),
        ],
        {
          description: 'Failed connects, heartbeats and client errors towards MongoDB, Redis and Kafka.',
          span: 8,
        },
      ),
    )
    .withPanel(
      timeSeries(
        'Dependency p95 latency',
        's',
        [
          query(
            `histogram_quantile(0.95, ${rate('dependency_request_duration_seconds_bucket', SEL, 'service, dependency, le')})`,
            '{{service}} → {{dependency}}',
          ),
        ],
        { span: 8 },
      ),
    )
    .withPanel(
      timeSeries(
        'Events dead-lettered',
        'short',
        [
          query(
            `sum by (service, topic) (increase(events_dead_lettered_total{${SEL}}[$__rate_interval]))`,
            '{{service}} → {{topic}}',
          ),
        ],
        { description: 'Events a consumer gave up on and wrote to a dead-letter topic.', span: 8 },
      ),
    )
    .withPanel(
      timeSeries(
        'Outbox pending events',
        'short',
        [query(`max by (service) (outbox_pending_events{${SEL}})`, '{{service}}')],
        {
          description: 'Outbox entries not yet published to Kafka, sampled by the relay each round.',
        },
      ),
    )
    .withPanel(
      timeSeries(
        'Oldest pending outbox entry',
        's',
        [query(`max by (service) (outbox_oldest_pending_age_seconds{${SEL}})`, '{{service}}')],
        { thresholds: [[300, 'red']] },
      ),
    )
    .withRow(new dashboard.RowBuilder('Processes'))
    .withPanel(
      timeSeries(
        'Resident memory',
        'bytes',
        [query(`sum by (service) (process_resident_memory_bytes{${SEL}})`, '{{service}}')],
        { span: 8 },
      ),
    )
    .withPanel(
      timeSeries(
        'CPU',
        'percentunit',
        [
          query(
            `sum by (service) (rate(process_cpu_seconds_total{${SEL}}[$__rate_interval]))`,
            '{{service}}',
          ),
        ],
        { span: 8 },
      ),
    )
    .withPanel(
      timeSeries(
        'Event loop lag p99',
        's',
        [query(`max by (service) (nodejs_eventloop_lag_p99_seconds{${SEL}})`, '{{service}}')],
        { span: 8 },
      ),
    );
  return builder.build();
}
