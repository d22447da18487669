import { ALLOY_EXTRA_PORTS } from '../../charts/alloy-config';

export const ALLOY_RELEASE = 'alloy';

/**
 * Values of the pinned Alloy chart: a DaemonSet (one collector per node tails that node's pods through the
 * API) running the rendered configuration, with the OTLP ports open for the services' traces.
 */
export function alloyValues(config: string): Record<string, unknown> {
  return {
    controller: { type: 'daemonset' },
    alloy: {
      configMap: { create: true, content: config },
      extraPorts: ALLOY_EXTRA_PORTS.map((p) => ({ ...p })),
      resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
    },
  };
}
