import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import {
  OBJECTIVE_AVAILABILITY,
  OBJECTIVE_LATENCY,
  SLO_PERIOD_DAYS,
  errorRatioQuery,
  recordedErrorRatio,
  recordedSlowRatio,
  slowRatioQuery,
  type ServiceSlo,
  type SloWindow,
} from '../slo';
import { dashboardFrame } from './dashboard-frame';
import type { ResolvedDashboardsProps } from './dashboards-props';
import { NOT_PROBES, anyOf, labelValuesVariable, query, statPanel, timeSeries } from './panel-kit';

export const SERVICE_DETAIL_UID = 'platform-service-detail';

const SVC = `namespace="$namespace", service="$service"`;
const COPIES = `${SVC}, version=~"$version", track=~"$track"`;
const TRAFFIC = `${COPIES}, ${NOT_PROBES}`;
/** The recorded SLO series carry exactly these labels (charts/slo recording rules). */
const SLO_SEL = `{${SVC}}`;

const rate = (metric: string, matchers: string, by: string) =>
  `sum by (${by}) (rate(${metric}{${matchers}}[$__rate_interval]))`;

/** Windows the burn-rate panels draw: each pair of the multi-window alerts has its long window here. */
const BURN_WINDOWS: readonly SloWindow[] = ['5m', '1h', '6h', '1d', '3d'];
/** Tracks a service runs in; canary analysis compares the first two. */
const TRACKS = ['stable', 'canary', 'blue', 'green'] as const;

/** Keeps only the series of the service selected in $service (each SLO's query names its own service). */
const ONLY_SELECTED = `and on (service) label_replace(vector(1), "service", "$service", "", "")`;

/** The union of per-service SLI queries, narrowed to $service (`and` binds tighter than `or`, hence the parentheses). */
function onlySelected(perService: readonly string[]): string {
  return `(\n${perService.map((q) => `(${q})`).join('\nor\n')}\n)\n${ONLY_SELECTED}`;
}

/** The SLO's SLI query for the selected namespace, so the namespace variable applies to it too. */
function inSelectedNamespace(slo: ServiceSlo): ServiceSlo {
  return { ...slo, namespace: '$namespace' };
}

/**
 * Budget left over the SLO period: 1 - (time-averaged 5m SLI / allowed ratio). The time average of the
 * recorded 5m ratio weighs quiet and busy hours alike (as Sloth does); it needs no 30 d rate over raw series.
 */
function budgetRemaining(sli: string, objective: string): string {
  return `1 - (\n  avg_over_time(${sli}${SLO_SEL}[${SLO_PERIOD_DAYS}d])\n  / on (namespace, service)\n  (1 - ${objective}${SLO_SEL})\n)`;
}

function burnRate(sli: string, objective: string): string {
  return `${sli}${SLO_SEL}\n/ on (namespace, service)\n(1 - ${objective}${SLO_SEL})`;
}

/**
 * One service by version and track (rate, errors, latency), its SLOs (objectives, burn rates per window,
 * error budget left) and, for the services with an SLO in props, the SLIs per track from charts/slo's queries.
 */
export function serviceDetailDashboard(props: ResolvedDashboardsProps): dashboard.Dashboard {
  const builder = dashboardFrame(SERVICE_DETAIL_UID, 'Service detail', props, ['services', 'slo'])
    .description('One service by version and track, its SLOs, burn rates and error budget.')
    .withVariable(
      labelValuesVariable('namespace', 'http_requests_total', 'namespace', {
        label: 'Namespace',
        current: props.appsNamespace,
      }),
    )
    .withVariable(
      labelValuesVariable('service', 'http_requests_total{namespace="$namespace"}', 'service', {
        label: 'Service',
        regex: anyOf(props.services),
        ...(props.services[0] !== undefined && { current: props.services[0] }),
      }),
    )
    .withVariable(
      labelValuesVariable('version', `http_requests_total{${SVC}}`, 'version', {
        label: 'Version',
        multi: true,
        includeAll: true,
        current: '$__all',
      }),
    )
    .withVariable(
      labelValuesVariable('track', `http_requests_total{${SVC}}`, 'track', {
        label: 'Track',
        multi: true,
        includeAll: true,
        current: '$__all',
      }),
    )
    .withRow(new dashboard.RowBuilder('By version and track'))
    .withPanel(
      timeSeries('Request rate', 'reqps', [
        query(rate('http_requests_total', TRAFFIC, 'version, track'), '{{version}} {{track}}'),
      ]),
    )
    .withPanel(
      timeSeries(
        '5xx ratio',
        'percentunit',
        [
          query(
            `${rate('http_requests_total', `${TRAFFIC}, status=~"5.."`, 'version, track')}\n/\n${rate('http_requests_total', TRAFFIC, 'version, track')}`,
            '{{version}} {{track}}',
          ),
        ],
        { min: 0 },
      ),
    )
    .withPanel(
      timeSeries('p95 latency', 's', [
        query(
          `histogram_quantile(0.95, ${rate('http_request_duration_seconds_bucket', TRAFFIC, 'version, track, le')})`,
          '{{version}} {{track}}',
        ),
      ]),
    )
    .withPanel(
      timeSeries('p99 latency', 's', [
        query(
          `histogram_quantile(0.99, ${rate('http_request_duration_seconds_bucket', TRAFFIC, 'version, track, le')})`,
          '{{version}} {{track}}',
        ),
      ]),
    )
    .withPanel(
      timeSeries('Requests by route and status', 'reqps', [
        query(rate('http_requests_total', TRAFFIC, 'route, status'), '{{route}} {{status}}'),
      ]),
    )
    .withPanel(
      timeSeries(
        'Pods per version and track',
        'short',
        [query(`count by (version, track) (up{${COPIES}} == 1)`, '{{version}} {{track}}')],
        { stack: true },
      ),
    )
    .withRow(new dashboard.RowBuilder('Datastores and event delivery'))
    .withPanel(
      timeSeries(
        'Datastore connection failures',
        'ops',
        [
          query(
            rate('datastore_connection_failures_total', COPIES, 'store, version, track'),
            '{{store}} {{version}} {{track}}',
          ),
        ],
        { span: 6 },
      ),
    )
    .withPanel(
      timeSeries(
        'Outbox pending events',
        'short',
        [query(`max by (version, track) (outbox_pending_events{${COPIES}})`, '{{version}} {{track}}')],
        { span: 6 },
      ),
    )
    .withPanel(
      timeSeries(
        'Oldest pending outbox entry',
        's',
        [
          query(
            `max by (version, track) (outbox_oldest_pending_age_seconds{${COPIES}})`,
            '{{version}} {{track}}',
          ),
        ],
        { span: 6 },
      ),
    )
    .withPanel(
      timeSeries(
        'Events dead-lettered',
        'short',
        [
          query(
            `sum by (topic) (increase(events_dead_lettered_total{${COPIES}}[$__rate_interval]))`,
            '{{topic}}',
          ),
        ],
        { span: 6 },
      ),
    )
    .withRow(new dashboard.RowBuilder('SLO'))
    .withPanel(
      statPanel('Availability objective', 'percentunit', [query(`${OBJECTIVE_AVAILABILITY}${SLO_SEL}`)], {
        decimals: 3,
      }),
    )
    .withPanel(
      statPanel('Latency objective', 'percentunit', [query(`${OBJECTIVE_LATENCY}${SLO_SEL}`)], {
        decimals: 3,
      }),
    )
    .withPanel(
      statPanel(
        `Availability budget left (${SLO_PERIOD_DAYS} d)`,
        'percentunit',
        [query(budgetRemaining(recordedErrorRatio('5m'), OBJECTIVE_AVAILABILITY))],
        {
          thresholds: [
            [0, 'red'],
            [0.25, 'orange'],
            [0.5, 'green'],
          ],
          base: 'red',
        },
      ),
    )
    .withPanel(
      statPanel(
        `Latency budget left (${SLO_PERIOD_DAYS} d)`,
        'percentunit',
        [query(budgetRemaining(recordedSlowRatio('5m'), OBJECTIVE_LATENCY))],
        {
          thresholds: [
            [0, 'red'],
            [0.25, 'orange'],
            [0.5, 'green'],
          ],
          base: 'red',
        },
      ),
    )
    .withPanel(
      timeSeries(
        'Availability burn rate',
        'x',
        BURN_WINDOWS.map((w) => query(burnRate(recordedErrorRatio(w), OBJECTIVE_AVAILABILITY), w)),
        {
          description:
            '1 = spending the budget exactly over the SLO period; the pages fire at 14.4 (1h) and 6 (6h).',
          thresholds: [
            [1, 'orange'],
            [6, 'red'],
            [14.4, 'dark-red'],
          ],
        },
      ),
    )
    .withPanel(
      timeSeries(
        'Latency burn rate',
        'x',
        BURN_WINDOWS.map((w) => query(burnRate(recordedSlowRatio(w), OBJECTIVE_LATENCY), w)),
        {
          thresholds: [
            [1, 'orange'],
            [6, 'red'],
            [14.4, 'dark-red'],
          ],
        },
      ),
    );

  if (props.slos.length > 0) {
    // The SLIs exactly as the SLO rules compute them, per track: a canary that burns faster than stable shows
    // here before it moves the service-wide numbers.
    builder
      .withRow(new dashboard.RowBuilder('SLIs per track'))
      .withPanel(
        timeSeries(
          'Error ratio per track (5m)',
          'percentunit',
          TRACKS.map((track) =>
            query(
              onlySelected(
                props.slos.map((slo) => errorRatioQuery(inSelectedNamespace(slo), '5m', { track })),
              ),
              track,
            ),
          ),
          { min: 0 },
        ),
      )
      .withPanel(
        timeSeries(
          'Slow-request ratio per track (5m, above each SLO threshold)',
          'percentunit',
          TRACKS.map((track) =>
            query(
              onlySelected(
                props.slos.map((slo) => slowRatioQuery(inSelectedNamespace(slo), '5m', { track })),
              ),
              track,
            ),
          ),
          {
            min: 0,
            description: props.slos
              .map((s) => `${s.service}: slower than ${s.objectives.latency.thresholdSeconds}s`)
              .join('; '),
          },
        ),
      );
  }
  return builder.build();
}
