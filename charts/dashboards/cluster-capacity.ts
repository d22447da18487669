import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { dashboardFrame } from './dashboard-frame';
import type { ResolvedDashboardsProps } from './dashboards-props';
import { gaugePanel, labelValuesVariable, query, tablePanel, timeSeries } from './panel-kit';

export const CLUSTER_CAPACITY_UID = 'platform-cluster-capacity';

const NODE = `node=~"$node"`;
const NS = `namespace=~"$namespace"`;
/** Pods that hold their requests: finished pods keep their kube_pod_container_resource_* series. */
const ACTIVE_PODS = `on (namespace, pod) group_left () (max by (namespace, pod) (kube_pod_status_phase{phase=~"Pending|Running"} == 1))`;

const allocatable = (resource: string) =>
  `sum by (node) (kube_node_status_allocatable{resource="${resource}", ${NODE}})`;
const requestsBy = (by: string, resource: string, matchers: string) =>
  `sum by (${by}) (kube_pod_container_resource_requests{resource="${resource}", ${matchers}} * ${ACTIVE_PODS})`;
const limitsBy = (by: string, resource: string, matchers: string) =>
  `sum by (${by}) (kube_pod_container_resource_limits{resource="${resource}", ${matchers}} * ${ACTIVE_PODS})`;
/** cAdvisor's per-container series; the pod-level (container="") and pause (image="") ones would count twice. */
const CONTAINERS = `container!="", image!=""`;

/**
 * Capacity of the cluster from kube-state-metrics, node-exporter and the kubelet's cAdvisor: node CPU and
 * memory used and requested against allocatable, requests and limits per namespace, PVC usage, HPAs.
 */
export function clusterCapacityDashboard(props: ResolvedDashboardsProps): dashboard.Dashboard {
  return dashboardFrame(CLUSTER_CAPACITY_UID, 'Cluster capacity', props, ['cluster'])
    .description('Node and namespace capacity: use, requests and limits against what the nodes offer.')
    .withVariable(
      labelValuesVariable('node', 'kube_node_info', 'node', {
        label: 'Node',
        multi: true,
        includeAll: true,
        current: '$__all',
      }),
    )
    .withVariable(
      labelValuesVariable('namespace', 'kube_namespace_status_phase', 'namespace', {
        label: 'Namespace',
        multi: true,
        includeAll: true,
        current: '$__all',
      }),
    )
    .withRow(new dashboard.RowBuilder('Cluster'))
    .withPanel(
      gaugePanel(
        'CPU requested of allocatable',
        'percentunit',
        [
          query(`sum(${requestsBy('node', 'cpu', NODE)})\n/\nsum(${allocatable('cpu')})`, 'requested', {
            instant: true,
          }),
        ],
        {
          min: 0,
          max: 1,
          thresholds: [
            [0.8, 'orange'],
            [0.95, 'red'],
          ],
        },
      ),
    )
    .withPanel(
      gaugePanel(
        'Memory requested of allocatable',
        'percentunit',
        [
          query(`sum(${requestsBy('node', 'memory', NODE)})\n/\nsum(${allocatable('memory')})`, 'requested', {
            instant: true,
          }),
        ],
        {
          min: 0,
          max: 1,
          thresholds: [
            [0.8, 'orange'],
            [0.95, 'red'],
          ],
        },
      ),
    )
    .withPanel(
      gaugePanel(
        'CPU used of allocatable',
        'percentunit',
        [
          query(
            `sum(rate(container_cpu_usage_seconds_total{${CONTAINERS}, ${NODE}}[$__rate_interval]))\n/\nsum(${allocatable('cpu')})`,
            'used',
            { instant: true },
          ),
        ],
        {
          min: 0,
          max: 1,
          thresholds: [
            [0.7, 'orange'],
            [0.9, 'red'],
          ],
        },
      ),
    )
    .withPanel(
      gaugePanel(
        'Memory used of allocatable',
        'percentunit',
        [
          query(
            `sum(container_memory_working_set_bytes{${CONTAINERS}, ${NODE}})\n/\nsum(${allocatable('memory')})`,
            'used',
            { instant: true },
          ),
        ],
        {
          min: 0,
          max: 1,
          thresholds: [
            [0.8, 'orange'],
            [0.9, 'red'],
          ],
        },
      ),
    )
    .withRow(new dashboard.RowBuilder('Nodes'))
    .withPanel(
      timeSeries(
        'CPU used vs allocatable per node',
        'percentunit',
        [
          query(
            `sum by (node) (rate(container_cpu_usage_seconds_total{${CONTAINERS}, ${NODE}}[$__rate_interval]))\n/\n${allocatable('cpu')}`,
            '{{node}} used',
          ),
          query(`${requestsBy('node', 'cpu', NODE)}\n/\n${allocatable('cpu')}`, '{{node}} requested'),
        ],
        { min: 0, thresholds: [[1, 'red']] },
      ),
    )
    .withPanel(
      timeSeries(
        'Memory used vs allocatable per node',
        'percentunit',
        [
          query(
            `sum by (node) (container_memory_working_set_bytes{${CONTAINERS}, ${NODE}})\n/\n${allocatable('memory')}`,
            '{{node}} used',
          ),
          query(`${requestsBy('node', 'memory', NODE)}\n/\n${allocatable('memory')}`, '{{node}} requested'),
        ],
        { min: 0, thresholds: [[1, 'red']] },
      ),
    )
    .withPanel(
      timeSeries(
        'Node CPU busy (node-exporter)',
        'percentunit',
        [
          query(
            `1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[$__rate_interval]))`,
            '{{instance}}',
          ),
        ],
        { min: 0, max: 1, description: 'Whole-node CPU including system daemons, from node-exporter.' },
      ),
    )
    .withPanel(
      timeSeries(
        'Node memory used (node-exporter)',
        'percentunit',
        [query(`1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes`, '{{instance}}')],
        { min: 0, max: 1 },
      ),
    )
    .withRow(new dashboard.RowBuilder('Namespaces'))
    .withPanel(
      timeSeries(
        'CPU: used, requests, limits per namespace',
        'short',
        [
          query(
            `sum by (namespace) (rate(container_cpu_usage_seconds_total{${CONTAINERS}, ${NS}}[$__rate_interval]))`,
            '{{namespace}} used',
          ),
          query(requestsBy('namespace', 'cpu', NS), '{{namespace}} requests'),
          query(limitsBy('namespace', 'cpu', NS), '{{namespace}} limits'),
        ],
        { description: 'Cores.' },
      ),
    )
    .withPanel(
      timeSeries('Memory: used, requests, limits per namespace', 'bytes', [
        query(
          `sum by (namespace) (container_memory_working_set_bytes{${CONTAINERS}, ${NS}})`,
          '{{namespace}} used',
        ),
        query(requestsBy('namespace', 'memory', NS), '{{namespace}} requests'),
        query(limitsBy('namespace', 'memory', NS), '{{namespace}} limits'),
      ]),
    )
    .withPanel(
      timeSeries('Container restarts', 'short', [
        query(
          `sum by (namespace, pod) (increase(kube_pod_container_status_restarts_total{${NS}}[$__rate_interval])) > 0`,
          '{{namespace}}/{{pod}}',
        ),
      ]),
    )
    .withPanel(
      timeSeries(
        'HPA replicas: current vs max',
        'short',
        [
          query(
            `max by (namespace, horizontalpodautoscaler) (kube_horizontalpodautoscaler_status_current_replicas{${NS}})`,
            '{{namespace}}/{{horizontalpodautoscaler}} current',
          ),
          query(
            `max by (namespace, horizontalpodautoscaler) (kube_horizontalpodautoscaler_spec_max_replicas{${NS}})`,
            '{{namespace}}/{{horizontalpodautoscaler}} max',
          ),
        ],
        { description: 'An HPA at its maximum cannot absorb more load.' },
      ),
    )
    .withRow(new dashboard.RowBuilder('Storage'))
    .withPanel(
      tablePanel(
        'PVC usage',
        'percentunit',
        [
          query(
            `max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_used_bytes{${NS}})\n/\nmax by (namespace, persistentvolumeclaim) (kubelet_volume_stats_capacity_bytes{${NS}})`,
            'used',
            { instant: true, table: true },
          ),
        ],
        {
          span: 12,
          thresholds: [
            [0.8, 'orange'],
            [0.9, 'red'],
          ],
        },
      ),
    )
    .withPanel(
      timeSeries(
        'PVC usage over time',
        'percentunit',
        [
          query(
            `max by (namespace, persistentvolumeclaim) (kubelet_volume_stats_used_bytes{${NS}})\n/\nmax by (namespace, persistentvolumeclaim) (kubelet_volume_stats_capacity_bytes{${NS}})`,
            '{{namespace}}/{{persistentvolumeclaim}}',
          ),
        ],
        {
          min: 0,
          max: 1,
          thresholds: [
            [0.8, 'orange'],
            [0.9, 'red'],
          ],
        },
      ),
    )
    .build();
}
