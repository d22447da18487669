import { isDict } from './normalise';

type Dict = Record<string, unknown>;
const dict = (v: unknown): Dict => (isDict(v) ? v : {});

function step(s: unknown): string {
  const d = dict(s);
  if (d.setWeight !== undefined) return `${String(d.setWeight)}%`;
  if (d.pause !== undefined) {
    const duration = dict(d.pause).duration;
    return duration === undefined ? 'pause (manual)' : `pause ${String(duration)}`;
  }
  if (d.analysis !== undefined) return 'analysis';
  if (d.experiment !== undefined) return 'experiment';
  return Object.keys(d).sort().join('+') || '?';
}

/**
 * How a workload delivers a new version, in a few words: `Deployment RollingUpdate`,
 * `Rollout canary 10% → pause 5m → 50%`, `Rollout blueGreen (manual promotion)`. Undefined for other kinds.
 */
export function deliveryStrategy(o: Dict): string | undefined {
  const spec = dict(o.spec);
  if (o.kind === 'Deployment') return `Deployment ${String(dict(spec.strategy).type ?? 'RollingUpdate')}`;
  if (o.kind !== 'Rollout') return undefined;
  const strategy = dict(spec.strategy);
  if (isDict(strategy.canary)) {
    const steps = Array.isArray(strategy.canary.steps) ? strategy.canary.steps.map(step) : [];
    return `Rollout canary${steps.length > 0 ? ` ${steps.join(' → ')}` : ' (no steps)'}`;
  }
  if (isDict(strategy.blueGreen)) {
    const auto = strategy.blueGreen.autoPromotionEnabled !== false;
    return `Rollout blueGreen (${auto ? 'automatic' : 'manual'} promotion)`;
  }
  return 'Rollout (no strategy)';
}
