import type { CanaryStep } from '../charts';
import type { ServiceSlo } from '../charts/slo';
import type { AnalysisThresholds } from '../charts/rollout-analysis/analysis-thresholds';
import type { MicroserviceDeliveryArgs } from '../infra/apps';
import type { ServiceSpec, SloSpec } from './spec';

/** The analysis thresholds of one service: its delivery settings, the p99 ceiling from its SLO unless set. */
export function analysisThresholds(service: ServiceSpec, slo: SloSpec): AnalysisThresholds {
  const a = service.delivery.analysis;
  return {
    interval: a.interval,
    count: a.count,
    failureLimit: a.failureLimit,
    inconclusiveLimit: a.inconclusiveLimit,
    minRequests: a.minRequests,
    maxErrorRatio: a.maxErrorRatio,
    // The SLO's latency threshold is the p99 target when its objective is 99 %; one source of truth.
    maxP99Seconds: a.maxP99Seconds ?? slo.latency.thresholdSeconds,
  };
}

/** The canary's steps: each configured weight, then the configured pause. */
export function canarySteps(service: ServiceSpec): CanaryStep[] {
  return service.delivery.canary.steps.map((weight) => ({ weight, pause: service.delivery.canary.pause }));
}

/** A service's delivery as the Microservice component takes it: strategy, steps and what to analyse. */
export function deliveryArgs(
  service: ServiceSpec,
  slo: ServiceSlo,
  prometheusAddress: string,
): MicroserviceDeliveryArgs {
  const d = service.delivery;
  if (d.strategy === 'rolling') return { strategy: 'rolling' };
  const analysis = { slo, thresholds: analysisThresholds(service, slo.objectives), prometheusAddress };
  if (d.strategy === 'canary') return { strategy: 'canary', steps: canarySteps(service), analysis };
  return {
    strategy: 'blueGreen',
    autoPromotion: d.blueGreen.autoPromotion,
    scaleDownDelaySeconds: d.blueGreen.scaleDownDelaySeconds,
    analysis,
  };
}
