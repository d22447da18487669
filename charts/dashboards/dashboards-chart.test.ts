import { synthesize } from '../lib/synth';
import { DashboardsChart } from './dashboards-chart';
import { resolveDashboardsProps } from './dashboards-props';
import { TEST_PROPS } from './test-props.fixture';

const objects = synthesize((app) => new DashboardsChart(app, 'dashboards', TEST_PROPS));

interface Json {
  uid: string;
  title: string;
  tags: string[];
  panels: {
    type: string;
    title: string;
    datasource?: { uid?: string };
    targets?: { expr: string; datasource?: { uid?: string } }[];
    panels?: unknown[];
  }[];
  templating: { list: { name: string; type: string; datasource?: { uid?: string } }[] };
}

const dashboards = objects.map((o) => {
  const data = o.data as Record<string, string>;
  const [key, text] = Object.entries(data)[0] ?? ['', ''];
  return { object: o, key, json: JSON.parse(text) as Json };
});

describe('DashboardsChart', () => {
  it('renders one ConfigMap per dashboard, labelled for the Grafana sidecar, in the props namespace', () => {
    expect(objects).toHaveLength(7);
    for (const { object } of dashboards) {
      expect(object.kind).toBe('ConfigMap');
      expect(object.metadata.namespace).toBe('monitoring');
      expect(object.metadata.labels).toMatchObject({
        grafana_dashboard: '1',
        'app.kubernetes.io/name': 'grafana-dashboards',
        'app.kubernetes.io/managed-by': 'platform',
        'app.kubernetes.io/part-of': 'platform',
      });
      expect(Object.keys(object.data as object)).toHaveLength(1);
    }
  });

  it('stores each dashboard as valid JSON under <uid>.json, with unique uids Grafana accepts', () => {
    const uids = dashboards.map((d) => d.json.uid);
    expect(new Set(uids).size).toBe(uids.length);
    for (const { key, json, object } of dashboards) {
      expect(key).toBe(`${json.uid}.json`);
      expect(object.metadata.name).toBe(`dashboard-${json.uid}`);
      expect(json.uid).toMatch(/^[a-z0-9-]{1,40}$/);
      expect(json.title).toContain('(dev)');
      expect(json.tags).toEqual(expect.arrayContaining(['platform', 'dev']));
    }
    expect(uids.sort()).toEqual([
      'platform-business-kpis',
      'platform-cluster-capacity',
      'platform-kafka',
      'platform-mongodb',
      'platform-redis',
      'platform-service-detail',
      'platform-services-overview',
    ]);
  });

  it('points every panel, target and query variable at the Prometheus data source uid prometheus', () => {
    for (const { json } of dashboards) {
      const panels = json.panels.filter((p) => p.type !== 'row');
      expect(panels.length).toBeGreaterThan(5);
      for (const panel of panels) {
        expect(panel.datasource?.uid).toBe('prometheus');
        expect(panel.targets?.length).toBeGreaterThan(0);
        for (const target of panel.targets ?? []) expect(target.datasource?.uid).toBe('prometheus');
      }
      for (const variable of json.templating.list) expect(variable.datasource?.uid).toBe('prometheus');
    }
  });

  it('offers a namespace variable everywhere and a service variable on the service dashboards', () => {
    const variables = Object.fromEntries(
      dashboards.map(({ json }) => [json.uid, json.templating.list.map((v) => v.name)]),
    );
    for (const names of Object.values(variables)) expect(names).toContain('namespace');
    expect(variables['platform-services-overview']).toContain('service');
    expect(variables['platform-service-detail']).toEqual(['namespace', 'service', 'version', 'track']);
    const overview = dashboards.find((d) => d.json.uid === 'platform-services-overview')?.json;
    const service = overview?.templating.list.find((v) => v.name === 'service') as
      { regex?: string } | undefined;
    expect(service?.regex).toBe('/^(user|product|order|notification|analytics)$/');
  });

  it('lays the panels out on the 24-column grid without overlaps', () => {
    for (const { json } of dashboards) {
      const cells = new Set<string>();
      for (const panel of json.panels as unknown as {
        gridPos: { x: number; y: number; w: number; h: number };
      }[]) {
        const { x, y, w, h } = panel.gridPos;
        expect(x + w).toBeLessThanOrEqual(24);
        for (let i = x; i < x + w; i++)
          for (let j = y; j < y + h; j++) {
            expect(cells.has(`${i},${j}`)).toBe(false);
            cells.add(`${i},${j}`);
          }
      }
    }
  });

  it('adds the per-track SLI panels only for services with an SLO', () => {
    const detail = (slos: typeof TEST_PROPS.slos) => {
      const [cm] = synthesize((app) => new DashboardsChart(app, 'd', { ...TEST_PROPS, slos })).filter((o) =>
        o.metadata.name.endsWith('service-detail'),
      );
      return JSON.parse(Object.values(cm?.data as Record<string, string>)[0] ?? '{}') as Json;
    };
    const titles = (json: Json) => json.panels.map((p) => p.title);
    expect(titles(detail([]))).not.toContain('Error ratio per track (5m)');
    const withSlos = detail(TEST_PROPS.slos);
    const perTrack = withSlos.panels.find((p) => p.title === 'Error ratio per track (5m)');
    expect(perTrack?.targets?.[0]?.expr).toContain('service="order"');
    expect(perTrack?.targets?.[0]?.expr).toContain('service="user"');
    expect(perTrack?.targets?.[0]?.expr).toContain('track="stable"');
  });
});

describe('resolveDashboardsProps', () => {
  it('applies the defaults', () => {
    const { appsNamespace: _a, dataNamespace: _d, slos: _s, ...required } = TEST_PROPS;
    expect(resolveDashboardsProps(required)).toMatchObject({
      appsNamespace: 'apps',
      dataNamespace: 'data',
      slos: [],
    });
  });

  it.each([
    [{ namespace: 'Monitoring' }, /dashboards.namespace must be a DNS-1123 label .*"Monitoring"/],
    [{ services: [] }, /dashboards.services must name at least one service/],
    [{ services: ['user', 'user'] }, /must not repeat/],
    [
      { services: ['user'] },
      /dashboards.slos\[0\].service must be one of dashboards.services \(user\) \(got "order"\)/,
    ],
  ])('refuses %j', (override, message) => {
    expect(() => resolveDashboardsProps({ ...TEST_PROPS, ...override })).toThrow(message);
  });
});
