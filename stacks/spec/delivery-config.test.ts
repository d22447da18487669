import { ConfigError, parseEnvironment } from '.';

const DIGEST = 'b'.repeat(64);
const ECR = '111122223333.dkr.ecr.eu-west-1.amazonaws.com';
const onprem = (extra: Record<string, unknown> = {}) => ({
  tier: 'onprem',
  cluster: {
    context: 'onprem-dev',
    storageClass: 'standard',
    loadBalancer: { mode: 'metallb', addressPool: 'public' },
    registry: 'registry.local/platform',
  },
  services: { product: { image: 'registry.local/platform/product:1.0.0' } },
  backup: { storage: { bucket: 'backups', endpointUrl: 'https://minio.local:9000', credentialsSecret: 's' } },
  ...extra,
});
const eks = (extra: Record<string, unknown> = {}) => ({
  tier: 'eks',
  cluster: { region: 'eu-west-1', vpcCidr: '10.20.0.0/16' },
  services: { product: { image: `${ECR}/platform/product@sha256:${DIGEST}` } },
  backup: { storage: { bucket: 'platform-uat-backups' } },
  ...extra,
});

function problems(raw: Record<string, unknown>, stack = 'dev'): string[] {
  try {
    parseEnvironment(stack, raw);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error('expected the config to be refused');
}

const product = (spec: ReturnType<typeof parseEnvironment>) => {
  const found = spec.services.find((s) => s.name === 'product');
  if (!found) throw new Error('product not deployed');
  return found;
};

describe('delivery settings in the stack config', () => {
  it('defaults on prem to automatic blue-green promotion, short pauses and a looser error budget', () => {
    const spec = parseEnvironment('dev', onprem());
    expect(product(spec).delivery).toEqual({
      strategy: 'rolling',
      canary: { steps: [10, 50], pause: '2m' },
      blueGreen: { autoPromotion: true, scaleDownDelaySeconds: 30 },
      analysis: {
        interval: '1m',
        count: 5,
        failureLimit: 1,
        inconclusiveLimit: 2,
        minRequests: 10,
        maxErrorRatio: 0.05,
      },
    });
    expect(spec.delivery).toEqual({ controllerReplicas: 1, plugin: { source: 'download', arch: 'amd64' } });
  });

  it('defaults on EKS to manual blue-green approval, a 1 % error budget and two controllers', () => {
    const spec = parseEnvironment('uat', eks());
    expect(product(spec).delivery.blueGreen.autoPromotion).toBe(false);
    expect(product(spec).delivery.analysis.maxErrorRatio).toBe(0.01);
    expect(product(spec).delivery.canary.pause).toBe('5m');
    expect(spec.delivery.controllerReplicas).toBe(2);
  });

  it('merges a service over serviceDefaults over the tier, key by key inside canary and analysis', () => {
    const spec = parseEnvironment(
      'dev',
      onprem({
        serviceDefaults: {
          delivery: { strategy: 'canary', canary: { pause: 'manual' }, analysis: { count: 8 } },
        },
        services: {
          product: {
            image: 'registry.local/platform/product:1.0.0',
            delivery: { canary: { steps: [5, 25, 75] }, analysis: { maxP99Seconds: 0.25 } },
          },
        },
      }),
    );
    const d = product(spec).delivery;
    expect(d.strategy).toBe('canary');
    expect(d.canary).toEqual({ steps: [5, 25, 75], pause: 'manual' });
    expect(d.analysis).toMatchObject({ count: 8, maxP99Seconds: 0.25, failureLimit: 1, interval: '1m' });
  });

  it('refuses steps that do not ascend, limits that reach the count and malformed values, naming each field', () => {
    expect(
      problems(
        onprem({
          services: {
            product: {
              image: 'registry.local/platform/product:1.0.0',
              delivery: {
                strategy: 'canary',
                canary: { steps: [50, 20], pause: '5 minutes' },
                analysis: { interval: '90', maxErrorRatio: 1.5 },
              },
            },
          },
        }),
      ),
    ).toEqual([
      'platform:services.product.delivery.canary.pause: must be "manual" or a duration such as "30s", "5m" or "1h" (whole s, m or h) (got "5 minutes")',
      'platform:services.product.delivery.analysis.interval: must be a duration such as "30s", "5m" or "1h" (whole s, m or h) (got "90")',
      'platform:services.product.delivery.analysis.maxErrorRatio: must be a number in (0, 1) (got 1.5)',
    ]);
    expect(
      problems(
        onprem({
          serviceDefaults: {
            delivery: { canary: { steps: [50, 20] }, analysis: { count: 2, failureLimit: 2 } },
          },
        }),
      ),
    ).toEqual([
      'platform:serviceDefaults.delivery.canary.steps: must be strictly ascending weights in 1..99 (got [50, 20])',
      'platform:serviceDefaults.delivery.analysis.failureLimit: must be less than analysis.count (2), or the analysis can never fail (got 2)',
      'platform:serviceDefaults.delivery.analysis.inconclusiveLimit: must be less than analysis.count (2), or silence could never pause the rollout (got 2)',
    ]);
  });

  it('loads the plugin from a mirrored image only when it is pinned by digest (air-gapped clusters)', () => {
    const image = `registry.local/mirror/rollouts-plugin-trafficrouter-gatewayapi:v0.16.0@sha256:${DIGEST}`;
    const spec = parseEnvironment(
      'dev',
      onprem({ delivery: { plugin: { source: 'image', image, arch: 'arm64' } } }),
    );
    expect(spec.delivery.plugin).toEqual({ source: 'image', image, arch: 'arm64' });
    expect(
      problems(
        onprem({
          delivery: { plugin: { source: 'image', image: 'registry.local/mirror/plugin:v0.16.0' } },
        }),
      ),
    ).toEqual([
      'platform:delivery.plugin.image: is required with plugin.source "image" and must be pinned by digest ("<registry>/<repo>:<tag>@sha256:<64 hex>"), the plugin image mirrored into the cluster\'s registry (got "registry.local/mirror/plugin:v0.16.0")',
    ]);
    expect(problems(onprem({ delivery: { plugin: { image } } }))).toEqual([
      'platform:delivery.plugin.image: is only used with plugin.source "image" (got source "download")',
    ]);
  });
});
