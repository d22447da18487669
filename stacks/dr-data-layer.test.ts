/**
 * What the data layer does differently with DR: the standby's MongoDB only restores (its storage is the replica
 * of the primary's bucket), both sides share the system users, the snapshot alert goes where the snapshot job
 * runs; stacks without DR are as before.
 */
import { join } from 'node:path';
import type { SecretBackend } from '../infra/cluster';
import { platformValues, readStackConfig } from '../tools/plan/stack-file';
import { backupPlan, mongoBackupOf, redisSnapshotAlertOf } from './data-layer';
import { networkFactsOf } from './intended-network';
import { parseEnvironment, type EnvironmentSpec } from './spec';
import { standbySpec } from './standby-spec';

const specOf = (env: string): EnvironmentSpec =>
  parseEnvironment(env, platformValues(readStackConfig(join(__dirname, '..'), env)));
// The backend's AWS provider is not looked at here.
const secretsManager = (entries?: 'owner' | 'replica'): SecretBackend =>
  ({
    kind: 'aws-secrets-manager',
    clusterSecretStore: 'aws-secrets-manager',
    pathPrefix: 'platform/prod/',
    awsProvider: undefined,
    ...(entries && { entries }),
  }) as unknown as SecretBackend;

describe('mongoBackupOf', () => {
  it('keeps dev, qat and uat on their scheduled plan with the operator’s own system users', () => {
    for (const env of ['dev', 'qat', 'uat']) {
      const spec = specOf(env);
      const backend: SecretBackend = spec.cluster.tier === 'eks' ? secretsManager() : { kind: 'kubernetes' };
      expect(mongoBackupOf(spec, backend)).toEqual(backupPlan(spec.backup));
      expect(mongoBackupOf(spec, backend)).not.toHaveProperty('systemUsers');
    }
  });

  it('schedules prod’s backups as before and shares its system users (DR)', () => {
    const prod = specOf('prod');
    expect(mongoBackupOf(prod, secretsManager())).toEqual({
      ...backupPlan(prod.backup),
      systemUsers: 'shared',
    });
    expect(backupPlan(prod.backup).pointInTimeRecovery.enabled).toBe(true);
  });

  it('makes the standby (reading the replicated entries) restore-only, with the shared users', () => {
    const standby = standbySpec(specOf('prod'));
    if (standby === undefined) throw new Error('prod has no standby');
    expect(mongoBackupOf(standby, secretsManager('replica'))).toEqual({
      mode: 'restore-only',
      systemUsers: 'shared',
    });
  });
});

describe('the standby’s monitoring and network facts', () => {
  it('turns MongodbBackupTooOld off in the standby only, keeping the primary’s other disabled alerts', () => {
    const prod = specOf('prod');
    const standby = standbySpec(prod);
    expect(prod.monitoring.disabledAlerts).not.toContain('MongodbBackupTooOld');
    expect(standby?.monitoring.disabledAlerts).toEqual([
      ...prod.monitoring.disabledAlerts,
      'MongodbBackupTooOld',
    ]);
  });

  it('renders RedisSnapshotMissing where DR renders the snapshot job: prod, not its standby or uat', () => {
    const prod = specOf('prod');
    const standby = standbySpec(prod);
    if (standby === undefined) throw new Error('prod has no standby');
    expect(redisSnapshotAlertOf(prod)).toEqual({ snapshot: { cronJob: 'redis-snapshot', maxAgeHours: 26 } });
    for (const spec of [standby, specOf('dev'), specOf('uat')])
      expect(redisSnapshotAlertOf(spec)).toEqual({});
  });
});

it('expects the snapshot job’s network edges where DR renders the job: prod, not its standby or uat', () => {
  const prod = specOf('prod');
  expect(networkFactsOf(prod).redisSnapshot).toBe(true);
  for (const spec of [standbySpec(prod), specOf('dev'), specOf('uat')]) {
    if (spec === undefined) throw new Error('prod has no standby');
    expect(networkFactsOf(spec).redisSnapshot).toBe(false);
  }
});
