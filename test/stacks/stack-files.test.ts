/** Every committed stack file is valid, and the environments' networks never overlap. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseEnvironment, type EnvironmentSpec } from '../../stacks/spec';
import { overlaps, parseCidr } from '../../infra/lib';

const root = join(__dirname, '..', '..');
const stacks = readdirSync(root)
  .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
  .filter((s): s is string => s !== undefined);

function load(stack: string): EnvironmentSpec {
  const doc = parse(readFileSync(join(root, `Pulumi.${stack}.yaml`), 'utf8')) as {
    config: Record<string, unknown>;
  };
  const raw = Object.fromEntries(
    Object.entries(doc.config)
      .filter(([k]) => k.startsWith('platform:'))
      .map(([k, v]) => [k.slice('platform:'.length), v]),
  );
  return parseEnvironment(stack, raw);
}

describe('the committed stack files', () => {
  it('include the four environments', () => {
    expect(stacks).toEqual(expect.arrayContaining(['dev', 'qat', 'uat', 'prod']));
  });

  it.each(stacks)('Pulumi.%s.yaml is valid', (stack) => {
    expect(load(stack).name).toBe(stack);
  });

  it('put dev and qat on prem and uat and prod on EKS', () => {
    expect(['dev', 'qat', 'uat', 'prod'].map((s) => [s, load(s).tier])).toEqual([
      ['dev', 'onprem'],
      ['qat', 'onprem'],
      ['uat', 'eks'],
      ['prod', 'eks'],
    ]);
  });

  it('give every EKS environment its own VPC block', () => {
    const vpcs = stacks
      .map(load)
      .flatMap((s) => (s.cluster.tier === 'eks' ? [[s.name, parseCidr(s.cluster.vpcCidr)] as const] : []));
    expect(vpcs.length).toBeGreaterThanOrEqual(2);
    for (let i = 0; i < vpcs.length; i++) {
      for (let j = i + 1; j < vpcs.length; j++) {
        const [a, ca] = vpcs[i]!;
        const [b, cb] = vpcs[j]!;
        expect(`${a} ${b} ${overlaps(ca!, cb!)}`).toBe(`${a} ${b} false`);
      }
    }
  });

  it('run prod with a NAT gateway per zone and uat with one', () => {
    const nat = (s: string) => {
      const c = load(s).cluster;
      return c.tier === 'eks' ? c.natGateways : undefined;
    };
    expect([nat('uat'), nat('prod')]).toEqual(['one', 'perZone']);
  });
});
