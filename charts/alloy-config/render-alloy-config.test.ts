import { checkAlloyConfig, followPipeline } from './alloy-config-check';
import type { AlloyConfigProps } from './alloy-config-props';
import { ALLOY_LOG_LABELS, DEFAULT_LOKI_PUSH_URL, DEFAULT_TEMPO_OTLP_ENDPOINT } from './alloy-config-props';
import type { AlloyExpression, ParsedBlock, ParsedStatement } from './alloy-parser';
import { parseAlloy } from './alloy-parser';
import { LogPipelineEmulator } from './log-pipeline-emulator';
import { ALLOY_COMPONENTS, renderAlloyConfig } from './render-alloy-config';

const PROPS: AlloyConfigProps = { namespaces: ['apps', 'data', 'platform'] };

function find(statements: readonly ParsedStatement[], name: string, label?: string): ParsedBlock {
  const found = statements.find(
    (s): s is ParsedBlock =>
      s.kind === 'block' && s.name === name && (label === undefined || s.label === label),
  );
  if (!found) throw new Error(`no block ${name}`);
  return found;
}

function attribute(block: ParsedBlock, name: string): AlloyExpression | undefined {
  const found = block.body.find((s) => s.kind === 'attribute' && s.name === name);
  return found?.kind === 'attribute' ? found.value : undefined;
}

function pod(namespace: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    __address__: '10.0.3.7:8080',
    __meta_kubernetes_namespace: namespace,
    __meta_kubernetes_pod_name: 'order-7f9c8d6b5-x2x9q',
    __meta_kubernetes_pod_container_name: 'order',
    __meta_kubernetes_pod_uid: '0b7e3f52-2a0b-4a53-9a47-6c1f7a1c1b11',
    __meta_kubernetes_pod_node_name: 'node-a',
    __meta_kubernetes_pod_label_app_kubernetes_io_name: 'order',
    __meta_kubernetes_pod_label_pod_template_hash: '7f9c8d6b5',
    ...extra,
  };
}

describe('renderAlloyConfig', () => {
  const text = renderAlloyConfig(PROPS);
  const tree = parseAlloy(text);

  it('renders text that parses and passes the reference check', () => {
    const graph = checkAlloyConfig(text);
    expect(graph.components.map((c) => c.id).sort()).toEqual(Object.values(ALLOY_COMPONENTS).sort());
  });

  it('wires logs discovery -> relabel -> source -> process -> write and traces receiver -> batch -> exporter', () => {
    const graph = checkAlloyConfig(text);
    const c = ALLOY_COMPONENTS;
    expect(followPipeline(graph, c.discovery)).toEqual([
      c.discovery,
      c.relabel,
      c.source,
      c.process,
      c.write,
    ]);
    expect(followPipeline(graph, c.otlpReceiver)).toEqual([c.otlpReceiver, c.batch, c.tempoExporter]);
    // Nothing else: every edge is on one of the two chains.
    expect(graph.edges).toHaveLength(6);
  });

  it("discovers only this node's pods, by the HOSTNAME the chart sets to spec.nodeName", () => {
    const discovery = find(tree, 'discovery.kubernetes', 'pods');
    expect(attribute(discovery, 'role')).toEqual({ kind: 'string', value: 'pod' });
    const selectors = find(discovery.body, 'selectors');
    expect(attribute(selectors, 'role')).toEqual({ kind: 'string', value: 'pod' });
    expect(attribute(selectors, 'field')).toEqual({
      kind: 'binary',
      op: '+',
      left: { kind: 'string', value: 'spec.nodeName=' },
      right: {
        kind: 'call',
        callee: { kind: 'access', object: { kind: 'ident', name: 'sys' }, field: 'env' },
        args: [{ kind: 'string', value: 'HOSTNAME' }],
      },
    });
  });

  it('sends logs to the Loki push URL and spans to Tempo without TLS by default', () => {
    const write = find(tree, 'loki.write', 'loki');
    expect(attribute(find(write.body, 'endpoint'), 'url')).toEqual({
      kind: 'string',
      value: DEFAULT_LOKI_PUSH_URL,
    });
    const client = find(find(tree, 'otelcol.exporter.otlp', 'tempo').body, 'client');
    expect(attribute(client, 'endpoint')).toEqual({ kind: 'string', value: DEFAULT_TEMPO_OTLP_ENDPOINT });
    expect(attribute(find(client.body, 'tls'), 'insecure')).toEqual({ kind: 'bool', value: true });
    const receiver = find(tree, 'otelcol.receiver.otlp', 'default');
    expect(attribute(find(receiver.body, 'grpc'), 'endpoint')).toEqual({
      kind: 'string',
      value: '0.0.0.0:4317',
    });
    expect(attribute(find(receiver.body, 'http'), 'endpoint')).toEqual({
      kind: 'string',
      value: '0.0.0.0:4318',
    });
  });

  it('takes the URLs from the props and leaves TLS on when asked', () => {
    const custom = parseAlloy(
      renderAlloyConfig({
        namespaces: ['apps'],
        lokiPushUrl: 'https://loki.example.internal/loki/api/v1/push',
        tempoOtlpEndpoint: 'tempo-distributor.tracing:4317',
        tempoInsecure: false,
      }),
    );
    expect(attribute(find(find(custom, 'loki.write').body, 'endpoint'), 'url')).toEqual({
      kind: 'string',
      value: 'https://loki.example.internal/loki/api/v1/push',
    });
    const client = find(find(custom, 'otelcol.exporter.otlp').body, 'client');
    expect(attribute(client, 'endpoint')).toEqual({
      kind: 'string',
      value: 'tempo-distributor.tracing:4317',
    });
    expect(client.body.some((s) => s.name === 'tls')).toBe(false);
  });

  describe('relabelling (emulated from the rendered rules)', () => {
    const emulator = new LogPipelineEmulator(text);

    it('keeps pods of the listed namespaces only, matching whole names', () => {
      expect(emulator.targetLabels(pod('apps'))).toBeDefined();
      expect(emulator.targetLabels(pod('platform'))).toBeDefined();
      expect(emulator.targetLabels(pod('kube-system'))).toBeUndefined();
      expect(emulator.targetLabels(pod('app'))).toBeUndefined();
      expect(emulator.targetLabels(pod('apps-staging'))).toBeUndefined();
    });

    it('sets namespace, app, track (stable by default), container and pod, and nothing else', () => {
      expect(emulator.targetLabels(pod('apps'))).toEqual({
        namespace: 'apps',
        app: 'order',
        track: 'stable',
        container: 'order',
        pod: 'order-7f9c8d6b5-x2x9q',
      });
      expect(
        emulator.targetLabels(pod('apps', { __meta_kubernetes_pod_label_platform_io_track: 'canary' })),
      ).toMatchObject({
        track: 'canary',
      });
    });

    it('falls back to the container name for pods without app.kubernetes.io/name', () => {
      const labels = pod('data', {
        __meta_kubernetes_pod_label_app_kubernetes_io_name: '',
        __meta_kubernetes_pod_container_name: 'mongod',
      });
      expect(emulator.targetLabels(labels)).toMatchObject({ app: 'mongod', container: 'mongod' });
    });

    it('leaves after processing exactly the low-cardinality labels, the pod as structured metadata', () => {
      const labels = emulator.targetLabels(pod('apps'));
      if (!labels) throw new Error('target dropped');
      const out = emulator.process(labels, 'plain text from a crashing process');
      expect(Object.keys(out.labels).sort()).toEqual([...ALLOY_LOG_LABELS].sort());
      expect(out.labels.level).toBe('unknown');
      expect(out.structuredMetadata).toEqual({ pod: 'order-7f9c8d6b5-x2x9q' });
      expect(out.dropped).toBe(false);
    });
  });

  it.each<[string, AlloyConfigProps, string]>([
    [
      'no namespaces',
      { namespaces: [] },
      'alloyConfig.namespaces must be a non-empty list of namespaces (got [])',
    ],
    [
      'a namespace that is no DNS label',
      { namespaces: ['apps', 'Data'] },
      'alloyConfig.namespaces[1] must be a DNS label (a-z, 0-9, "-", at most 63) (got "Data")',
    ],
    [
      'a namespace with regex characters',
      { namespaces: ['apps|.*'] },
      'alloyConfig.namespaces[0] must be a DNS label',
    ],
    [
      'a namespace listed twice',
      { namespaces: ['apps', 'apps'] },
      'alloyConfig.namespaces[1] must be distinct from the namespaces before it (got "apps")',
    ],
    [
      'a Loki URL that is not http(s)',
      { namespaces: ['apps'], lokiPushUrl: 'ftp://loki/push' },
      'alloyConfig.lokiPushUrl must be an http(s) URL (got "ftp://loki/push")',
    ],
    [
      'a Loki URL that is no URL',
      { namespaces: ['apps'], lokiPushUrl: 'loki-gateway' },
      'alloyConfig.lokiPushUrl must be an http(s) URL (got "loki-gateway")',
    ],
    [
      'a Loki URL with credentials',
      { namespaces: ['apps'], lokiPushUrl: 'http://u:secret@loki/push' },
      'alloyConfig.lokiPushUrl must be a URL without credentials (got "<redacted>")',
    ],
    [
      'a Tempo endpoint without port',
      { namespaces: ['apps'], tempoOtlpEndpoint: 'tempo.monitoring' },
      'alloyConfig.tempoOtlpEndpoint must be host:port',
    ],
    [
      'a Tempo endpoint with a scheme',
      { namespaces: ['apps'], tempoOtlpEndpoint: 'http://tempo:4317' },
      'alloyConfig.tempoOtlpEndpoint must be host:port',
    ],
    [
      'a Tempo port out of range',
      { namespaces: ['apps'], tempoOtlpEndpoint: 'tempo:70000' },
      'alloyConfig.tempoOtlpEndpoint must be host:port with a DNS name or IPv4 host and a port in 1..65535 (got "tempo:70000")',
    ],
  ])('rejects %s', (_, props, message) => {
    expect(() => renderAlloyConfig(props)).toThrow(message);
  });

  it('never leaks a credential of a rejected URL into the error', () => {
    expect(() =>
      renderAlloyConfig({ namespaces: ['apps'], lokiPushUrl: 'http://u:secret@loki/push' }),
    ).toThrow(expect.objectContaining({ message: expect.not.stringContaining('secret') as string }) as Error);
  });
});
