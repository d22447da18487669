/**
 * The EKS public endpoint is held to the stack file's CIDRs by the pack exactly as by the plan: both read them
 * from the platform-policy ConfigMap the program renders.
 */
import { NamespaceBaselineChart, PolicySettingsChart, synthesize } from '../../charts';
import type { K8sObject } from '../policy';
import { checkCloudResources } from '../policy/cloud-policies';
import { endpointAccessOf } from '../policy/enforcement';
import { asResource, asResources, runPack } from './pack-harness.fixture';

const CLUSTER = 'eks:index:Cluster';
const settings = (publicAccessCidrs: string[]): K8sObject[] =>
  [
    ...synthesize((app) => new NamespaceBaselineChart(app, 'platform', { name: 'platform' })),
    ...synthesize(
      (app) =>
        new PolicySettingsChart(app, 'policy', {
          namespace: 'platform',
          environment: 'prod',
          levels: { 'container-probes': 'mandatory' },
          endpointAccess: { publicAccessCidrs, allowPublicAccessFromAnywhere: false },
        }),
    ),
  ] as K8sObject[];
const cluster = (publicAccessCidrs: string[]) => ({
  endpointPublicAccess: true,
  publicAccessCidrs,
});

function both(configured: string[], actual: string[]) {
  const objects = settings(configured);
  const plan = checkCloudResources([{ type: CLUSTER, name: 'prod-cluster', props: cluster(actual) }], {
    ...endpointAccessOf(objects),
    environment: 'prod',
  })
    .filter((f) => f.rule === 'eks-endpoint-access')
    .map((f) => `${f.object}: ${f.message}`);
  const pack = runPack([
    ...asResources('prod', objects),
    asResource('prod', CLUSTER, 'prod-cluster', cluster(actual)),
  ])
    .filter((l) => l.startsWith('eks-endpoint-access '))
    .map((l) => l.slice('eks-endpoint-access '.length).replace(/ @ .*$/, ''));
  return { plan, pack };
}

describe('eks-endpoint-access in the pack', () => {
  it('reads the configured CIDRs from the platform-policy ConfigMap', () => {
    expect(endpointAccessOf(settings(['203.0.113.0/24']))).toEqual({
      publicAccessCidrs: ['203.0.113.0/24'],
      allowPublicAccessFromAnywhere: false,
    });
  });

  it('passes the configured CIDRs and refuses others, with the same message as the plan', () => {
    expect(both(['203.0.113.0/24'], ['203.0.113.0/24'])).toEqual({ plan: [], pack: [] });
    const wrong = both(['203.0.113.0/24'], ['198.51.100.0/24']);
    expect(wrong.plan).toEqual([
      'eks:index:Cluster/prod-cluster: publicAccessCidrs ["198.51.100.0/24"] differ from the configured cluster.publicAccessCidrs ["203.0.113.0/24"]; pass exactly the configured CIDRs',
    ]);
    expect(wrong.pack).toEqual(wrong.plan);
  });

  it('refuses a malformed key, naming the object and field', () => {
    const objects = settings(['203.0.113.0/24']);
    const configMap = objects.find((o) => o.kind === 'ConfigMap') as unknown as {
      data: Record<string, string>;
    };
    configMap.data['eks-endpoint-access.json'] = '{"publicAccessCidrs": "10.0.0.0/8"}';
    expect(() => endpointAccessOf(objects)).toThrow(
      /^platform\/ConfigMap\/platform-policy data\.eks-endpoint-access\.json: must be \{"publicAccessCidrs"/,
    );
  });
});
