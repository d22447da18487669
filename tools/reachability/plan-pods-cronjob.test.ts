/**
 * CronJob pods in the plan's inventory: a run's pod is the Job template's, so the reachability check sees
 * what the job connects to (the Redis snapshot job in prod) although no pod exists between runs.
 */
import type { PlanResource } from '../release';
import { planPods } from './plan-pods';

const labels = { 'app.kubernetes.io/name': 'redis-snapshot', 'app.kubernetes.io/component': 'snapshot' };

function cronJob(name: string, podSpec: Record<string, unknown>): PlanResource {
  return {
    type: 'kubernetes:batch/v1:CronJob',
    name: `prod-data-${name}`,
    inputs: {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name, namespace: 'data', labels: { 'app.kubernetes.io/name': name } },
      spec: {
        schedule: '0 3 * * *',
        jobTemplate: {
          metadata: { labels: { job: 'template-of-the-job-not-the-pod' } },
          spec: { template: { metadata: { labels }, spec: podSpec } },
        },
      },
    },
  };
}

const ids = (resources: readonly PlanResource[]) =>
  planPods(resources)
    .pods.map((p) => p.id)
    .filter((id) => id !== 'kube-system/kube-dns');

describe('planPods with CronJobs', () => {
  it('lists a CronJob as one pod with its Job template’s pod labels and container ports', () => {
    const { pods } = planPods([
      cronJob('redis-snapshot', {
        initContainers: [{ name: 'fetch', image: 'redis' }],
        containers: [
          {
            name: 'upload',
            image: 'aws-cli',
            ports: [{ name: 'debug', containerPort: 9000, protocol: 'TCP' }],
          },
        ],
      }),
    ]);
    const job = pods.filter((p) => p.id === 'data/redis-snapshot');
    expect(job).toEqual([
      {
        namespace: 'data',
        id: 'data/redis-snapshot',
        labels,
        ports: [{ name: 'debug', containerPort: 9000, protocol: 'TCP' }],
      },
    ]);
  });

  it('leaves out a host-network CronJob (NetworkPolicies do not apply to it), as for other workloads', () => {
    expect(
      ids([cronJob('node-check', { hostNetwork: true, containers: [{ name: 'c', image: 'x' }] })]),
    ).toEqual([]);
  });

  it('reads a Job template, not a pod template at spec.template, for a CronJob', () => {
    const resource = cronJob('redis-snapshot', { containers: [{ name: 'upload', image: 'aws-cli' }] });
    const spec = resource.inputs.spec as Record<string, unknown>;
    // A malformed CronJob with a Deployment-style template: its labels must not be taken for the pod's.
    const odd = {
      ...resource,
      inputs: {
        ...resource.inputs,
        spec: { ...spec, template: { metadata: { labels: { wrong: 'true' } }, spec: {} } },
      },
    };
    const [pod] = planPods([odd]).pods.filter((p) => p.id === 'data/redis-snapshot');
    expect(pod?.labels).toEqual(labels);
  });
});
