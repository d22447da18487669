import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { dashboardFrame } from './dashboard-frame';
import type { ResolvedDashboardsProps } from './dashboards-props';
import { labelValuesVariable, query, statPanel, timeSeries } from './panel-kit';

export const BUSINESS_KPIS_UID = 'platform-business-kpis';

const NS = `namespace="$namespace", track=~"$track"`;
const overRange = (metric: string, extra = '', by = '') =>
  `sum${by === '' ? '' : ` by (${by})`} (increase(${metric}{${NS}${extra}}[$__range]))`;
/** Per hour, smoothed over the rate interval: counts of a few per minute read better per hour. */
const perHour = (metric: string, by: string, extra = '') =>
  `sum by (${by}) (rate(${metric}{${NS}${extra}}[$__rate_interval])) * 3600`;

/** What the business sees: registrations, logins, orders and revenue, notifications and analytics events. */
export function businessKpisDashboard(props: ResolvedDashboardsProps): dashboard.Dashboard {
  return dashboardFrame(BUSINESS_KPIS_UID, 'Business KPIs', props, ['business'])
    .description('Business counters of the services; totals are over the selected time range.')
    .withVariable(
      labelValuesVariable('namespace', 'http_requests_total', 'namespace', {
        label: 'Namespace',
        current: props.appsNamespace,
      }),
    )
    .withVariable(
      labelValuesVariable('track', 'http_requests_total{namespace="$namespace"}', 'track', {
        label: 'Track',
        multi: true,
        includeAll: true,
        current: '$__all',
      }),
    )
    .withRow(new dashboard.RowBuilder('In the selected range'))
    .withPanel(statPanel('Registrations', 'short', [query(overRange('users_registered_total'))], { span: 4 }))
    .withPanel(
      statPanel('Successful logins', 'short', [query(overRange('logins_total', ', outcome="success"'))], {
        span: 4,
      }),
    )
    .withPanel(statPanel('Orders created', 'short', [query(overRange('orders_created_total'))], { span: 4 }))
    .withPanel(statPanel('Orders paid', 'short', [query(overRange('orders_paid_total'))], { span: 4 }))
    .withPanel(
      statPanel(
        'Paid / created',
        'percentunit',
        [query(`${overRange('orders_paid_total')}\n/\n${overRange('orders_created_total')}`)],
        { span: 4 },
      ),
    )
    .withPanel(
      statPanel(
        'Revenue',
        'none',
        [query(`${overRange('order_revenue_cents_total', '', 'currency')} / 100`, '{{currency}}')],
        {
          span: 4,
          decimals: 2,
          description: 'Paid order totals per currency (the counter is in cents).',
        },
      ),
    )
    .withRow(new dashboard.RowBuilder('Users'))
    .withPanel(
      timeSeries('Registrations per hour', 'short', [
        query(perHour('users_registered_total', 'service'), 'registrations'),
      ]),
    )
    .withPanel(
      timeSeries(
        'Logins per hour by outcome',
        'short',
        [query(perHour('logins_total', 'outcome'), '{{outcome}}')],
        {
          stack: true,
        },
      ),
    )
    .withRow(new dashboard.RowBuilder('Orders'))
    .withPanel(
      timeSeries('Orders per hour', 'short', [
        query(perHour('orders_created_total', 'service'), 'created'),
        query(perHour('orders_paid_total', 'service'), 'paid'),
      ]),
    )
    .withPanel(
      timeSeries(
        'Revenue per hour',
        'none',
        [query(`${perHour('order_revenue_cents_total', 'currency')} / 100`, '{{currency}}')],
        {
          decimals: 2,
        },
      ),
    )
    .withPanel(
      timeSeries('Stock adjustments per hour', 'short', [
        query(perHour('inventory_adjustments_total', 'direction, outcome'), '{{direction}} {{outcome}}'),
      ]),
    )
    .withPanel(
      timeSeries(
        'Product cache hit ratio',
        'percentunit',
        [
          query(
            `sum(rate(product_cache_lookups_total{${NS}, outcome="hit"}[$__rate_interval]))\n/\nsum(rate(product_cache_lookups_total{${NS}}[$__rate_interval]))`,
            'hit ratio',
          ),
        ],
        { min: 0, max: 1 },
      ),
    )
    .withRow(new dashboard.RowBuilder('Notifications and analytics'))
    .withPanel(
      timeSeries(
        'Notifications per hour',
        'short',
        [query(perHour('notifications_sent_total', 'channel, outcome'), '{{channel}} {{outcome}}')],
        { stack: true },
      ),
    )
    .withPanel(
      timeSeries(
        'Analytics events per hour',
        'short',
        [query(perHour('analytics_events_total', 'type, outcome'), '{{type}} {{outcome}}')],
        { stack: true },
      ),
    )
    .build();
}
