import { MIRROR_MAKER_LISTENER_PORT } from '../charts';
import { ConfigError, type EnvironmentSpec } from './spec';

/** First label of the listener's fixed private name, `kafka-mirror.<platform:dns.domain>`. */
export const MIRROR_BOOTSTRAP_LABEL = 'kafka-mirror';
/**
 * `kafka-mirror.<platform:dns.domain>:9094`, the address MirrorMaker 2 in the standby reads prod's Kafka at. The
 * NLB's own name only exists after the first deploy and changes when the Service is replaced; this one is
 * fixed, in the zone the standby VPC is associated with (DnsFailover). DR without `platform:dns` is refused:
 * there would be no name the standby could resolve.
 */
export function mirrorSourceBootstrap(spec: EnvironmentSpec): { host: string; bootstrap: string } {
  if (spec.dns === undefined) {
    throw new ConfigError(spec.name, [
      {
        path: 'platform:dns',
        message:
          'is required with platform:dr.enabled: true (Kafka MirrorMaker 2 in the standby reads prod at ' +
          `${MIRROR_BOOTSTRAP_LABEL}.<platform:dns.domain>:${MIRROR_MAKER_LISTENER_PORT}); got no platform:dns`,
      },
    ]);
  }
  const host = `${MIRROR_BOOTSTRAP_LABEL}.${spec.dns.domain}`;
  return { host, bootstrap: `${host}:${MIRROR_MAKER_LISTENER_PORT}` };
}
