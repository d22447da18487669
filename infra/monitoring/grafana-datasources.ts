import { LOKI_GATEWAY_PORT, LOKI_RELEASE } from './loki-values';
import { TEMPO_PORTS, TEMPO_RELEASE } from './tempo-values';

export const LOKI_DATASOURCE_UID = 'loki';
export const TEMPO_DATASOURCE_UID = 'tempo';

/**
 * Loki and Tempo as Grafana data sources, linked both ways: a log line's `trace_id` (structured metadata)
 * opens its trace, a span opens the logs of its service around it, and Prometheus exemplars (see the
 * Prometheus data source) open the trace of a slow request. `$$` escapes Grafana's provisioning variables.
 */
export function grafanaDataSources(namespace: string): Record<string, unknown>[] {
  const host = (service: string) => `${service}.${namespace}.svc.cluster.local`;
  return [
    {
      name: 'Loki',
      type: 'loki',
      uid: LOKI_DATASOURCE_UID,
      access: 'proxy',
      url: `http://${host(`${LOKI_RELEASE}-gateway`)}:${LOKI_GATEWAY_PORT}`,
      jsonData: {
        derivedFields: [
          {
            name: 'trace_id',
            matcherType: 'label',
            matcherRegex: 'trace_id',
            datasourceUid: TEMPO_DATASOURCE_UID,
            url: '$${__value.raw}',
            urlDisplayLabel: 'Trace',
          },
        ],
      },
    },
    {
      name: 'Tempo',
      type: 'tempo',
      uid: TEMPO_DATASOURCE_UID,
      access: 'proxy',
      url: `http://${host(TEMPO_RELEASE)}:${TEMPO_PORTS.http}`,
      jsonData: {
        tracesToLogsV2: {
          datasourceUid: LOKI_DATASOURCE_UID,
          spanStartTimeShift: '-5m',
          spanEndTimeShift: '5m',
          filterByTraceID: true,
          // The span's service is the log stream's app label.
          tags: [{ key: 'service.name', value: 'app' }],
        },
        serviceMap: { datasourceUid: 'prometheus' },
        nodeGraph: { enabled: true },
        lokiSearch: { datasourceUid: LOKI_DATASOURCE_UID },
      },
    },
  ];
}
