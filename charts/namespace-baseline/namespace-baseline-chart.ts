import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-27';
import type { Construct } from 'constructs';
import { dnsEgressRule, standardLabels } from '../lib';

export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

export interface NamespaceBaselineProps {
  /** Namespace name (a DNS-1123 label). */
  readonly name: string;
  /**
   * Pod Security Admission level enforced (and audited/warned) in the namespace.
   * @default 'restricted'
   */
  readonly podSecurity?: PodSecurityLevel;
  /**
   * Value of app.kubernetes.io/part-of.
   * @default 'platform'
   */
  readonly partOf?: string;
  /**
   * A ResourceQuota for the namespace; sized by the caller so autoscaling at full stretch still fits.
   * @default no quota
   */
  readonly quota?: {
    readonly requestsCpu: string;
    readonly requestsMemory: string;
    readonly limitsCpu: string;
    readonly limitsMemory: string;
    readonly pods: number;
  };
  /**
   * Defaults and ceilings for containers that do not state their resources.
   * @default no LimitRange
   */
  readonly limitRange?: {
    readonly defaultRequest: { readonly cpu: string; readonly memory: string };
    readonly default: { readonly cpu: string; readonly memory: string };
    readonly max: { readonly cpu: string; readonly memory: string };
  };
}

/**
 * A namespace that starts closed: default-deny for ingress and egress, plus DNS egress so that the
 * allow rules of each workload can use service names. Workload charts open exactly what they need.
 */
export class NamespaceBaselineChart extends Chart {
  constructor(scope: Construct, id: string, props: NamespaceBaselineProps) {
    super(scope, id);
    const podSecurity = props.podSecurity ?? 'restricted';
    const labels = standardLabels(props.name, props.partOf ?? 'platform', { component: 'namespace' });

    new k8s.KubeNamespace(this, 'namespace', {
      metadata: {
        name: props.name,
        labels: {
          ...labels,
          'pod-security.kubernetes.io/enforce': podSecurity,
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/audit': podSecurity,
          'pod-security.kubernetes.io/warn': podSecurity,
        },
      },
    });

    new k8s.KubeNetworkPolicy(this, 'default-deny', {
      metadata: { name: 'default-deny', namespace: props.name, labels },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });

    new k8s.KubeNetworkPolicy(this, 'allow-dns', {
      metadata: { name: 'allow-dns-egress', namespace: props.name, labels },
      spec: { podSelector: {}, policyTypes: ['Egress'], egress: [dnsEgressRule()] },
    });

    const q = (value: string) => k8s.Quantity.fromString(value);
    if (props.quota) {
      new k8s.KubeResourceQuota(this, 'quota', {
        metadata: { name: 'compute', namespace: props.name, labels },
        spec: {
          hard: {
            'requests.cpu': q(props.quota.requestsCpu),
            'requests.memory': q(props.quota.requestsMemory),
            'limits.cpu': q(props.quota.limitsCpu),
            'limits.memory': q(props.quota.limitsMemory),
            pods: q(String(props.quota.pods)),
          },
        },
      });
    }
    if (props.limitRange) {
      const lr = props.limitRange;
      new k8s.KubeLimitRange(this, 'limits', {
        metadata: { name: 'container-defaults', namespace: props.name, labels },
        spec: {
          limits: [
            {
              type: 'Container',
              defaultRequest: { cpu: q(lr.defaultRequest.cpu), memory: q(lr.defaultRequest.memory) },
              default: { cpu: q(lr.default.cpu), memory: q(lr.default.memory) },
              max: { cpu: q(lr.max.cpu), memory: q(lr.max.memory) },
            },
          ],
        },
      });
    }
  }
}
