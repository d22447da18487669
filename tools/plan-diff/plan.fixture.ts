/**
 * A small synthetic plan for the diff's tests: one namespace with two services (order calls user), an HPA,
 * NetworkPolicies (default deny, order -> user), a Redis StatefulSet with a volume claim template, a Helm
 * release, a Secret and a ConfigMap embedding YAML. `edit` and `without` return changed deep copies.
 */
import type { PlanResource } from '../release/run-plan';

export const IMAGE_A = `r.example/platform/order@sha256:${'a'.repeat(64)}`;
export const IMAGE_B = `r.example/platform/order@sha256:${'b'.repeat(64)}`;
export const OLD_PASSWORD = 'correct-horse-battery-staple';
export const NEW_PASSWORD = 'Tr0ub4dor&3-rotated';

const k8s = (type: string, inputs: Record<string, unknown>): PlanResource => {
  const meta = inputs.metadata as { name: string; namespace?: string };
  // As the platform names them: `<stack>-<component>-<namespace>/<name>` (here the kind is the component).
  const kind = String(inputs.kind).toLowerCase();
  return { type, name: `dev-${kind}-${meta.namespace ?? '_'}/${meta.name}`, inputs };
};

const labels = (app: string) => ({ 'app.kubernetes.io/name': app });

const deployment = (app: string, image: string) =>
  k8s('kubernetes:apps/v1:Deployment', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: app, namespace: 'apps', labels: labels(app) },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels(app) },
      template: {
        metadata: { labels: labels(app) },
        spec: {
          containers: [
            {
              name: app,
              image,
              args: ['--port', '8080'],
              env: [
                { name: 'PORT', value: '8080' },
                { name: 'SERVICE_NAME', value: app },
              ],
              ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
              securityContext: { capabilities: { drop: ['ALL', 'NET_RAW'] }, runAsNonRoot: true },
            },
          ],
        },
      },
    },
  });

const policy = (name: string, spec: Record<string, unknown>) =>
  k8s('kubernetes:networking.k8s.io/v1:NetworkPolicy', {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: 'apps' },
    spec,
  });

export function basePlan(): PlanResource[] {
  return [
    k8s('kubernetes:core/v1:Namespace', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'apps', labels: { 'kubernetes.io/metadata.name': 'apps' } },
    }),
    deployment('order', IMAGE_A),
    deployment('user', 'r.example/platform/user:1.0.0'),
    k8s('kubernetes:autoscaling/v2:HorizontalPodAutoscaler', {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'order', namespace: 'apps' },
      spec: {
        minReplicas: 2,
        maxReplicas: 10,
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'order' },
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
          },
          {
            type: 'Resource',
            resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } },
          },
        ],
      },
    }),
    policy('default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    policy('order-egress', {
      podSelector: { matchLabels: labels('order') },
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            { podSelector: { matchLabels: labels('user') } },
            { podSelector: { matchLabels: labels('redis') } },
          ],
          ports: [
            { port: 8080, protocol: 'TCP' },
            { port: 6379, protocol: 'TCP' },
          ],
        },
      ],
    }),
    policy('user-ingress', {
      podSelector: { matchLabels: labels('user') },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [{ podSelector: { matchLabels: labels('order') } }],
          ports: [{ port: 8080, protocol: 'TCP' }],
        },
      ],
    }),
    k8s('kubernetes:apps/v1:StatefulSet', {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'redis', namespace: 'apps' },
      spec: {
        replicas: 3,
        serviceName: 'redis-headless',
        selector: { matchLabels: labels('redis') },
        template: {
          metadata: { labels: labels('redis') },
          spec: {
            containers: [
              { name: 'redis', image: 'redis:8.2.2', ports: [{ name: 'redis', containerPort: 6379 }] },
            ],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: 'data' },
            spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Gi' } } },
          },
        ],
      },
    }),
    {
      type: 'kubernetes:helm.sh/v3:Release',
      name: 'dev-baseline-cert-manager',
      inputs: {
        chart: 'cert-manager',
        version: 'v1.18.2',
        namespace: 'platform',
        repositoryOpts: { repo: 'https://charts.jetstack.io' },
        values: { replicaCount: 2 },
      },
    },
    k8s('kubernetes:core/v1:Secret', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'order-db', namespace: 'apps' },
      stringData: { password: OLD_PASSWORD, username: 'order' },
    }),
    k8s('kubernetes:core/v1:ConfigMap', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'order-config', namespace: 'apps' },
      data: { 'config.yaml': 'server:\n  port: 8080\n  hosts:\n    - a\n    - b\n' },
    }),
    { type: 'kubernetes:yaml:ConfigGroup', name: 'dev-order-manifests', inputs: { objs: ['carried'] } },
  ];
}

/** A deep copy of `plan` with the input at `path` of the resource named `name` set to `value`. */
export function edit(
  plan: readonly PlanResource[],
  name: string,
  path: readonly (string | number)[],
  value: unknown,
): PlanResource[] {
  const copy = structuredClone(plan) as PlanResource[];
  const r = copy.find((x) => x.name === name);
  if (r === undefined) throw new Error(`no resource ${name} in the fixture`);
  let at: unknown = r.inputs;
  for (const step of path.slice(0, -1)) at = (at as Record<string | number, unknown>)[step];
  const last = path[path.length - 1];
  if (last === undefined || at === null || typeof at !== 'object')
    throw new Error(`no ${path.join('.')} in ${name}`);
  (at as Record<string | number, unknown>)[last] = value;
  return copy;
}

/** A deep copy of `plan` without the resource named `name`. */
export const without = (plan: readonly PlanResource[], name: string): PlanResource[] =>
  structuredClone(plan).filter((r) => r.name !== name);
