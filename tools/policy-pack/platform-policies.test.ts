import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderedPolicySettings, renderedService } from '../policy/rendered-service.fixture';
import { checkPolicies, type K8sObject } from '../policy';
import { enforce, EXEMPTION_ANNOTATION_PREFIX } from '../policy/enforcement';
import { POLICY_RULES } from '../policy/rule-catalog';
import { asResource, asResources, runPack } from './pack-harness.fixture';
import { ADVISORY_SUFFIX, kubernetesObjects, platformPolicies, stackOfUrn } from './platform-policies';

/** The offline plan's findings on the same objects, in the pack's form. */
function runPlanChecks(stack: string, objects: readonly K8sObject[]): string[] {
  const report = enforce(checkPolicies(objects, { environment: stack }), objects, stack);
  const urn = (ref: string) => {
    const o = objects.find((x) =>
      x.metadata.namespace
        ? `${x.metadata.namespace}/${x.kind}/${x.metadata.name}` === ref
        : `${x.kind}/${x.metadata.name}` === ref,
    );
    return o ? asResources(stack, [o])[0]?.urn : undefined;
  };
  const line = (suffix: string) => (f: { rule: string; object: string; message: string }) =>
    `${f.rule}${suffix} ${f.object}: ${f.message} @ ${urn(f.object) ?? '-'}`;
  return [...report.errors.map(line('')), ...report.warnings.map(line(ADVISORY_SUFFIX))].sort();
}

/** The product service and the `platform-policy` ConfigMap the program renders for the stack. */
function environment(stack = 'dev', levels: Record<string, unknown> = {}): K8sObject[] {
  return [...renderedService(), ...renderedPolicySettings(stack, levels)];
}

function mutated(
  change: (objects: any[]) => void,
  stack = 'dev',
  levels: Record<string, unknown> = {},
): K8sObject[] {
  const copy = structuredClone(environment(stack, levels)) as any[];
  change(copy);
  return copy as K8sObject[];
}

describe('the CrossGuard policy pack', () => {
  it('has a mandatory and an advisory policy per rule of the catalog', () => {
    const policies = platformPolicies();
    expect(policies.map((p) => p.name).sort()).toEqual(
      Object.keys(POLICY_RULES)
        .flatMap((r) => [r, `${r}${ADVISORY_SUFFIX}`])
        .sort(),
    );
    for (const p of policies) {
      expect(p.enforcementLevel).toBe(p.name.endsWith(ADVISORY_SUFFIX) ? 'advisory' : 'mandatory');
    }
  });

  it('applies the environment’s level: missing probes are advisory in dev, mandatory in prod', () => {
    const withoutProbe = (stack: string, levels: Record<string, unknown> = {}) =>
      mutated(
        (o) => {
          delete o.find((x) => x.kind === 'Deployment').spec.template.spec.containers[0].readinessProbe;
        },
        stack,
        levels,
      );
    const probes = (stack: string, objects: K8sObject[]) =>
      runPack(asResources(stack, objects)).filter((l) => l.startsWith('container-probes'));
    expect(probes('dev', withoutProbe('dev'))).toHaveLength(1);
    expect(probes('dev', withoutProbe('dev'))[0]).toMatch(/^container-probes-advisory /);
    const prod = withoutProbe('prod');
    expect(probes('prod', prod)).toHaveLength(1);
    expect(probes('prod', prod)[0]).toMatch(/^container-probes apps\/Deployment\/product: /);
    expect(runPack(asResources('prod', prod))).toEqual(runPlanChecks('prod', prod));
  });

  it('takes the levels from the platform-policy ConfigMap, as the plan does', () => {
    const objects = mutated(
      (o) => {
        delete o.find((x) => x.kind === 'Deployment').spec.template.spec.containers[0].readinessProbe;
      },
      'dev',
      { 'container-probes': 'mandatory' },
    );
    const pack = runPack(asResources('dev', objects));
    expect(pack.filter((l) => l.startsWith('container-probes'))).toEqual([
      expect.stringMatching(/^container-probes apps\/Deployment\/product: /),
    ]);
    expect(pack).toEqual(runPlanChecks('dev', objects));
    // Disabled in the ConfigMap: neither reports it.
    const off = mutated(
      (o) => {
        delete o.find((x) => x.kind === 'Deployment').spec.template.spec.containers[0].readinessProbe;
      },
      'dev',
      { 'container-probes': 'disabled' },
    );
    expect(runPack(asResources('dev', off))).toEqual([]);
    expect(runPlanChecks('dev', off)).toEqual([]);
  });

  it('lets one object be exempted from one rule with a reason, and only with a reason', () => {
    const latest = (reason: string | undefined) =>
      mutated((o) => {
        const d = o.find((x) => x.kind === 'Deployment');
        d.spec.template.spec.containers[0].image = 'registry.local/product:latest';
        if (reason !== undefined) {
          d.metadata.annotations = {
            ...d.metadata.annotations,
            [`${EXEMPTION_ANNOTATION_PREFIX}image-pinned`]: reason,
          };
        }
      });
    const exempt = latest('vendor ships only latest; pinned by digest at the registry mirror');
    expect(runPack(asResources('dev', exempt)).filter((l) => l.startsWith('image-pinned'))).toEqual([]);
    const report = enforce(checkPolicies(exempt, { environment: 'dev' }), exempt, 'dev');
    expect(report.exempted).toEqual([
      expect.objectContaining({
        rule: 'image-pinned',
        object: 'apps/Deployment/product',
        reason: 'vendor ships only latest; pinned by digest at the registry mirror',
      }),
    ]);
    // An empty reason exempts nothing.
    expect(
      runPack(asResources('dev', latest('  '))).filter((l) => l.startsWith('image-pinned ')),
    ).toHaveLength(1);
  });

  it('catalogues exactly the rules the checks can report (no rule written twice, none missing)', () => {
    const dir = join(__dirname, '..', 'policy');
    const sources = readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'rule-catalog.ts')
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('\n');
    // A rule is the first argument of error(...)/warn(...)/report(...), possibly on the next line.
    const names = (pattern: RegExp) => new Set([...sources.matchAll(pattern)].map((m) => m[1] ?? ''));
    const reported = names(/\b(?:error|warn|report)\(\s*'([a-z][a-z0-9]*(?:-[a-z0-9]+)+)'/g);
    const named = names(/'([a-z][a-z0-9]*(?:-[a-z0-9]+)+)'/g);
    expect(reported.size).toBeGreaterThan(15);
    expect([...reported].filter((r) => !(r in POLICY_RULES))).toEqual([]);
    expect(Object.keys(POLICY_RULES).filter((r) => !named.has(r))).toEqual([]);
  });

  it('finds nothing in what the charts render, like the plan', () => {
    const objects = environment();
    expect(runPlanChecks('dev', objects)).toEqual([]);
    expect(runPack(asResources('dev', objects))).toEqual([]);
  });

  it.each([
    [
      'a latest image',
      (o: any[]) => {
        o.find((x) => x.kind === 'Deployment').spec.template.spec.containers[0].image =
          'registry.local/product:latest';
      },
      'image-pinned',
    ],
    [
      'a privileged container',
      (o: any[]) => {
        o.find((x) => x.kind === 'Deployment').spec.template.spec.containers[0].securityContext.privileged =
          true;
      },
      'container-security',
    ],
    [
      'a missing PodDisruptionBudget',
      (o: any[]) => {
        o.splice(
          o.findIndex((x) => x.kind === 'PodDisruptionBudget'),
          1,
        );
      },
      'workload-pdb',
    ],
    [
      'an HPA on a missing workload',
      (o: any[]) => {
        o.find((x) => x.kind === 'HorizontalPodAutoscaler').spec.scaleTargetRef.name = 'gone';
      },
      'hpa-target',
    ],
  ])(
    'reports %s through both entry points, identically, on the offending resource',
    (_what, change, rule) => {
      const objects = mutated(change);
      const plan = runPlanChecks('dev', objects);
      const pack = runPack(asResources('dev', objects));
      expect(plan.some((line) => line.startsWith(`${rule} `))).toBe(true);
      expect(pack).toEqual(plan);
      for (const line of pack) expect(line).toMatch(/@ urn:pulumi:dev::platform::kubernetes:/);
    },
  );

  it('takes the environment from the stack in the URNs: blue-green auto-promotion is refused in prod only', () => {
    const rollout = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'user', namespace: 'apps' },
      spec: { strategy: { blueGreen: { activeService: 'user', autoPromotionEnabled: true } } },
    } as unknown as K8sObject;
    const manual = (stack: string) =>
      runPack(asResources(stack, [rollout])).filter((l) => l.startsWith('rollout-manual-promotion '));
    expect(manual('qat')).toEqual([]);
    expect(manual('prod')).toHaveLength(1);
    expect(manual('prod')[0]).toContain(
      '@ urn:pulumi:prod::platform::kubernetes:argoproj.io/v1alpha1:Rollout::apps/user',
    );
    expect(stackOfUrn('urn:pulumi:uat::platform::kubernetes:apps/v1:Deployment::x')).toBe('uat');
  });

  it('reads the objects from the resources’ inputs exactly as the plan does', () => {
    const resources = [
      { type: 'kubernetes:apps/v1:Deployment', inputs: { kind: 'Deployment', metadata: { name: 'a' } } },
      { type: 'kubernetes:helm.sh/v3:Release', inputs: { chart: 'x' } },
      { type: 'aws:s3/bucket:Bucket', inputs: { kind: 'Bucket', metadata: { name: 'b' } } },
    ];
    expect(kubernetesObjects(resources, (r) => r.inputs).map((o) => o.object.metadata.name)).toEqual(['a']);
  });

  it('reports a cloud finding (an S3 bucket without its public access block) on that resource', () => {
    const bucket = asResource('prod', 'aws:s3/bucketV2:BucketV2', 'prod-backups', {
      bucket: 'platform-prod-backups',
    });
    const found = runPack([bucket]).filter((l) => l.startsWith('s3-'));
    expect(found.length).toBeGreaterThan(0);
    for (const line of found) {
      expect(line).toContain('aws:s3/bucketV2:BucketV2/prod-backups: ');
      expect(line).toMatch(/@ urn:pulumi:prod::platform::aws:s3\/bucketV2:BucketV2::prod-backups$/);
    }
  });
});
