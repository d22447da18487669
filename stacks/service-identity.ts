import type { SecretKeyRef } from '../charts';
import type { ClusterInfo } from '../infra/cluster';
import { DistributedSecret, generatedPassword } from '../infra/data';
import type * as pulumi from '@pulumi/pulumi';
import { SERVICE_CATALOG, type ServiceName } from './service-catalog';
import type { EnvironmentSpec } from './spec';

/** The Secret holding a calling service's signing key for service tokens (key SERVICE_TOKEN_KEY). */
export const serviceKeySecret = (caller: ServiceName) => `service-key-${caller}`;
export const SERVICE_TOKEN_KEY = 'SERVICE_TOKEN_KEY';
/** The Secret with ADMIN_EMAILS, the configured administrators, for the user service. */
export const ADMINS_SECRET_NAME = 'user-admins';

/** What one service gets for authenticating to, and being called by, other services. */
export interface ServiceIdentity {
  readonly envFromSecrets: readonly string[];
  readonly secretEnv: Readonly<Record<string, SecretKeyRef>>;
  readonly ready: readonly pulumi.Resource[];
}

/**
 * Service-to-service keys and the administrators Secret. Every deployed service that calls another one gets a
 * generated signing key of its own (`service-key-<caller>`, as SERVICE_TOKEN_KEY); each deployed callee reads
 * exactly the keys of its deployed callers, as SERVICE_KEY_<CALLER>, and accepts no one else. Changing
 * `platform:auth.serviceKeyRotation` generates new keys.
 */
export function serviceIdentities(
  spec: EnvironmentSpec,
  cluster: ClusterInfo,
): Readonly<Partial<Record<ServiceName, ServiceIdentity>>> {
  const env = spec.name;
  const ns = spec.namespaces.apps;
  const deployed = new Set(spec.services.map((s) => s.name));
  const keys = new Map<ServiceName, readonly pulumi.Resource[]>();
  for (const caller of deployed) {
    if (!SERVICE_CATALOG[caller].calls.some((callee) => deployed.has(callee))) continue;
    const key = generatedPassword(`${env}-service-key-${caller}`, {
      provider: cluster.provider,
      backend: cluster.secretBackend,
      secretName: serviceKeySecret(caller),
      namespace: ns,
      key: SERVICE_TOKEN_KEY,
      length: 64,
      keepers: { rotation: spec.auth.serviceKeyRotation },
      dependsOn: cluster.ready,
    });
    keys.set(caller, key.ready);
  }

  const identities: Partial<Record<ServiceName, ServiceIdentity>> = {};
  for (const service of deployed) {
    const callers = [...keys.keys()].filter((caller) => SERVICE_CATALOG[caller].calls.includes(service));
    const own = keys.get(service);
    const envFromSecrets = own ? [serviceKeySecret(service)] : [];
    const ready = [...(own ?? []), ...callers.flatMap((caller) => keys.get(caller) ?? [])];
    if (service === 'user') {
      const admins = new DistributedSecret(`${env}-user-admins`, {
        provider: cluster.provider,
        backend: cluster.secretBackend,
        secretName: ADMINS_SECRET_NAME,
        namespaces: [ns],
        data: { ADMIN_EMAILS: spec.auth.adminEmails.join(',') },
        dependsOn: cluster.ready,
      });
      envFromSecrets.push(ADMINS_SECRET_NAME);
      ready.push(...admins.ready);
    }
    identities[service] = {
      envFromSecrets,
      secretEnv: Object.fromEntries(
        callers.map((caller) => [
          `SERVICE_KEY_${caller.toUpperCase().replace(/-/g, '_')}`,
          { secret: serviceKeySecret(caller), key: SERVICE_TOKEN_KEY },
        ]),
      ),
      ready,
    };
  }
  return identities;
}
