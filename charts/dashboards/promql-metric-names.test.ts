import { metricNames, substituteGrafanaVariables } from './promql-metric-names';

describe('metricNames', () => {
  it.each([
    ['a bare name', 'up', ['up']],
    ['a selector', 'http_requests_total{namespace="apps", route!~"/health|/ready"}', ['http_requests_total']],
    [
      'functions, aggregations and grouping labels are not metrics',
      'histogram_quantile(0.99, sum by (service, le) (rate(http_request_duration_seconds_bucket{a="b"}[5m])))',
      ['http_request_duration_seconds_bucket'],
    ],
    [
      'an aggregation with its modifier after the argument',
      'sum(rate(x_total[5m])) without (pod, instance)',
      ['x_total'],
    ],
    [
      'vector matching with on / group_left and a label list',
      'a * on (namespace, pod) group_left (node) max by (namespace, pod) (b == 1)',
      ['a', 'b'],
    ],
    [
      'recorded names with colons',
      'slo:sli_error:ratio_rate5m{x="y"} / on (x) (1 - slo:objective:availability)',
      ['slo:objective:availability', 'slo:sli_error:ratio_rate5m'],
    ],
    [
      'strings and their braces are skipped',
      'label_replace(vector(1), "service", "{not_a_metric}", "", "") and on (service) up',
      ['up'],
    ],
    [
      'keywords, numbers, offsets and subqueries',
      'x offset 5m > bool 1e3 or y[30m:1m] unless z',
      ['x', 'y', 'z'],
    ],
    ['count_values and topk parameters', 'topk(5, foo) or count_values("v", bar)', ['bar', 'foo']],
  ])('%s', (_what, expr, expected) => {
    expect(metricNames(expr)).toEqual(expected);
  });
});

describe('substituteGrafanaVariables', () => {
  it('gives builtins durations and other variables a value, leaving regex groups alone', () => {
    expect(
      substituteGrafanaVariables(
        'rate(x{ns="$namespace", s=~"${service:regex}"}[$__rate_interval]) "${1}xx" [$__range]',
      ),
    ).toBe('rate(x{ns="sample", s=~"sample"}[2m]) "${1}xx" [6h]');
  });
});
