/**
 * Diffs of known pairs of small synthetic plans (plan.fixture.ts) give exactly the expected report: the
 * terminal text in full and the Markdown's summary row and headlines.
 */
import { diffEnvironment, formatMarkdown, formatText, type EnvironmentDiff } from '.';
import type { PlanResource } from '../release/run-plan';
import { basePlan, edit, IMAGE_A, IMAGE_B, NEW_PASSWORD, OLD_PASSWORD, without } from './plan.fixture';

const base = basePlan();
const diff = (head: readonly PlanResource[]): EnvironmentDiff => diffEnvironment('dev', base, head);
const text = (head: readonly PlanResource[]) =>
  formatText([diff(head)])
    .trimEnd()
    .split('\n');
const markdown = (head: readonly PlanResource[]) => formatMarkdown([diff(head)]);
const ORDER = 'dev-deployment-apps/order';
const HPA = 'dev-horizontalpodautoscaler-apps/order';

describe('known pairs of plans', () => {
  it('an image bump: the headline names the object, the container and old -> new', () => {
    const head = edit(base, ORDER, ['spec', 'template', 'spec', 'containers', 0, 'image'], IMAGE_B);
    expect(text(head)).toEqual([
      'plan diff:',
      '  dev  1 changed, 0 added, 0 removed (10 unchanged); headlines: 1 image',
      '',
      'dev: 1 changed, 0 added, 0 removed (10 unchanged)',
      '  headlines:',
      `    image: apps Deployment apps/order, container order: ${IMAGE_A} -> ${IMAGE_B}`,
      '  changes:',
      '    ~ apps Deployment apps/order',
      `        spec.template.spec.containers[name=order].image: "${IMAGE_A}" -> "${IMAGE_B}"`,
    ]);
    const md = markdown(head);
    expect(md).toContain('| dev | 1 | 0 | 0 | 1 image |');
    expect(md).toContain(
      `- **image** \`apps Deployment apps/order\` container order: \`${IMAGE_A}\` → \`${IMAGE_B}\``,
    );
    expect(md).toContain('<details><summary>dev: 1 changed, 0 added, 0 removed (10 unchanged)</summary>');
    // Headlines first, then the collapsed field-level changes.
    expect(md.indexOf('- **image**')).toBeLessThan(md.indexOf('<details>'));
  });

  it('an HPA change: max replicas and the CPU target, before -> after', () => {
    const head = edit(
      edit(base, HPA, ['spec', 'maxReplicas'], 20),
      HPA,
      ['spec', 'metrics', 0, 'resource', 'target', 'averageUtilization'],
      60,
    );
    expect(text(head)).toEqual([
      'plan diff:',
      '  dev  1 changed, 0 added, 0 removed (10 unchanged); headlines: 2 replicas',
      '',
      'dev: 1 changed, 0 added, 0 removed (10 unchanged)',
      '  headlines:',
      '    replicas: autoscaling HorizontalPodAutoscaler apps/order, HPA maxReplicas: 10 -> 20',
      '    replicas: autoscaling HorizontalPodAutoscaler apps/order, HPA target cpu averageUtilization: 70 -> 60',
      '  changes:',
      '    ~ autoscaling HorizontalPodAutoscaler apps/order',
      '        spec.maxReplicas: 10 -> 20',
      '        spec.metrics[type=Resource/cpu].resource.target.averageUtilization: 70 -> 60',
    ]);
    expect(markdown(head)).toContain(
      '- **replicas** `autoscaling HorizontalPodAutoscaler apps/order` HPA maxReplicas: `10` → `20`',
    );
  });

  it('a removed NetworkPolicy: the policy, the connection it allowed, and the new policy finding', () => {
    const head = without(base, 'dev-networkpolicy-apps/user-ingress');
    expect(text(head)).toEqual([
      'plan diff:',
      '  dev  0 changed, 0 added, 1 removed (10 unchanged); headlines: 1 network, 1 reachability, 1 policy',
      '',
      'dev: 0 changed, 0 added, 1 removed (10 unchanged)',
      '  headlines:',
      '    network: networking.k8s.io NetworkPolicy apps/user-ingress, removed',
      // user stays isolated by default-deny, so order can no longer reach it.
      '    reachability: apps/order -> apps/user:8080/TCP, no longer allowed',
      '    policy: apps/Deployment/user, new error [workload-network-policy] no NetworkPolicy selects its pods',
      '  changes:',
      '    - networking.k8s.io NetworkPolicy apps/user-ingress',
    ]);
    const md = markdown(head);
    expect(md).toContain('| dev | 0 | 0 | 1 | 1 network, 1 reachability, 1 policy |');
    expect(md).toContain('- **reachability** `apps/order -> apps/user:8080/TCP` no longer allowed');
  });

  it('a PVC shrink in a StatefulSet: a loud storage flag and the replacement its immutable field forces', () => {
    const head = edit(
      base,
      'dev-statefulset-apps/redis',
      ['spec', 'volumeClaimTemplates', 0, 'spec', 'resources', 'requests', 'storage'],
      '20Gi',
    );
    expect(text(head)).toEqual([
      'plan diff:',
      '  dev  1 changed, 0 added, 0 removed (10 unchanged); headlines: 1 data-loss, 1 storage',
      '',
      'dev: 1 changed, 0 added, 0 removed (10 unchanged)',
      '  headlines:',
      '    data-loss: apps StatefulSet apps/redis, immutable spec.volumeClaimTemplates changed  !! REPLACED: ' +
        'Kubernetes refuses the update, so the StatefulSet is deleted and re-created',
      '    storage: apps StatefulSet apps/redis, volumeClaimTemplates[name=data]: 50Gi -> 20Gi  !! SHRINKS: ' +
        'Kubernetes refuses to shrink a PersistentVolumeClaim; the apply fails (or, replaced, the data goes)',
      '  changes:',
      '    ~ apps StatefulSet apps/redis',
      '        spec.volumeClaimTemplates[name=data].spec.resources.requests.storage: "50Gi" -> "20Gi"',
    ]);
    expect(markdown(head)).toContain(
      '- **storage** `apps StatefulSet apps/redis` volumeClaimTemplates[name=data]: `50Gi` → `20Gi` — ' +
        ':warning: **SHRINKS: Kubernetes refuses to shrink a PersistentVolumeClaim',
    );
    // Growing is a storage change, not an alarm (the replacement stays: the template is immutable).
    const grown = diff(
      edit(
        base,
        'dev-statefulset-apps/redis',
        ['spec', 'volumeClaimTemplates', 0, 'spec', 'resources', 'requests', 'storage'],
        '100Gi',
      ),
    ).headlines.find((h) => h.topic === 'storage');
    expect(grown).toEqual({
      topic: 'storage',
      object: 'apps StatefulSet apps/redis',
      what: 'volumeClaimTemplates[name=data]',
      before: '50Gi',
      after: '100Gi',
    });
  });

  it('a Helm chart version bump', () => {
    const head = edit(base, 'dev-baseline-cert-manager', ['version'], 'v1.19.1');
    expect(text(head)).toEqual([
      'plan diff:',
      '  dev  1 changed, 0 added, 0 removed (10 unchanged); headlines: 1 chart',
      '',
      'dev: 1 changed, 0 added, 0 removed (10 unchanged)',
      '  headlines:',
      '    chart: kubernetes:helm.sh/v3:Release dev-baseline-cert-manager, chart: cert-manager v1.18.2 -> cert-manager v1.19.1',
      '  changes:',
      '    ~ kubernetes:helm.sh/v3:Release dev-baseline-cert-manager',
      '        version: "v1.18.2" -> "v1.19.1"',
    ]);
    expect(markdown(head)).toContain(
      '- **chart** `kubernetes:helm.sh/v3:Release dev-baseline-cert-manager` chart: `cert-manager v1.18.2` → `cert-manager v1.19.1`',
    );
  });

  it('reordered keys, reordered set-like lists and whitespace-only text changes are no change', () => {
    const reversedKeys = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(reversedKeys)
        : v !== null && typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v)
                .reverse()
                .map(([k, x]) => [k, reversedKeys(x)]),
            )
          : v;
    let head = base.map((r) => ({ ...r, inputs: reversedKeys(r.inputs) as Record<string, unknown> }));
    const c = ['spec', 'template', 'spec', 'containers', 0];
    head = edit(
      head,
      ORDER,
      [...c, 'env'],
      [
        { value: 'order', name: 'SERVICE_NAME' },
        { name: 'PORT', value: '8080' },
      ],
    );
    head = edit(head, ORDER, [...c, 'securityContext', 'capabilities', 'drop'], ['NET_RAW', 'ALL']);
    head = edit(head, 'dev-networkpolicy-apps/default-deny', ['spec', 'policyTypes'], ['Egress', 'Ingress']);
    head = edit(
      head,
      'dev-networkpolicy-apps/order-egress',
      ['spec', 'egress', 0, 'to'],
      [
        { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'redis' } } },
        { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'user' } } },
      ],
    );
    head = edit(
      head,
      'dev-networkpolicy-apps/order-egress',
      ['spec', 'egress', 0, 'ports'],
      [
        { protocol: 'TCP', port: 6379 },
        { protocol: 'TCP', port: 8080 },
      ],
    );
    head = edit(
      head,
      HPA,
      ['spec', 'metrics'],
      [...(base.find((r) => r.name === HPA)?.inputs.spec as { metrics: unknown[] }).metrics].reverse(),
    );
    // The same YAML, re-indented, with CRLF line endings and trailing spaces.
    head = edit(
      head,
      'dev-configmap-apps/order-config',
      ['data', 'config.yaml'],
      'server:  \r\n    port: 8080\r\n    hosts:\r\n    - a\r\n    - b\r\n\r\n',
    );
    const e = diff(head);
    expect(e.diff.changed).toEqual([]);
    expect(e.status).toBe('unchanged');
    expect(text(head)).toEqual(['plan diff:', '  dev  no change (11 objects and resources compared)']);
    expect(markdown(head)).toContain('| dev | | | | no change |');
  });

  it('the reorder check can fail: ordered lists (args) and real YAML changes are changes', () => {
    const args = edit(base, ORDER, ['spec', 'template', 'spec', 'containers', 0, 'args'], ['8080', '--port']);
    expect(diff(args).diff.changed.map((c) => c.fields.map((f) => f.path))).toEqual([
      [
        'spec.template.spec.containers[name=order].args[0]',
        'spec.template.spec.containers[name=order].args[1]',
      ],
    ]);
    const yaml = edit(
      base,
      'dev-configmap-apps/order-config',
      ['data', 'config.yaml'],
      'server:\n  port: 8081\n  hosts:\n    - a\n    - b\n',
    );
    expect(diff(yaml).diff.changed.map((c) => c.id)).toEqual(['core ConfigMap apps/order-config']);
  });

  it('a secret rotation is reported as changed, its value never shown in any format', () => {
    const head = edit(base, 'dev-secret-apps/order-db', ['stringData', 'password'], NEW_PASSWORD);
    expect(text(head)).toEqual([
      'plan diff:',
      '  dev  1 changed, 0 added, 0 removed (10 unchanged)',
      '',
      'dev: 1 changed, 0 added, 0 removed (10 unchanged)',
      '  changes:',
      '    ~ core Secret apps/order-db',
      '        stringData.password: changed (value hidden)',
    ]);
    const e = diff(head);
    expect(e.diff.changed).toEqual([
      {
        id: 'core Secret apps/order-db',
        fields: [{ path: 'stringData.password', change: 'changed', hidden: true }],
      },
    ]);
    const everything = [formatText([e]), formatMarkdown([e]), JSON.stringify(e)].join('\n');
    for (const value of [OLD_PASSWORD, NEW_PASSWORD]) {
      expect(everything).not.toContain(value);
      expect(everything).not.toContain(Buffer.from(value).toString('base64'));
    }
    expect(formatMarkdown([e])).toContain('stringData.password: changed (value hidden)');
  });
});
