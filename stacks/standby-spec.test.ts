import { join } from 'node:path';
import { platformValues, readStackConfig } from '../tools/plan/stack-file';
import { parseEnvironment, type EnvironmentSpec } from './spec';
import { primaryServingSpec, standbyImage, standbyName, standbySpec } from './standby-spec';

const digest = '@sha256:' + 'a'.repeat(64);

describe('standbyImage', () => {
  it("moves an image of the primary region's ECR to the standby region's, same repository and digest", () => {
    expect(
      standbyImage(
        `444455556666.dkr.ecr.eu-west-1.amazonaws.com/platform/user${digest}`,
        'eu-west-1',
        'eu-central-1',
      ),
    ).toBe(`444455556666.dkr.ecr.eu-central-1.amazonaws.com/platform/user${digest}`);
  });

  it('leaves other registries and other regions alone (ECR replicates only the primary region here)', () => {
    for (const image of [
      `ghcr.io/argoproj-labs/plugin${digest}`,
      `444455556666.dkr.ecr.us-east-1.amazonaws.com/platform/user${digest}`,
      'redis:8.2.2-bookworm',
    ]) {
      expect(standbyImage(image, 'eu-west-1', 'eu-central-1')).toBe(image);
    }
  });
});

it('names the standby after the environment, so its cluster is platform-<env>-standby', () => {
  expect(standbyName('prod')).toBe('prod-standby');
});

describe('standby services follow platform:dr.failover.serve', () => {
  const prod = (): EnvironmentSpec => {
    const config = readStackConfig(join(__dirname, '..'), 'prod');
    return parseEnvironment('prod', platformValues(config));
  };
  const withServe = (spec: EnvironmentSpec, serve: 'primary' | 'standby'): EnvironmentSpec => {
    const dr = spec.dr;
    if (dr === undefined) throw new Error('prod has no platform:dr');
    return { ...spec, dr: { ...dr, failover: { ...dr.failover, serve } } };
  };

  it('passive (serve: primary): no replicas and no autoscaler, for every service', () => {
    const standby = standbySpec(withServe(prod(), 'primary'));
    expect(standby?.services.map((s) => [s.name, s.replicas, s.autoscaling.enabled])).toEqual(
      prod().services.map((s) => [s.name, 0, false]),
    );
  });

  it('active (serve: standby): one replica and an HPA from one to the primary’s maximum', () => {
    const primary = prod();
    const standby = standbySpec(withServe(primary, 'standby'));
    expect(
      standby?.services.map((s) => [
        s.name,
        s.replicas,
        s.autoscaling.minReplicas,
        s.autoscaling.maxReplicas,
      ]),
    ).toEqual(primary.services.map((s) => [s.name, 1, 1, s.autoscaling.maxReplicas]));
    expect(
      standby?.services.every(
        (s) => s.autoscaling.enabled === primary.services.find((p) => p.name === s.name)?.autoscaling.enabled,
      ),
    ).toBe(true);
  });
});

describe('the primary while the standby serves', () => {
  const prod = (): EnvironmentSpec =>
    parseEnvironment('prod', platformValues(readStackConfig(join(__dirname, '..'), 'prod')));

  it('is passive after the failover (serve: standby), so the rebuilt primary neither consumes nor serves', () => {
    const spec = prod();
    const dr = spec.dr;
    if (dr === undefined) throw new Error('prod has no platform:dr');
    const failedOver = { ...spec, dr: { ...dr, failover: { ...dr.failover, serve: 'standby' as const } } };
    expect(
      primaryServingSpec(failedOver).services.map((s) => [s.name, s.replicas, s.autoscaling.enabled]),
    ).toEqual(spec.services.map((s) => [s.name, 0, false]));
  });

  it('is the stack file’s own spec while it serves, and for stacks without DR', () => {
    const spec = prod();
    expect(spec.dr?.failover.serve).toBe('primary');
    expect(primaryServingSpec(spec)).toBe(spec);
    const uat = parseEnvironment('uat', platformValues(readStackConfig(join(__dirname, '..'), 'uat')));
    expect(primaryServingSpec(uat)).toBe(uat);
  });
});
