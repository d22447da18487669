import { parseBytes, parseCpu, type ServiceSpec } from './spec';

export interface AppsQuota {
  readonly requestsCpu: string;
  readonly requestsMemory: string;
  readonly limitsCpu: string;
  readonly limitsMemory: string;
  readonly pods: number;
}

/** Pods a service can run at once: its ceiling, plus rollout surge (25 %), doubled while two colours run. */
export function peakPods(service: ServiceSpec): number {
  const ceiling = service.autoscaling.enabled ? service.autoscaling.maxReplicas : service.replicas;
  const surge = Math.ceil(ceiling * 1.25);
  return service.delivery.strategy === 'rolling' ? surge : surge * 2;
}

/**
 * The apps namespace's quota: what every service needs at full stretch, so the quota stops runaway
 * workloads without ever blocking an HPA or a rollout. Ten pods of headroom for jobs and debugging.
 */
export function appsQuota(services: readonly ServiceSpec[]): AppsQuota {
  let reqCpu = 0;
  let reqMem = 0;
  let limCpu = 0;
  let limMem = 0;
  let pods = 10;
  for (const s of services) {
    const n = peakPods(s);
    pods += n;
    reqCpu += n * parseCpu(s.resources.requests.cpu);
    reqMem += n * parseBytes(s.resources.requests.memory);
    limCpu += n * parseCpu(s.resources.limits.cpu);
    limMem += n * parseBytes(s.resources.limits.memory);
  }
  const mi = (bytes: number) => `${Math.ceil(bytes / 2 ** 20)}Mi`;
  // Headroom for the LimitRange defaults of the ten extra pods.
  return {
    requestsCpu: `${reqCpu + 1000}m`,
    requestsMemory: mi(reqMem + 10 * 128 * 2 ** 20),
    limitsCpu: `${limCpu + 5000}m`,
    limitsMemory: mi(limMem + 10 * 512 * 2 ** 20),
    pods,
  };
}
