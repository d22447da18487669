import { MicroserviceChart, NamespaceBaselineChart, synthesize } from '../../charts';
import { checkPolicies, type K8sObject } from './policies';

function environment(): K8sObject[] {
  return [
    ...synthesize((app) => new NamespaceBaselineChart(app, 'apps', { name: 'apps' })),
    ...synthesize((app) => new NamespaceBaselineChart(app, 'monitoring', { name: 'monitoring' })),
    ...synthesize(
      (app) =>
        new MicroserviceChart(app, 'product', {
          name: 'product',
          namespace: 'apps',
          image: 'registry.local/product:1.0.0',
          version: '1.0.0',
          replicas: 2,
          autoscaling: { minReplicas: 2, maxReplicas: 5 },
          resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' } },
          monitoringNamespace: 'monitoring',
        }),
    ),
  ];
}

function mutate(objects: K8sObject[], kind: string, change: (o: any) => void): K8sObject[] {
  const copy = structuredClone(objects);
  const target = copy.find((o) => o.kind === kind);
  if (!target) throw new Error(`no ${kind}`);
  change(target);
  return copy;
}

const rules = (objects: K8sObject[]) =>
  checkPolicies(objects).errors.map((f) => `${f.rule} ${f.object}: ${f.message}`);

describe('checkPolicies', () => {
  it('passes what the charts render', () => {
    expect(checkPolicies(environment())).toEqual({ errors: [], warnings: [] });
  });

  it('flags a namespace without a default-deny policy', () => {
    const objects = environment().filter(
      (o) => !(o.metadata.namespace === 'monitoring' && o.metadata.name === 'default-deny'),
    );
    expect(rules(objects)).toEqual([
      'namespace-default-deny Namespace/monitoring: has no default-deny NetworkPolicy (ingress and egress)',
    ]);
  });

  it('flags an object in a namespace the environment does not create', () => {
    const objects = mutate(environment(), 'Service', (s) => (s.metadata.namespace = 'elsewhere'));
    expect(rules(objects)).toContain(
      'namespace-exists elsewhere/Service/product: namespace "elsewhere" is not created by this environment',
    );
  });

  it('flags a privileged, root, writable container with no limits and a latest image', () => {
    const objects = mutate(environment(), 'Deployment', (d) => {
      const c = d.spec.template.spec.containers[0];
      c.image = 'registry.local/product:latest';
      c.securityContext = { privileged: true };
      delete c.resources.limits;
      delete d.spec.template.spec.securityContext;
    });
    expect(rules(objects)).toEqual([
      'image-pinned apps/Deployment/product: container "product" uses the "latest" tag',
      'container-resources apps/Deployment/product: container "product" has no limits.cpu',
      'container-resources apps/Deployment/product: container "product" has no limits.memory',
      'container-security apps/Deployment/product: container "product" must set allowPrivilegeEscalation: false',
      'container-security apps/Deployment/product: container "product" must not be privileged',
      'container-security apps/Deployment/product: container "product" must run as non-root',
      'container-security apps/Deployment/product: container "product" must drop ALL capabilities',
      'container-security apps/Deployment/product: container "product" must have a read-only root filesystem',
      'container-security apps/Deployment/product: container "product" needs seccompProfile RuntimeDefault',
    ]);
  });

  it('flags a workload no NetworkPolicy selects', () => {
    const objects = mutate(environment(), 'Deployment', (d) => {
      d.spec.template.metadata.labels['app.kubernetes.io/name'] = 'renamed';
    });
    expect(rules(objects)).toContain(
      'workload-network-policy apps/Deployment/product: no NetworkPolicy selects its pods',
    );
  });

  it('flags an HPA with min above max or a missing target, and duplicates', () => {
    const objects = mutate(environment(), 'HorizontalPodAutoscaler', (h) => {
      h.spec.minReplicas = 9;
      h.spec.maxReplicas = 3;
      h.spec.scaleTargetRef.name = 'ghost';
    });
    const found = rules([...objects, objects[0] as K8sObject]);
    expect(found).toEqual(
      expect.arrayContaining([
        'hpa-bounds apps/HorizontalPodAutoscaler/product: minReplicas (9) must be <= maxReplicas (3)',
        'hpa-target apps/HorizontalPodAutoscaler/product: scales Deployment/ghost, which is not declared',
        'unique-objects Namespace/apps: declared more than once',
      ]),
    );
  });

  it('warns about a single replica', () => {
    const objects = mutate(environment(), 'Deployment', (d) => (d.spec.replicas = 1));
    expect(checkPolicies(objects).warnings.map((w) => w.rule)).toEqual(['workload-replicas']);
  });
});
