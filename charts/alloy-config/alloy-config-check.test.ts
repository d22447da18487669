import { AlloyConfigError, checkAlloyConfig, followPipeline } from './alloy-config-check';
import { AlloySyntaxError } from './alloy-parser';

const GOOD = `
loki.process "p" {
  forward_to = [loki.write.w.receiver]
}

loki.write "w" {
  endpoint {
    url = "http://loki:3100/loki/api/v1/push"
  }
}

otelcol.receiver.otlp "r" {
  http { }
  output {
    traces = [otelcol.exporter.otlp.e.input]
  }
}

otelcol.exporter.otlp "e" {
  client {
    endpoint = "tempo:4317"
  }
}
`;

describe('checkAlloyConfig', () => {
  it('returns the components and the direction data flows between them', () => {
    const graph = checkAlloyConfig(GOOD);
    expect(graph.components.map((c) => c.id)).toEqual([
      'loki.process.p',
      'loki.write.w',
      'otelcol.receiver.otlp.r',
      'otelcol.exporter.otlp.e',
    ]);
    expect(graph.edges).toEqual([
      { from: 'loki.process.p', to: 'loki.write.w', via: 'forward_to' },
      { from: 'otelcol.receiver.otlp.r', to: 'otelcol.exporter.otlp.e', via: 'output.traces' },
    ]);
    expect(followPipeline(graph, 'otelcol.receiver.otlp.r')).toEqual([
      'otelcol.receiver.otlp.r',
      'otelcol.exporter.otlp.e',
    ]);
  });

  it('treats a reference to an output (targets) as flowing into the referencing component', () => {
    const graph = checkAlloyConfig(
      'discovery.kubernetes "d" {\n  role = "pod"\n}\n\ndiscovery.relabel "r" {\n  targets = discovery.kubernetes.d.targets\n}\n',
    );
    expect(graph.edges).toEqual([
      { from: 'discovery.kubernetes.d', to: 'discovery.relabel.r', via: 'targets' },
    ]);
  });

  it('lets stdlib calls and constants through', () => {
    expect(() =>
      checkAlloyConfig(
        'discovery.kubernetes "d" {\n  role = "pod"\n  selectors {\n    role  = "pod"\n    field = "spec.nodeName=" + coalesce(sys.env("HOSTNAME"), constants.hostname)\n  }\n}\n',
      ),
    ).not.toThrow();
  });

  it.each([
    [
      'a reference to an undefined component',
      GOOD.replace('loki.write.w.receiver', 'loki.write.missing.receiver'),
      /loki.process.p.forward_to: loki.write.missing.receiver does not reference a component defined in this config/,
    ],
    [
      'a reference to a component type that is not there',
      GOOD.replace('loki.write.w.receiver', 'loki.echo.w.receiver'),
      /does not reference a component/,
    ],
    [
      'an export the component does not have',
      GOOD.replace('loki.write.w.receiver', 'loki.write.w.output'),
      /loki.write.w.output is not an export of loki.write \(exports: receiver\)/,
    ],
    [
      'an unknown component',
      GOOD.replace('loki.process "p"', 'loki.procss "p"'),
      /unknown component loki.procss/,
    ],
    [
      'a component without a label',
      GOOD.replace('loki.write "w"', 'loki.write'),
      /component loki.write needs a label/,
    ],
    [
      'a component defined twice',
      `${GOOD}\nloki.write "w" {\n  endpoint {\n    url = "x"\n  }\n}\n`,
      /component loki.write.w is defined twice/,
    ],
    [
      'a missing required setting',
      GOOD.replace('endpoint = "tempo:4317"', 'compression = "gzip"'),
      /otelcol.exporter.otlp.e is missing client.endpoint/,
    ],
    ['a top-level attribute', `x = 1\n${GOOD}`, /attribute x is not allowed at the top level/],
  ])('rejects %s', (_, source, message) => {
    expect(() => checkAlloyConfig(source)).toThrow(AlloyConfigError);
    expect(() => checkAlloyConfig(source)).toThrow(message);
  });

  it('reports syntax errors from the parser', () => {
    expect(() => checkAlloyConfig(GOOD.slice(0, GOOD.lastIndexOf('}')))).toThrow(AlloySyntaxError);
  });
});
