import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { mockCall, mockOutputs } from '../../tools/plan/mock-outputs';
import { ArgoRollouts, type ArgoRolloutsArgs } from '.';

interface Recorded {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, any>;
}

const recorded: Recorded[] = [];

const mocksReady = pulumi.runtime.setMocks(
  {
    newResource(args) {
      recorded.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, any> });
      return {
        id: `${args.name}-id`,
        state: {
          ...mockOutputs(args.type, args.name, args.inputs as Record<string, unknown>),
          ...args.inputs,
        },
      };
    },
    call(args) {
      return mockCall(args.token, (args.inputs ?? {}) as Record<string, unknown>);
    },
  },
  'platform',
  'test',
  true,
);

function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 200));
}

const DIGEST = `sha256:${'0b'.repeat(32)}`;

function args(over: Partial<ArgoRolloutsArgs> = {}): ArgoRolloutsArgs {
  return {
    provider: new k8s.Provider('k8s', { kubeconfig: '{}' }),
    namespaces: { platform: 'platform', apps: 'apps' },
    replicas: 2,
    arch: 'arm64',
    plugin: { mode: 'download' },
    httpRoutes: ['product', 'order'],
    topologyKey: 'topology.kubernetes.io/zone',
    dependsOn: [],
    ...over,
  };
}

const ofGroup = (prefix: string) => recorded.filter((r) => r.name.startsWith(prefix));
const kinds = (prefix: string) =>
  ofGroup(prefix)
    .filter((r) => r.inputs.kind !== undefined)
    .map((r) => `${r.inputs.kind} ${r.inputs.metadata.namespace}/${r.inputs.metadata.name}`)
    .sort();

describe('ArgoRollouts', () => {
  beforeAll(() => mocksReady);
  beforeEach(() => {
    recorded.length = 0;
  });

  it('installs the pinned chart in the platform namespace with the values for the arguments', async () => {
    const component = new ArgoRollouts('d1', args());
    await settle();
    const [release, ...others] = recorded.filter((r) => r.type === 'kubernetes:helm.sh/v3:Release');
    expect(others).toEqual([]);
    expect(release?.name).toBe('d1-release');
    expect(release?.inputs).toMatchObject({
      name: 'argo-rollouts',
      chart: 'argo-rollouts',
      version: '2.41.0',
      repositoryOpts: { repo: 'https://argoproj.github.io/argo-helm' },
      namespace: 'platform',
      atomic: true,
    });
    const controller = release?.inputs.values.controller;
    expect(controller.replicas).toBe(2);
    expect(controller.pdb).toEqual({ enabled: true, minAvailable: 1 });
    expect(controller.trafficRouterPlugins[0].location).toMatch(
      /\/v0\.16\.0\/gatewayapi-plugin-linux-arm64$/,
    );
    expect(component.ready).toHaveLength(3);
    expect(component.podLabels).toEqual({
      'app.kubernetes.io/name': 'argo-rollouts',
      'app.kubernetes.io/component': 'rollouts-controller',
    });
    expect(component.metricsPort).toBe(8090);
  });

  it('renders the metrics Service and ServiceMonitor beside the controller and the Role beside the routes', async () => {
    new ArgoRollouts('d2', args());
    await settle();
    expect(kinds('d2-metrics')).toEqual([
      'Service platform/argo-rollouts-metrics',
      'ServiceMonitor platform/argo-rollouts',
    ]);
    expect(kinds('d2-access')).toEqual([
      'Role apps/argo-rollouts-gatewayapi-plugin',
      'RoleBinding apps/argo-rollouts-gatewayapi-plugin',
    ]);
    const role = ofGroup('d2-access').find((r) => r.inputs.kind === 'Role');
    expect(role?.inputs.rules[0].resourceNames).toEqual(['order', 'product']);
    const binding = ofGroup('d2-access').find((r) => r.inputs.kind === 'RoleBinding');
    expect(binding?.inputs.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'argo-rollouts', namespace: 'platform' },
    ]);
  });

  it('names every child after the component', async () => {
    new ArgoRollouts('d3', args());
    await settle();
    expect(recorded.filter((r) => r.name === 'd3').map((r) => r.type)).toEqual([
      'platform:delivery:ArgoRollouts',
    ]);
    const children = recorded.filter((r) => r.name !== 'd3' && r.type !== 'pulumi:providers:kubernetes');
    expect(children.length).toBeGreaterThan(4);
    for (const r of children) expect(r.name).toMatch(/^d3-/);
  });

  it('grants no route access when no route is named', async () => {
    new ArgoRollouts('d4', args({ httpRoutes: [] }));
    await settle();
    expect(kinds('d4-access')).toEqual([]);
  });

  it('warns that the downloaded plugin is unverified while its sha256 is not pinned, not in image mode', async () => {
    const warn = jest.spyOn(pulumi.log, 'warn').mockResolvedValue();
    try {
      new ArgoRollouts('d5', args());
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]?.[0])).toMatch(
        /argoproj-labs\/gatewayAPI v0\.16\.0 \(arm64\) has no pinned sha256 in infra\/versions\.ts/,
      );
      warn.mockClear();
      new ArgoRollouts(
        'd6',
        args({ plugin: { mode: 'image', image: `mirror.internal/gwapi:v0.16.0@${DIGEST}` } }),
      );
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
    await settle();
  });

  it('refuses an image without a digest, and installs no release', async () => {
    expect(
      () =>
        new ArgoRollouts('d7', args({ plugin: { mode: 'image', image: 'mirror.internal/gwapi:v0.16.0' } })),
    ).toThrow(/^platform:delivery\.plugin\.image must name the plugin image by digest/);
    await settle();
    expect(recorded.filter((r) => r.name.startsWith('d7-'))).toEqual([]);
  });
});
