import { synthesize } from '../lib';
import { NamespaceBaselineChart } from './namespace-baseline-chart';

describe('NamespaceBaselineChart', () => {
  it('creates the namespace with restricted Pod Security by default', () => {
    const [ns] = synthesize((app) => new NamespaceBaselineChart(app, 'apps', { name: 'apps' }));
    expect(ns?.kind).toBe('Namespace');
    expect(ns?.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
  });

  it('closes the namespace with a default-deny policy for ingress and egress, then opens DNS only', () => {
    const objects = synthesize(
      (app) => new NamespaceBaselineChart(app, 'data', { name: 'data', podSecurity: 'baseline' }),
    );
    const deny = objects.find((o) => o.metadata.name === 'default-deny') as Record<string, any>;
    expect(deny.metadata.namespace).toBe('data');
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const dns = objects.find((o) => o.metadata.name === 'allow-dns-egress') as Record<string, any>;
    expect(dns.spec.policyTypes).toEqual(['Egress']);
    expect(dns.spec.egress[0].to[0].namespaceSelector.matchLabels).toEqual({
      'kubernetes.io/metadata.name': 'kube-system',
    });
    expect(objects[0]?.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('baseline');
  });
});
