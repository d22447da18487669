/**
 * Every metric a dashboard reads exists: exposed by one of our services (built in-process on their in-memory
 * adapters, /metrics fetched over HTTP on loopback), recorded by charts/slo's rules, or exported by one of
 * the exporters listed in external-metrics.ts. A panel reading a name none of them has fails here.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { ServiceApp } from '@platform/common';
import {
  buildInProcess,
  SERVICES,
  type BuiltService,
  type Service,
} from '../../test/support/in-process-services';
import { isAlertingRule, sloRuleGroups } from '../slo';
import { dashboardQueries } from './dashboard-set';
import { EXTERNAL_METRICS, externalMetricNames } from './external-metrics';
import { exposedSeriesNames, unknownMetrics } from './metric-coverage';
import { TEST_PROPS } from './test-props.fixture';

const exposedBy = new Map<string, Set<Service>>();
const built: BuiltService[] = [];
const servers: Server[] = [];

async function scrape(service: ServiceApp): Promise<string> {
  const server = await new Promise<Server>((resolve) => {
    const s = service.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
}

beforeAll(async () => {
  for (const name of SERVICES) {
    const b = await buildInProcess(name);
    built.push(b);
    for (const metric of exposedSeriesNames(await scrape(b.service))) {
      exposedBy.set(metric, new Set([...(exposedBy.get(metric) ?? []), name]));
    }
  }
}, 60_000);

afterAll(async () => {
  for (const server of servers) await new Promise<void>((resolve) => server.close(() => resolve()));
  for (const { closeHooks } of built) for (const hook of closeHooks) await hook.close();
});

const recorded = new Set(
  TEST_PROPS.slos?.flatMap((slo) =>
    sloRuleGroups(slo).flatMap((g) =>
      g.rules.filter((r) => !isAlertingRule(r)).map((r) => ('record' in r ? r.record : '')),
    ),
  ),
);
const external = externalMetricNames();
const queries = dashboardQueries(TEST_PROPS);
const isKnown = (metric: string) => exposedBy.has(metric) || recorded.has(metric) || external.has(metric);

describe('metrics the dashboards read', () => {
  it('scraped every service over HTTP and found its RED and business metrics', () => {
    expect(exposedBy.get('http_requests_total')).toEqual(new Set(SERVICES));
    expect(exposedBy.get('http_request_duration_seconds_bucket')).toEqual(new Set(SERVICES));
    expect(exposedBy.get('orders_created_total')).toEqual(new Set(['order']));
    expect(exposedBy.get('users_registered_total')).toEqual(new Set(['user']));
  });

  it('are each exposed by a service, recorded by the SLO rules or exported by a listed exporter', () => {
    expect(unknownMetrics(queries, isKnown)).toEqual([]);
  });

  it('fail the check when a panel reads a metric nothing exports', () => {
    const broken = [
      ...queries,
      {
        dashboard: 'platform-services-overview',
        panel: 'Typo',
        expr: 'sum(rate(http_request_total{namespace="$namespace"}[$__rate_interval]))',
      },
    ];
    expect(unknownMetrics(broken, isKnown)).toEqual([
      { dashboard: 'platform-services-overview', panel: 'Typo', metric: 'http_request_total' },
    ]);
  });

  it("read the services' datastore, outbox and dead-letter metrics, and each is exposed by a service", () => {
    const read = new Set(queries.flatMap((q) => q.expr.match(/[a-z_]+/g) ?? []));
    for (const metric of [
      'datastore_connection_failures_total',
      'outbox_pending_events',
      'outbox_oldest_pending_age_seconds',
      'events_dead_lettered_total',
    ]) {
      expect(read.has(metric)).toBe(true);
      expect([metric, exposedBy.has(metric)]).toEqual([metric, true]);
    }
  });

  it('use every allow-listed name, so the list does not grow stale', () => {
    const used = new Set(queries.flatMap((q) => q.expr.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? []));
    const unused = EXTERNAL_METRICS.flatMap((e) => e.metrics.filter((m) => !used.has(m)));
    expect(unused).toEqual([]);
  });

  it('recorded names come from the SLO rules, not from the dashboards', () => {
    expect(recorded.has('slo:sli_error:ratio_rate5m')).toBe(true);
    expect(recorded.has('slo:objective:availability')).toBe(true);
  });
});
