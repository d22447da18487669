import type * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { renderAlloyConfig } from '../../charts/alloy-config';
import { pinnedRelease } from '../kubernetes';
import { CHARTS } from '../versions';
import { ALLOY_RELEASE, alloyValues } from './alloy-values';
import { LOKI_GATEWAY_PORT, LOKI_RELEASE, lokiValues, type ObjectStorage } from './loki-values';
import { TEMPO_PORTS, TEMPO_RELEASE, tempoValues } from './tempo-values';

export interface LogsAndTracesArgs {
  readonly provider: k8s.Provider;
  readonly namespace: string;
  /** Namespaces whose pods' logs Alloy ships. */
  readonly logNamespaces: readonly string[];
  readonly storageClass: string;
  readonly topologyKey: string;
  readonly logs: {
    readonly retention: string;
    readonly storage: string;
    readonly objectStorage?: ObjectStorage;
  };
  readonly traces: {
    readonly retention: string;
    readonly storage: string;
    readonly objectStorage?: ObjectStorage;
  };
  /** The monitoring namespace's NetworkPolicies and the baseline. */
  readonly dependsOn: readonly pulumi.Resource[];
}

/** Where the services send OTLP/HTTP (OTEL_EXPORTER_OTLP_ENDPOINT): the Alloy Service of the monitoring namespace. */
export function otlpEndpoint(namespace: string): string {
  return `http://${ALLOY_RELEASE}.${namespace}.svc.cluster.local:4318`;
}

/**
 * Logs and traces of one environment: Loki (single binary on a volume, or simple scalable on S3), Tempo
 * (blocks on a volume or in S3) and the Alloy DaemonSet that ships the pods' logs to Loki and the services'
 * OTLP traces to Tempo. Each is a pinned Helm release; Alloy starts after the stores it writes to.
 */
export class LogsAndTraces extends pulumi.ComponentResource {
  readonly ready: pulumi.Resource[];

  constructor(name: string, args: LogsAndTracesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:monitoring:LogsAndTraces', name, {}, opts);
    const onCluster = (...deps: pulumi.Resource[]) => ({
      parent: this,
      provider: args.provider,
      dependsOn: [...args.dependsOn, ...deps],
    });
    const host = (service: string) => `${service}.${args.namespace}.svc.cluster.local`;

    const loki = pinnedRelease(
      `${name}-loki`,
      CHARTS.loki,
      {
        releaseName: LOKI_RELEASE,
        namespace: args.namespace,
        values: lokiValues({
          retention: args.logs.retention,
          storage: args.logs.storage,
          storageClass: args.storageClass,
          topologyKey: args.topologyKey,
          ...(args.logs.objectStorage && { objectStorage: args.logs.objectStorage }),
        }),
      },
      onCluster(),
    );
    const tempo = pinnedRelease(
      `${name}-tempo`,
      CHARTS.tempo,
      {
        releaseName: TEMPO_RELEASE,
        namespace: args.namespace,
        values: tempoValues({
          retention: args.traces.retention,
          storage: args.traces.storage,
          storageClass: args.storageClass,
          ...(args.traces.objectStorage && { objectStorage: args.traces.objectStorage }),
        }),
      },
      onCluster(),
    );
    const alloy = pinnedRelease(
      `${name}-alloy`,
      CHARTS.alloy,
      {
        releaseName: ALLOY_RELEASE,
        namespace: args.namespace,
        values: alloyValues(
          renderAlloyConfig({
            namespaces: args.logNamespaces,
            lokiPushUrl: `http://${host(`${LOKI_RELEASE}-gateway`)}:${LOKI_GATEWAY_PORT}/loki/api/v1/push`,
            tempoOtlpEndpoint: `${host(TEMPO_RELEASE)}:${TEMPO_PORTS.otlpGrpc}`,
          }),
        ),
      },
      onCluster(loki, tempo),
    );
    this.ready = [loki, tempo, alloy];
    this.registerOutputs({});
  }
}
