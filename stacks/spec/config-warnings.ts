import { worstCaseRpoMinutes } from './backup-rpo';
import { CONFIG_NAMESPACE } from './config-namespace';
import type { ConfigWarning, EnvironmentSpec } from './types';

const P = `${CONFIG_NAMESPACE}:`;

/**
 * Valid but risky settings: printed by `pulumi preview`/`up` and the offline plan, never fatal. Production
 * here means an environment that pages (24/7) or runs on EKS (uat and prod are production-like).
 */
export function configWarnings(spec: Omit<EnvironmentSpec, 'warnings'>): ConfigWarning[] {
  const warnings: ConfigWarning[] = [];
  const productionLike = spec.monitoring.paging || spec.tier === 'eks';
  if (productionLike) {
    for (const s of spec.services) {
      if (!s.autoscaling.enabled && s.replicas < 2) {
        warnings.push({
          rule: 'single-replica',
          path: `${P}services.${s.name}`,
          message: `runs 1 replica without autoscaling in a production-like environment: a node loss or a rollout takes it down`,
        });
      }
    }
  }
  if (spec.auth.adminEmails.length === 0 && spec.services.some((s) => s.name === 'user')) {
    warnings.push({
      rule: 'no-admins',
      path: `${P}auth.adminEmails`,
      message:
        'lists no administrator: nobody can grant roles, so no one can create products or read analytics',
    });
  }
  if (spec.tier === 'eks') {
    for (const [store, what] of [
      ['logs', 'Loki'],
      ['traces', 'Tempo'],
    ] as const) {
      if (spec.monitoring[store].bucket === undefined) {
        warnings.push({
          rule: 'telemetry-on-volume',
          path: `${P}monitoring.${store}.bucket`,
          message: `is not set: ${what} runs as one pod with its data on a volume, which a zone loss takes down; name an S3 bucket for the scalable, replicated mode`,
        });
      }
    }
  }
  if (spec.dr?.enabled === true && spec.dr.alarms.subscriptions.length === 0) {
    warnings.push({
      rule: 'dr-alarms-unrouted',
      path: `${P}dr.alarms.subscriptions`,
      message:
        'is empty: the replication-latency and regional health-check alarms publish to an SNS topic nobody ' +
        'is subscribed to; add the on-call endpoint (email or https)',
    });
  }
  const { backup } = spec;
  const worst = worstCaseRpoMinutes(backup);
  if (backup.rpoMinutes !== undefined && worst > backup.rpoMinutes) {
    warnings.push({
      rule: 'backup-rpo',
      path: `${P}backup`,
      message:
        `schedule "${backup.schedule}" with pointInTimeRecovery ${String(backup.pointInTimeRecovery)} can lose up to ` +
        `${worst} minutes of writes, more than backup.rpoMinutes (${backup.rpoMinutes}); ` +
        `enable pointInTimeRecovery (10 min) or schedule "continuous" (5 min)`,
    });
  } else if (backup.rpoMinutes === undefined && spec.monitoring.paging && !backup.pointInTimeRecovery) {
    warnings.push({
      rule: 'backup-rpo',
      path: `${P}backup`,
      message: `a paging (24/7) environment without pointInTimeRecovery can lose up to ${worst} minutes of writes; set backup.rpoMinutes to state the objective`,
    });
  }
  return warnings;
}
