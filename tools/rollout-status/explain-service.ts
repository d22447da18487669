import type { IAnalysisTemplate } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate';
import type { IRollout } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout';
import type { IRolloutAnalysis } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/RolloutAnalysis';
import type { ICanaryStep } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/CanaryStep';
import type { Deployment } from 'kubernetes-types/apps/v1';
import type { HorizontalPodAutoscaler } from 'kubernetes-types/autoscaling/v2';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import { analysisTemplateLines } from './analysis-lines';
import { findObject, type PlanObject } from './plan-objects';

/** The Gateway API traffic-router plugin's name in `trafficRouting.plugins`. */
export const GATEWAY_API_PLUGIN = 'argoproj-labs/gatewayAPI';

interface HttpRoute {
  readonly metadata: { name: string; namespace?: string };
  readonly spec?: {
    readonly rules?: readonly {
      readonly matches?: readonly { path?: { type?: string; value?: string } }[];
      readonly backendRefs?: readonly { name: string; port?: number; weight?: number }[];
    }[];
  };
}

/** The plugin's config: one route (`httpRoute`) or several (`httpRoutes`), in the Rollout's namespace by default. */
interface GatewayPluginConfig {
  readonly httpRoute?: string;
  readonly httpRoutes?: readonly { name: string; useHeaderRoutes?: boolean }[];
  readonly namespace?: string;
}

export class RolloutStatusError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RolloutStatusError';
  }
}

const row = (key: string, value: string) => `  ${key.padEnd(10)} ${value}`;
const more = (value: string) => `  ${''.padEnd(10)} ${value}`;

function podLines(template: PodTemplateSpec | undefined, service: string): string[] {
  const container =
    template?.spec?.containers.find((c) => c.name === service) ?? template?.spec?.containers[0];
  const version = template?.metadata?.labels?.['app.kubernetes.io/version'];
  return container === undefined
    ? [row('image', '(no container in the pod template)')]
    : [row('image', `${container.image ?? '(none)'}${version === undefined ? '' : ` (version ${version})`}`)];
}

function scaleLines(
  objects: readonly PlanObject[],
  kind: string,
  name: string,
  ns: string,
  replicas?: number,
) {
  const hpa = objects
    .filter((o) => o.kind === 'HorizontalPodAutoscaler' && o.metadata.namespace === ns)
    .map((o) => o as unknown as HorizontalPodAutoscaler)
    .find((h) => h.spec?.scaleTargetRef.kind === kind && h.spec.scaleTargetRef.name === name);
  const hpaText =
    hpa === undefined
      ? 'no HPA'
      : `HPA ${hpa.metadata?.name ?? '?'} ${hpa.spec?.minReplicas ?? 1}-${hpa.spec?.maxReplicas ?? '?'} on ${kind}/${name}`;
  return [row('replicas', `${replicas ?? 1} at start; ${hpaText}`)];
}

function deploymentLines(
  objects: readonly PlanObject[],
  d: Deployment,
  service: string,
  ns: string,
): string[] {
  const s = d.spec?.strategy;
  const lines = [`${service}: rolling update (Deployment ${ns}/${service}, no Argo Rollout)`];
  lines.push(...podLines(d.spec?.template, service));
  lines.push(...scaleLines(objects, 'Deployment', service, ns, d.spec?.replicas));
  if (s?.type === 'Recreate') {
    lines.push(row('strategy', 'Recreate: every old pod stops before new ones start (downtime)'));
  } else {
    const surge = s?.rollingUpdate?.maxSurge ?? '25% (default)';
    const unavailable = s?.rollingUpdate?.maxUnavailable ?? '25% (default)';
    lines.push(
      row('strategy', `RollingUpdate: maxSurge ${surge}, maxUnavailable ${unavailable}`),
      more(
        String(unavailable) === '0'
          ? `up to ${surge} extra pods start; an old pod stops only once a new one is Ready`
          : `up to ${surge} extra pods start; up to ${unavailable} of the desired pods may be unready at a time`,
      ),
    );
  }
  lines.push(
    row(
      'analysis',
      'none: Kubernetes moves on as soon as new pods are Ready (readiness probe); no metric checks',
    ),
    row('rollback', `kubectl rollout undo deployment/${service} -n ${ns}`),
  );
  return lines;
}

function stepLines(steps: readonly ICanaryStep[] | undefined, service: string, ns: string): string[] {
  if (steps === undefined || steps.length === 0) {
    return [row('steps', 'none: the canary takes 100 % of the traffic at once (Argo default)')];
  }
  const lines = ['  steps'];
  steps.forEach((step, i) => {
    const n = `    ${i + 1}.`.padEnd(13);
    if (step.setWeight !== undefined) lines.push(`${n}send ${step.setWeight} % of the traffic to the canary`);
    else if (step.pause !== undefined) {
      lines.push(
        step.pause.duration === undefined
          ? `${n}pause until promoted: kubectl argo rollouts promote ${service} -n ${ns}`
          : `${n}pause ${typeof step.pause.duration === 'number' ? `${step.pause.duration}s` : step.pause.duration}`,
      );
    } else if (step.analysis !== undefined) {
      lines.push(
        `${n}run analysis ${(step.analysis.templates ?? []).map((t) => t.templateName).join(', ')} and wait for it`,
      );
    } else lines.push(`${n}${JSON.stringify(step)}`);
  });
  lines.push(
    `${'    then'.padEnd(13)}the canary becomes the stable version (100 %) and the old pods scale down`,
  );
  return lines;
}

function routeLines(objects: readonly PlanObject[], plugins: unknown, ns: string): string[] {
  const config = (plugins as Record<string, GatewayPluginConfig> | undefined)?.[GATEWAY_API_PLUGIN];
  const others = Object.keys((plugins as Record<string, unknown> | undefined) ?? {}).filter(
    (p) => p !== GATEWAY_API_PLUGIN,
  );
  if (config === undefined) {
    return [
      row(
        'traffic',
        others.length > 0 ? `plugins ${others.join(', ')}` : 'no traffic routing: weights follow pod counts',
      ),
    ];
  }
  const routeNs = config.namespace ?? ns;
  const names = [
    ...(config.httpRoute === undefined ? [] : [config.httpRoute]),
    ...(config.httpRoutes ?? []).map((r) => r.name),
  ];
  const lines = [
    row('traffic', `plugin ${GATEWAY_API_PLUGIN} sets the backend weights of HTTPRoute(s) in ${routeNs}:`),
  ];
  for (const name of names) {
    const route = findObject<HttpRoute>(objects, 'HTTPRoute', name, routeNs);
    if (route === undefined) {
      lines.push(more(`  ${name}: NOT IN THE PLAN (the plugin would fail to find it)`));
      continue;
    }
    const rules = (route.spec?.rules ?? []).map((rule) => {
      const paths = (rule.matches ?? []).map((m) => m.path?.value ?? '/').join(', ') || '/';
      const backends = (rule.backendRefs ?? []).map(
        (b) => `${b.name}${b.weight === undefined ? '' : ` (weight ${b.weight})`}`,
      );
      return `${paths} -> ${backends.join(', ')}`;
    });
    lines.push(more(`  ${name}: ${rules.join('; ') || '(no rules)'}`));
  }
  return lines;
}

interface TemplateUse {
  readonly role: string;
  readonly analysis: IRolloutAnalysis;
}

function analysisSummary(role: string, a: IRolloutAnalysis): string {
  const names = (a.templates ?? []).map(
    (t) => `${t.clusterScope ? 'ClusterAnalysisTemplate ' : ''}${t.templateName}`,
  );
  const args = (a.args ?? []).map(
    (x) => `${x.name}=${x.value ?? (x.valueFrom ? JSON.stringify(x.valueFrom) : '?')}`,
  );
  return `${role}: ${names.join(', ') || '(no templates)'}${args.length > 0 ? ` with ${args.join(', ')}` : ''}`;
}

function rolloutLines(
  objects: readonly PlanObject[],
  r: IRollout,
  service: string,
  ns: string,
): { lines: string[]; uses: TemplateUse[] } {
  const uses: TemplateUse[] = [];
  const lines: string[] = [];
  const template = r.spec.template as PodTemplateSpec | undefined;
  const canary = r.spec.strategy?.canary;
  const blueGreen = r.spec.strategy?.blueGreen;
  const kind = canary ? 'canary' : blueGreen ? 'blue-green' : 'no strategy';
  lines.push(`${service}: ${kind} (Argo Rollouts Rollout ${ns}/${service})`);
  if (r.spec.workloadRef !== undefined) {
    lines.push(row('pods', `from ${r.spec.workloadRef.kind}/${r.spec.workloadRef.name} (workloadRef)`));
  } else lines.push(...podLines(template, service));
  lines.push(...scaleLines(objects, 'Rollout', service, ns, r.spec.replicas));
  if (canary !== undefined) {
    lines.push(
      row(
        'services',
        `stable: ${canary.stableService ?? '(none)'}   canary: ${canary.canaryService ?? '(none)'}`,
      ),
    );
    const track = (m: { labels?: Record<string, string> } | undefined) =>
      Object.entries(m?.labels ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(', ') || '(none)';
    lines.push(
      row(
        'labels',
        `canary pods ${track(canary.canaryMetadata)}; stable pods ${track(canary.stableMetadata)}`,
      ),
    );
    lines.push(...routeLines(objects, canary.trafficRouting?.plugins, ns));
    lines.push(...stepLines(canary.steps, service, ns));
    if (canary.analysis !== undefined) {
      const from =
        canary.analysis.startingStep === undefined
          ? 'from the first step'
          : `from step ${canary.analysis.startingStep + 1}`;
      lines.push(
        row('analysis', `${analysisSummary('background', canary.analysis)}, ${from} until promotion`),
      );
      lines.push(
        more('a failed run aborts the rollout: all traffic back to stable, canary pods scaled down'),
      );
      uses.push({ role: 'background', analysis: canary.analysis });
    } else lines.push(row('analysis', 'none: steps advance on their pauses alone'));
    for (const step of canary.steps ?? []) {
      if (step.analysis !== undefined) uses.push({ role: 'step', analysis: step.analysis });
    }
    lines.push(
      row('commands', `kubectl argo rollouts get rollout ${service} -n ${ns} --watch`),
      more(`kubectl argo rollouts promote ${service} -n ${ns}   (next step; --full skips the rest)`),
      more(`kubectl argo rollouts abort ${service} -n ${ns}     (back to stable now)`),
    );
  } else if (blueGreen !== undefined) {
    lines.push(
      row(
        'services',
        `active: ${blueGreen.activeService}   preview: ${blueGreen.previewService ?? '(none)'}`,
      ),
    );
    const auto = blueGreen.autoPromotionEnabled ?? true;
    lines.push(
      row(
        'promotion',
        auto
          ? `automatic once the preview is ready${blueGreen.prePromotionAnalysis ? ' and pre-promotion analysis passed' : ''}` +
              (blueGreen.autoPromotionSeconds === undefined
                ? ''
                : ` (after ${blueGreen.autoPromotionSeconds} s)`) +
              ' (autoPromotionEnabled true)'
          : `manual (autoPromotionEnabled false): kubectl argo rollouts promote ${service} -n ${ns}`,
      ),
      row(
        'old pods',
        `kept ${blueGreen.scaleDownDelaySeconds ?? 30} s after the switch${blueGreen.scaleDownDelaySeconds === undefined ? ' (default)' : ''} (scaleDownDelaySeconds): an undo within it is instant`,
      ),
    );
    if (blueGreen.prePromotionAnalysis !== undefined) {
      lines.push(
        row(
          'analysis',
          `${analysisSummary('pre-promotion', blueGreen.prePromotionAnalysis)} (against the preview; a failure aborts, active untouched)`,
        ),
      );
      uses.push({ role: 'pre-promotion', analysis: blueGreen.prePromotionAnalysis });
    }
    if (blueGreen.postPromotionAnalysis !== undefined) {
      lines.push(
        (blueGreen.prePromotionAnalysis ? more : (v: string) => row('analysis', v))(
          `${analysisSummary('post-promotion', blueGreen.postPromotionAnalysis)} (after the switch; a failure switches back)`,
        ),
      );
      uses.push({ role: 'post-promotion', analysis: blueGreen.postPromotionAnalysis });
    }
    if (!blueGreen.prePromotionAnalysis && !blueGreen.postPromotionAnalysis)
      lines.push(row('analysis', 'none'));
    lines.push(
      row('commands', `kubectl argo rollouts get rollout ${service} -n ${ns} --watch`),
      more(`kubectl argo rollouts promote ${service} -n ${ns}   (switch to the preview)`),
      more(`kubectl argo rollouts abort ${service} -n ${ns}     (drop the preview)`),
      more(`kubectl argo rollouts undo ${service} -n ${ns}      (back to the previous version)`),
    );
  }
  return { lines, uses };
}

/**
 * What the platform will do when the service's image or config changes, read from the plan: the
 * workload's strategy (a Deployment's rolling update, or a Rollout's canary or blue-green), the Services
 * and HTTPRoutes involved, and every analysis with its queries, args substituted, and thresholds.
 */
export function explainService(objects: readonly PlanObject[], env: string, service: string): string[] {
  const rollout = objects.find((o) => o.kind === 'Rollout' && o.metadata.name === service) as
    (IRollout & PlanObject) | undefined;
  const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === service) as
    (Deployment & PlanObject) | undefined;
  const header = `rollout of ${service} in ${env}, from the plan`;
  if (rollout !== undefined) {
    const ns = rollout.metadata.namespace ?? 'default';
    const { lines, uses } = rolloutLines(objects, rollout, service, ns);
    const out = [header, ...lines];
    const seen = new Set<string>();
    for (const use of uses) {
      for (const ref of use.analysis.templates ?? []) {
        const name = ref.templateName ?? '(unnamed)';
        const key = `${ref.templateName} ${JSON.stringify(use.analysis.args ?? [])}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push('');
        const template = ref.clusterScope
          ? findObject<IAnalysisTemplate>(objects, 'ClusterAnalysisTemplate', name)
          : findObject<IAnalysisTemplate>(objects, 'AnalysisTemplate', name, ns);
        if (template === undefined) {
          out.push(`${use.role} analysis ${name}: NOT IN THE PLAN (the Rollout would fail to start it)`);
          continue;
        }
        out.push(`${use.role} analysis:`, ...analysisTemplateLines(template, use.analysis.args));
      }
    }
    return out;
  }
  if (deployment !== undefined) {
    return [
      header,
      ...deploymentLines(objects, deployment, service, deployment.metadata.namespace ?? 'default'),
    ];
  }
  throw new RolloutStatusError(`the ${env} plan has no Deployment or Rollout named "${service}"`);
}
