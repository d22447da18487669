import type { AlloyConfigProps } from './alloy-config-props';
import {
  DEFAULT_LOKI_PUSH_URL,
  DEFAULT_TEMPO_OTLP_ENDPOINT,
  NAME_LABEL,
  OTLP_GRPC_PORT,
  OTLP_HTTP_PORT,
  PINO_LEVEL_NAMES,
  PROBE_PATHS,
  TRACK_LABEL,
} from './alloy-config-props';
import type { AlloyStatement } from './alloy-syntax';
import { attr, block, comment, expr, printAlloy } from './alloy-syntax';
import { validateAlloyConfigProps } from './validate-alloy-config-props';

/** Component labels, so the lead's dashboards/alerts on Alloy's own metrics can name them. */
export const ALLOY_COMPONENTS = {
  discovery: 'discovery.kubernetes.pods',
  relabel: 'discovery.relabel.pods',
  source: 'loki.source.kubernetes.pods',
  process: 'loki.process.pods',
  write: 'loki.write.loki',
  otlpReceiver: 'otelcol.receiver.otlp.default',
  batch: 'otelcol.processor.batch.default',
  tempoExporter: 'otelcol.exporter.otlp.tempo',
} as const;

/** Prometheus's label name for a pod label: every character outside [A-Za-z0-9_] becomes `_`. */
function podLabelMeta(label: string): string {
  return `__meta_kubernetes_pod_label_${label.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * `level` as a name from a closed set: pino's numeric levels mapped, names kept, anything else (a stack trace
 * on stderr, a line of another logger) `unknown`, so the label can never grow beyond seven values.
 * Go's `eq` with several arguments is true when the first equals any of the others.
 */
function levelTemplate(): string {
  const branches = Object.entries(PINO_LEVEL_NAMES).map(
    ([number, name], i) => `{{ ${i === 0 ? 'if' : 'else if'} eq .Value "${number}" "${name}" }}${name}`,
  );
  return `${branches.join('')}{{ else }}unknown{{ end }}`;
}

function relabelRule(body: Record<string, string | readonly string[]>): AlloyStatement {
  return block(
    'rule',
    Object.entries(body).map(([k, v]) => attr(k, v)),
  );
}

function logsPipeline(namespaces: readonly string[], lokiPushUrl: string): AlloyStatement[] {
  const c = ALLOY_COMPONENTS;
  return [
    comment("Logs: this node's pods (the chart sets HOSTNAME to spec.nodeName), tailed through the API."),
    block(
      'discovery.kubernetes',
      [
        attr('role', 'pod'),
        block('selectors', [
          attr('role', 'pod'),
          attr('field', expr('"spec.nodeName=" + sys.env("HOSTNAME")')),
        ]),
      ],
      'pods',
    ),
    block(
      'discovery.relabel',
      [
        attr('targets', expr(`${c.discovery}.targets`)),
        relabelRule({
          source_labels: ['__meta_kubernetes_namespace'],
          regex: namespaces.map(escapeRegex).join('|'),
          action: 'keep',
        }),
        relabelRule({ source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' }),
        comment(`app: the ${NAME_LABEL} label, else the container name.`),
        relabelRule({ source_labels: ['__meta_kubernetes_pod_container_name'], target_label: 'app' }),
        relabelRule({ source_labels: [podLabelMeta(NAME_LABEL)], regex: '(.+)', target_label: 'app' }),
        comment(`track: the ${TRACK_LABEL} label, else stable (what the services assume).`),
        relabelRule({ target_label: 'track', replacement: 'stable' }),
        relabelRule({ source_labels: [podLabelMeta(TRACK_LABEL)], regex: '(.+)', target_label: 'track' }),
        relabelRule({ source_labels: ['__meta_kubernetes_pod_container_name'], target_label: 'container' }),
        comment('pod becomes structured metadata in loki.process, never a stream label.'),
        relabelRule({ source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' }),
      ],
      'pods',
    ),
    block(
      'loki.source.kubernetes',
      [attr('targets', expr(`${c.relabel}.output`)), attr('forward_to', [expr(`${c.process}.receiver`)])],
      'pods',
    ),
    block(
      'loki.process',
      [
        attr('forward_to', [expr(`${c.write}.receiver`)]),
        comment(
          'Pino JSON lines (services/common logger.ts, request-context.ts); other lines pass untouched.',
        ),
        block('stage.json', [
          attr('expressions', {
            level: '',
            path: '',
            status: '',
            trace_id: '',
            span_id: '',
            request_id: 'requestId',
          }),
        ]),
        comment('Successful probe and scrape access lines; a failing probe is kept.'),
        block('stage.drop', [
          attr('source', 'path,status'),
          attr('separator', ';'),
          attr('expression', `^(${PROBE_PATHS.map(escapeRegex).join('|')});[23][0-9][0-9]$`),
          attr('drop_counter_reason', 'probe'),
        ]),
        block('stage.template', [attr('source', 'level'), attr('template', levelTemplate())]),
        block('stage.labels', [attr('values', { level: '' })]),
        comment('High-cardinality fields: queryable per line, not indexed as streams.'),
        block('stage.structured_metadata', [
          attr('values', { trace_id: '', span_id: '', request_id: '', pod: '' }),
        ]),
        block('stage.label_drop', [attr('values', ['pod'])]),
      ],
      'pods',
    ),
    block('loki.write', [block('endpoint', [attr('url', lokiPushUrl)])], 'loki'),
  ];
}

function tracesPipeline(tempoEndpoint: string, insecure: boolean): AlloyStatement[] {
  const c = ALLOY_COMPONENTS;
  return [
    comment('Traces: OTLP from the services, batched, on to Tempo.'),
    block(
      'otelcol.receiver.otlp',
      [
        block('grpc', [attr('endpoint', `0.0.0.0:${OTLP_GRPC_PORT}`)]),
        block('http', [attr('endpoint', `0.0.0.0:${OTLP_HTTP_PORT}`)]),
        block('output', [attr('traces', [expr(`${c.batch}.input`)])]),
      ],
      'default',
    ),
    block(
      'otelcol.processor.batch',
      [block('output', [attr('traces', [expr(`${c.tempoExporter}.input`)])])],
      'default',
    ),
    block(
      'otelcol.exporter.otlp',
      [
        block('client', [
          attr('endpoint', tempoEndpoint),
          ...(insecure
            ? [
                comment(
                  'In-cluster hop on the pod network, fenced by NetworkPolicies; Tempo has no TLS here.',
                ),
                block('tls', [attr('insecure', true)]),
              ]
            : []),
        ]),
      ],
      'tempo',
    ),
  ];
}

/** The Alloy configuration text for the DaemonSet (the chart's `alloy.configMap.content`). Throws on bad props. */
export function renderAlloyConfig(props: AlloyConfigProps): string {
  validateAlloyConfigProps(props);
  const lokiPushUrl = props.lokiPushUrl ?? DEFAULT_LOKI_PUSH_URL;
  const tempoEndpoint = props.tempoOtlpEndpoint ?? DEFAULT_TEMPO_OTLP_ENDPOINT;
  const insecure = props.tempoInsecure ?? true;
  const header =
    '// Rendered by charts/alloy-config (renderAlloyConfig); edit the TypeScript, not this text.\n\n';
  return (
    header +
    printAlloy([...logsPipeline(props.namespaces, lokiPushUrl), ...tracesPipeline(tempoEndpoint, insecure)])
  );
}
