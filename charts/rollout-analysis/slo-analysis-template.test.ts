import { synthesize } from '../lib';
import type { ServiceSlo } from '../slo/slo-types';
import type { AnalysisThresholds } from './analysis-thresholds';
import { validateAnalysisThresholds } from './analysis-thresholds';
import { parseCondition } from './condition-expr';
import { measurementOutcome } from './measurement-outcome';
import { resolveTemplateArgs } from './resolve-args';
import { RolloutAnalysisChart } from './rollout-analysis-chart';
import { exprNumber, SLO_METRIC_NAMES, sloAnalysisTemplate } from './slo-analysis-template';
import { previewReadyUrl, smokeAnalysisTemplate } from './smoke-analysis-template';
import { sloTemplateName, smokeTemplateName } from './template-names';

const slo: ServiceSlo = {
  service: 'product',
  namespace: 'apps',
  objectives: { availability: 0.999, latency: { objective: 0.99, thresholdSeconds: 0.5 } },
};
const thresholds: AnalysisThresholds = {
  interval: '1m',
  count: 5,
  failureLimit: 1,
  inconclusiveLimit: 2,
  minRequests: 50,
  maxErrorRatio: 0.02,
  maxP99Seconds: 0.75,
};
const prometheusAddress = 'http://kube-prometheus-stack-prometheus.monitoring.svc.cluster.local:9090';

describe('sloAnalysisTemplate', () => {
  const template = sloAnalysisTemplate({ slo, thresholds, prometheusAddress });
  const metric = (name: string) => {
    const found = template.spec.metrics?.find((m) => m.name === name);
    if (!found) throw new Error(`no metric ${name}`);
    return found;
  };

  it('is <svc>-slo in the SLO namespace with the arg track and three Prometheus metrics', () => {
    expect(template.apiVersion).toBe('argoproj.io/v1alpha1');
    expect(template.metadata).toMatchObject({
      name: 'product-slo',
      namespace: 'apps',
      labels: { 'app.kubernetes.io/name': 'product', 'app.kubernetes.io/component': 'analysis' },
    });
    expect(sloTemplateName('order')).toBe('order-slo');
    expect(smokeTemplateName('order')).toBe('order-smoke');
    expect(template.spec.args).toEqual([{ name: 'track' }]);
    expect(template.spec.metrics?.map((m) => m.name)).toEqual([
      'request-count',
      'error-ratio',
      'p99-latency',
    ]);
    for (const m of template.spec.metrics ?? []) {
      expect(m).toMatchObject({
        interval: '1m',
        initialDelay: '1m',
        count: 5,
        failureLimit: 1,
        inconclusiveLimit: 2,
      });
      expect(m.provider.prometheus?.address).toBe(prometheusAddress);
      expect(m.provider.prometheus?.query).toContain('track="{{args.track}}"');
      expect(m.provider.prometheus?.query).toContain('[1m]');
      expect(() => parseCondition(m.successCondition ?? '')).not.toThrow();
      expect(() => parseCondition(m.failureCondition ?? '')).not.toThrow();
    }
  });

  it('puts the thresholds into the conditions and gates the SLI queries on minRequests', () => {
    expect(metric(SLO_METRIC_NAMES.requests).successCondition).toBe('len(result) > 0 && result[0] >= 50');
    expect(metric(SLO_METRIC_NAMES.errors)).toMatchObject({
      successCondition: 'len(result) > 0 && result[0] <= 0.02',
      failureCondition: 'len(result) > 0 && result[0] > 0.02',
    });
    expect(metric(SLO_METRIC_NAMES.latency)).toMatchObject({
      successCondition: 'len(result) > 0 && result[0] <= 0.75',
      failureCondition: 'len(result) > 0 && result[0] > 0.75',
    });
    for (const name of [SLO_METRIC_NAMES.errors, SLO_METRIC_NAMES.latency]) {
      expect(metric(name).provider.prometheus?.query).toMatch(
        /\nand on\(\)\n\(sum\(increase\(http_requests_total\{.*\}\[1m\]\)\) >= 50\)$/,
      );
    }
    expect(metric(SLO_METRIC_NAMES.latency).provider.prometheus?.query).toMatch(
      /^\(histogram_quantile\(0\.99, /,
    );
  });

  it('never fails on too little traffic: the request count is Successful or Inconclusive', () => {
    const requests = metric(SLO_METRIC_NAMES.requests);
    expect(measurementOutcome(requests, [50])).toBe('Successful');
    expect(measurementOutcome(requests, [49])).toBe('Inconclusive');
    expect(measurementOutcome(requests, [])).toBe('Inconclusive');
    expect(measurementOutcome(metric(SLO_METRIC_NAMES.errors), [])).toBe('Inconclusive');
    expect(measurementOutcome(metric(SLO_METRIC_NAMES.latency), [NaN])).toBe('Inconclusive');
    expect(measurementOutcome(metric(SLO_METRIC_NAMES.latency), [Infinity])).toBe('Failed');
  });

  it('substitutes the track as Argo does and refuses unknown or missing args', () => {
    const metrics = resolveTemplateArgs(template, { track: 'canary' });
    expect(metrics.every((m) => m.provider.prometheus?.query?.includes('track="canary"'))).toBe(true);
    expect(JSON.stringify(metrics)).not.toContain('{{');
    expect(() => resolveTemplateArgs(template, {})).toThrow('args.track was not supplied');
    expect(() => resolveTemplateArgs(template, { track: 'canary', version: '1' })).toThrow(
      'args.version is not an argument of product-slo',
    );
  });

  it('writes thresholds as plain decimals the subset reads', () => {
    expect(exprNumber(1e-7)).toBe('0.0000001');
    expect(exprNumber(0.25)).toBe('0.25');
    const tiny = sloAnalysisTemplate({
      slo,
      thresholds: { ...thresholds, maxErrorRatio: 1e-4 },
      prometheusAddress,
    });
    expect(tiny.spec.metrics?.[1]?.successCondition).toBe('len(result) > 0 && result[0] <= 0.0001');
  });

  it('refuses thresholds with the field, the value and what is allowed', () => {
    const bad = (patch: Partial<AnalysisThresholds>) => () =>
      validateAnalysisThresholds({ ...thresholds, ...patch });
    expect(bad({ maxErrorRatio: 2 })).toThrow('analysis.maxErrorRatio must be a number in (0, 1) (got 2)');
    expect(bad({ interval: '1d' })).toThrow('analysis.interval must be a duration of whole ms, s, m or h');
    expect(bad({ interval: '1.5m' })).toThrow('(got "1.5m")');
    expect(bad({ count: 0 })).toThrow('analysis.count must be an integer >= 1 (got 0)');
    expect(bad({ failureLimit: 5 })).toThrow('analysis.failureLimit must be below count (5) (got 5)');
    expect(bad({ inconclusiveLimit: 5 })).toThrow(
      'analysis.inconclusiveLimit must be below count (5) (got 5)',
    );
    expect(bad({ minRequests: 0 })).toThrow('analysis.minRequests must be an integer >= 1 (got 0)');
    expect(bad({ maxP99Seconds: -1 })).toThrow(
      'analysis.maxP99Seconds must be a number > 0 (seconds) (got -1)',
    );
    expect(() => sloAnalysisTemplate({ slo, thresholds, prometheusAddress: 'prometheus:9090' })).toThrow(
      'analysis.prometheusAddress must be an http(s) base URL',
    );
    expect(() =>
      sloAnalysisTemplate({ slo: { ...slo, namespace: 'Apps' }, thresholds, prometheusAddress }),
    ).toThrow('slo.product.namespace');
  });
});

describe('smokeAnalysisTemplate', () => {
  const template = smokeAnalysisTemplate({
    service: 'product',
    namespace: 'apps',
    url: previewReadyUrl('product', 'apps'),
  });

  it('checks /ready and /health of the preview Service by the status the app answers', () => {
    expect(template.metadata).toMatchObject({ name: 'product-smoke', namespace: 'apps' });
    expect(template.spec.args).toBeUndefined();
    expect(template.spec.metrics).toEqual([
      expect.objectContaining({
        name: 'ready',
        count: 3,
        interval: '10s',
        failureLimit: 0,
        successCondition: 'result == "ready"',
        failureCondition: 'result != "ready"',
        provider: {
          web: {
            url: 'http://product-preview.apps.svc.cluster.local/ready',
            jsonPath: '{$.status}',
            timeoutSeconds: 5,
          },
        },
      }),
      expect.objectContaining({
        name: 'health',
        successCondition: 'result == "ok"',
        provider: expect.objectContaining({
          web: expect.objectContaining({ url: 'http://product-preview.apps.svc.cluster.local/health' }),
        }),
      }),
    ]);
    const [ready] = template.spec.metrics ?? [];
    expect(measurementOutcome(ready ?? {}, 'ready')).toBe('Successful');
    expect(measurementOutcome(ready ?? {}, 'shutting_down')).toBe('Failed');
  });

  it('refuses a bad URL or counts with the field named', () => {
    expect(() =>
      smokeAnalysisTemplate({ service: 'product', namespace: 'apps', url: 'product-preview/ready' }),
    ).toThrow('smoke.product.url must be an http(s) URL (got "product-preview/ready")');
    expect(() =>
      smokeAnalysisTemplate({
        service: 'product',
        namespace: 'apps',
        url: 'http://x/ready',
        thresholds: { failureLimit: 3 },
      }),
    ).toThrow('smoke.product.failureLimit must be an integer >= 0 and below count (3) (got 3)');
  });
});

describe('RolloutAnalysisChart', () => {
  it('renders <svc>-slo, and <svc>-smoke when given the preview URL', () => {
    const objects = synthesize(
      (app) => new RolloutAnalysisChart(app, 'a', { slo, thresholds, prometheusAddress }),
    );
    expect(objects.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'AnalysisTemplate apps/product-slo',
    ]);
    const both = synthesize(
      (app) =>
        new RolloutAnalysisChart(app, 'b', {
          slo,
          thresholds,
          prometheusAddress,
          smokeUrl: previewReadyUrl('product', 'apps'),
        }),
    );
    expect(both.map((o) => o.metadata.name).sort()).toEqual(['product-slo', 'product-smoke']);
    expect(both.find((o) => o.metadata.name === 'product-slo')).toEqual(
      JSON.parse(JSON.stringify(sloAnalysisTemplate({ slo, thresholds, prometheusAddress }))),
    );
  });
});
