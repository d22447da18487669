/**
 * Every rule tools/policy reports, with what it guards. The offline plan and the CrossGuard pack
 * (tools/policy-pack) both run the same checks; the pack turns each entry into one policy, so a rule's
 * enforcement level can be set per policy in the pack's configuration. A test keeps this list equal to the
 * rules the checks can report.
 */
import { CLOUD_POLICY_RULES } from './cloud-policies';

export type RuleLevel = 'mandatory' | 'advisory';

export interface RuleEntry {
  readonly description: string;
  /** mandatory rules fail the plan and block `pulumi up`; advisory ones are reported. */
  readonly level: RuleLevel;
}

export const KUBERNETES_POLICY_RULES = {
  'unique-objects': { description: 'Each Kubernetes object is declared once.', level: 'mandatory' },
  'namespace-exists': {
    description: 'Objects go only into namespaces the environment creates (or Kubernetes’ own).',
    level: 'mandatory',
  },
  'namespace-default-deny': {
    description: 'Every namespace the environment creates has a default-deny NetworkPolicy.',
    level: 'mandatory',
  },
  'workload-network-policy': {
    description: 'Every workload is selected by a NetworkPolicy of its own.',
    level: 'mandatory',
  },
  'container-security': {
    description:
      'Containers run non-root, read-only, without privilege escalation or capabilities, seccomp RuntimeDefault.',
    level: 'mandatory',
  },
  'container-resources': {
    description: 'Containers declare CPU and memory requests and limits.',
    level: 'mandatory',
  },
  'container-probes': { description: 'Containers have readiness and liveness probes.', level: 'advisory' },
  'image-pinned': {
    description: 'Images are pinned: a tag other than latest, or a digest.',
    level: 'mandatory',
  },
  'workload-replicas': { description: 'Workloads run more than one replica.', level: 'advisory' },
  'workload-pdb': {
    description: 'A workload with two or more replicas has a PodDisruptionBudget covering all its pods.',
    level: 'mandatory',
  },
  'pdb-one-down': {
    description: 'PodDisruptionBudgets let at most one pod down at a time.',
    level: 'mandatory',
  },
  'hpa-target': { description: 'An HPA targets a workload the environment declares.', level: 'mandatory' },
  'hpa-bounds': { description: 'An HPA has 1 <= minReplicas <= maxReplicas.', level: 'mandatory' },
  'replica-set-size': {
    description: 'MongoDB replica sets have an odd number (>= 3) of voting members.',
    level: 'mandatory',
  },
  'kraft-quorum': { description: 'Kafka KRaft controllers form an odd quorum (>= 3).', level: 'mandatory' },
  'kafka-replication': {
    description:
      'Kafka topics replicate to >= 3 brokers with min.insync.replicas below the replication factor.',
    level: 'mandatory',
  },
  'route-internal-paths': {
    description: 'Public HTTPRoutes never expose /internal paths of the services.',
    level: 'mandatory',
  },
  'rollout-manual-promotion': {
    description: 'Blue-green Rollouts in uat and prod wait for manual promotion.',
    level: 'mandatory',
  },
  'rollout-services': {
    description: 'A blue-green Rollout’s active and preview Services exist.',
    level: 'mandatory',
  },
  'rollout-traffic-routing': {
    description:
      'A canary’s stable and canary Services and the HTTPRoute the plugin weights exist and match.',
    level: 'mandatory',
  },
  'rollout-analysis-template': {
    description: 'AnalysisTemplates a Rollout references exist in its namespace and get their arguments.',
    level: 'mandatory',
  },
  'analysis-conditions': {
    description:
      'Analysis metrics have conditions and an explicit inconclusiveLimit, so silence never promotes.',
    level: 'mandatory',
  },
  'pod-host-access': {
    description:
      'Pods use no host network, PID or IPC namespace, hostPath volume or hostPort, and no privileged container.',
    level: 'mandatory',
  },
  'service-exposure': {
    description: 'No Service is a LoadBalancer or NodePort except the gateway’s Envoy proxy.',
    level: 'mandatory',
  },
  'service-account-token': {
    description:
      'Pods mount no service-account token unless the workload is annotated platform.io/needs-kube-api with a reason.',
    level: 'mandatory',
  },
  'cluster-role-binding': {
    description:
      'No ClusterRoleBinding grants cluster-wide rights to a ServiceAccount of the apps namespace.',
    level: 'mandatory',
  },
  'image-source': {
    description:
      'No image or chart from bitnami or bitnamilegacy; images pinned (never latest or untagged); Helm charts at an exact version. Pod templates, custom resources and Helm values.',
    level: 'mandatory',
  },
  'image-digest': {
    description:
      'In uat and prod every pod and custom-resource image, and every image Helm values choose (not a tag of the chart’s own image), is pinned by digest.',
    level: 'mandatory',
  },
  'zone-spread': {
    description:
      'In uat and prod a workload with two or more replicas spreads over zones (topology spread or anti-affinity).',
    level: 'mandatory',
  },
} as const satisfies Record<string, RuleEntry>;

/** Every rule: the Kubernetes objects' and the cloud resources' (tools/policy/cloud-policies.ts). */
export const POLICY_RULES = { ...KUBERNETES_POLICY_RULES, ...CLOUD_POLICY_RULES } as const;

export type RuleName = keyof typeof POLICY_RULES;
