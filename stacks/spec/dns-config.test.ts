/** `platform:dns`: the Route 53 zone ExternalDNS publishes the gateway's hostnames into (EKS only). */
import { ConfigError, parseEnvironment } from '.';
import { isInsideDomain } from './dns';

const DIGEST = 'f'.repeat(64);
const ECR = '111122223333.dkr.ecr.eu-west-1.amazonaws.com';
const ZONE = 'Z0UAT1234567890';
const eks = (extra: Record<string, unknown> = {}) => ({
  tier: 'eks',
  cluster: { region: 'eu-west-1', vpcCidr: '10.20.0.0/16' },
  services: { product: { image: `${ECR}/platform/product@sha256:${DIGEST}` } },
  backup: { storage: { bucket: 'platform-uat-backups' } },
  ...extra,
});
const onprem = (extra: Record<string, unknown> = {}) => ({
  tier: 'onprem',
  cluster: {
    context: 'onprem-dev',
    storageClass: 'standard',
    loadBalancer: { mode: 'metallb', addressPool: 'public' },
    registry: 'registry.local/platform',
  },
  services: { product: { image: 'registry.local/platform/product:1.0.0' } },
  backup: {
    storage: { bucket: 'backups', endpointUrl: 'https://minio.local:9000', credentialsSecret: 'backup-s3' },
  },
  ...extra,
});

function problems(stack: string, raw: Record<string, unknown>): string[] {
  try {
    parseEnvironment(stack, raw);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.problems.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error('expected the config to be refused');
}

describe('platform:dns', () => {
  it('resolves on EKS, with the default hostnames inside the domain', () => {
    const spec = parseEnvironment(
      'uat',
      eks({ dns: { hostedZoneId: ZONE, domain: 'uat.platform.internal' } }),
    );
    expect(spec.dns).toEqual({ hostedZoneId: ZONE, domain: 'uat.platform.internal', private: false });
    expect(spec.gateway.hostnames).toEqual(['*.uat.platform.internal']);
  });

  it('accepts hostnames under the domain, and the domain itself', () => {
    const spec = parseEnvironment(
      'uat',
      eks({
        dns: { hostedZoneId: ZONE, domain: 'uat.shop.example.com' },
        gateway: {
          hostnames: ['*.uat.shop.example.com', 'uat.shop.example.com', 'api.eu.uat.shop.example.com'],
        },
      }),
    );
    expect(spec.dns?.domain).toBe('uat.shop.example.com');
  });

  it('is optional: without it the spec has no dns (and the cluster no ExternalDNS)', () => {
    expect(parseEnvironment('uat', eks()).dns).toBeUndefined();
  });

  it('is refused on prem, naming the key', () => {
    expect(problems('dev', onprem({ dns: { hostedZoneId: ZONE, domain: 'dev.platform.internal' } }))).toEqual(
      [
        'platform:dns: is only for EKS stacks: ExternalDNS writes the records to Route 53 with an IRSA role, which only EKS stacks have; on prem, create the DNS record for the gateway by hand (README, "North-south routes")',
      ],
    );
  });

  it('refuses each gateway hostname outside the domain at its own index', () => {
    expect(
      problems(
        'uat',
        eks({
          dns: { hostedZoneId: ZONE, domain: 'uat.shop.example.com' },
          gateway: { hostnames: ['*.uat.shop.example.com', 'api.example.com', '*.xuat.shop.example.com'] },
        }),
      ),
    ).toEqual([
      'platform:gateway.hostnames[1]: must lie inside platform:dns.domain "uat.shop.example.com", or ExternalDNS never publishes it (got "api.example.com")',
      'platform:gateway.hostnames[2]: must lie inside platform:dns.domain "uat.shop.example.com", or ExternalDNS never publishes it (got "*.xuat.shop.example.com")',
    ]);
  });

  it('refuses a domain that leaves out the default hostnames, saying they are the default', () => {
    expect(problems('uat', eks({ dns: { hostedZoneId: ZONE, domain: 'shop.example.com' } }))).toEqual([
      'platform:gateway.hostnames: must lie inside platform:dns.domain "shop.example.com", or ExternalDNS never publishes it (got "*.uat.platform.internal", the default: set the hostnames inside the domain)',
    ]);
  });

  it('checks its own shape: a hosted zone id, a DNS name, both required, no other keys', () => {
    expect(
      problems('uat', eks({ dns: { hostedZoneId: 'uat-zone', domain: 'uat.example.com.', ttl: 60 } })),
    ).toEqual([
      'platform:dns.hostedZoneId: must be a Route 53 hosted zone id such as "Z0123456789ABC" (got "uat-zone")',
      'platform:dns.domain: must be a DNS name such as "uat.example.com" (no "*.", no trailing dot) (got "uat.example.com.")',
      'platform:dns.ttl: unknown key; allowed keys: hostedZoneId, domain, private',
    ]);
    expect(problems('uat', eks({ dns: { domain: 'uat.example.com' } }))).toEqual([
      'platform:dns.hostedZoneId: is required (expected string)',
    ]);
  });

  it('does not add a domain complaint to hostnames that already fail their own rule', () => {
    const refused = problems(
      'uat',
      eks({ dns: { hostedZoneId: ZONE, domain: 'uat.example.com' }, gateway: { hostnames: ['Bad_Host'] } }),
    );
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatch(/^platform:gateway\.hostnames\[0\]: must be a DNS name/);
  });
});

describe('isInsideDomain', () => {
  it.each([
    ['*.uat.example.com', 'uat.example.com', true],
    ['uat.example.com', 'uat.example.com', true],
    ['a.b.uat.example.com', 'uat.example.com', true],
    ['*.example.com', 'uat.example.com', false],
    ['xuat.example.com', 'uat.example.com', false],
    ['example.com', 'uat.example.com', false],
  ])('%s in %s: %s', (hostname, domain, inside) => {
    expect(isInsideDomain(hostname, domain)).toBe(inside);
  });
});
