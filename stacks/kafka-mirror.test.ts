import { join } from 'node:path';
import { platformValues, readStackConfig } from '../tools/plan/stack-file';
import {
  MIRROR_BOOTSTRAP_SERVICE,
  mirrorMakerAlerts,
  mirrorMakerReplicas,
  mirrorSelection,
  mirrorSourceBootstrap,
} from './kafka-mirror';
import { ConfigError, parseEnvironment, type EnvironmentSpec } from './spec';
import { standbySpec } from './standby-spec';

const repo = join(__dirname, '..');
function parsed(stack: string): EnvironmentSpec {
  const config = readStackConfig(repo, stack);
  const secretKeys = new Set(
    config.secretKeys.filter((k) => k.startsWith('platform:')).map((k) => k.slice('platform:'.length)),
  );
  return parseEnvironment(stack, platformValues(config), { secretKeys });
}
const prod = parsed('prod');
const dr = prod.dr!;
const withServe = (serve: 'primary' | 'standby'): EnvironmentSpec => ({
  ...prod,
  dr: { ...dr, failover: { ...dr.failover, serve } },
});

describe('mirrorSourceBootstrap', () => {
  it('is kafka-mirror.<platform:dns.domain> on the listener port', () => {
    expect(mirrorSourceBootstrap(prod)).toEqual({
      host: `kafka-mirror.${prod.dns!.domain}`,
      bootstrap: `kafka-mirror.${prod.dns!.domain}:9094`,
    });
  });

  it('refuses DR without platform:dns, naming the key', () => {
    const { dns: _dns, ...noDns } = prod;
    const call = () => mirrorSourceBootstrap(noDns);
    expect(call).toThrow(ConfigError);
    expect(call).toThrow(
      /platform:dns: is required with platform:dr\.enabled: true \(Kafka MirrorMaker 2 in the standby reads prod at kafka-mirror\.<platform:dns\.domain>:9094\); got no platform:dns/,
    );
  });

  it('names the bootstrap Service Strimzi creates for the mm2 listener', () => {
    expect(MIRROR_BOOTSTRAP_SERVICE).toBe('kafka-kafka-mm2-bootstrap');
  });
});

describe('mirrorMakerAlerts', () => {
  it('takes the lag budget from the stack and allows checkpoints one emit + sync interval', () => {
    const spec: EnvironmentSpec = {
      ...prod,
      dr: {
        ...dr,
        kafka: {
          mirrorMaker: {
            ...dr.kafka.mirrorMaker,
            replicationLagBudgetSeconds: 90,
            emitCheckpointsIntervalSeconds: 30,
            syncGroupOffsetsIntervalSeconds: 45,
          },
        },
      },
    };
    expect(mirrorMakerAlerts(spec)).toEqual({
      name: 'mirror',
      replicationLagBudgetSeconds: 90,
      checkpointLagBudgetSeconds: 75,
    });
  });

  it('renders none without DR (uat) and none for the standby’s own spec', () => {
    expect(mirrorMakerAlerts(parsed('uat'))).toBeUndefined();
    expect(mirrorMakerAlerts(standbySpec(prod)!)).toBeUndefined();
  });
});

describe('mirrorSelection', () => {
  it('offers the data layer’s topics and mirrors every service’s consumer group', () => {
    const { knownTopics, groups } = mirrorSelection(prod);
    expect(knownTopics).toEqual(
      expect.arrayContaining(['order-events', 'user-events', 'analytics-dlq', 'notification-dlq']),
    );
    // The catalog's consumers (analytics, notification); the producers have no group.
    expect(groups).toEqual(['analytics', 'notification']);
  });
});

describe('mirrorMakerReplicas', () => {
  it('runs one worker while prod serves and stops the mirror after the failover', () => {
    expect(mirrorMakerReplicas(withServe('primary'))).toBe(1);
    expect(mirrorMakerReplicas(withServe('standby'))).toBe(0);
  });
});
