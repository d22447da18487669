/**
 * Progressive-delivery policies over Argo Rollouts objects (argoproj.io/v1alpha1), on top of the pod policies every
 * workload gets: blue-green in protected environments waits for a person, canary traffic routing points at Services
 * and an HTTPRoute that exist and agree, every analysis a Rollout runs exists, and no metric can pass by silence.
 */
import type { K8sObject } from './policies';

export const ROLLOUT_API_VERSION = 'argoproj.io/v1alpha1';
/** Environments where a blue-green promotion needs a person (`kubectl argo rollouts promote`). */
export const MANUAL_PROMOTION_ENVIRONMENTS: ReadonlySet<string> = new Set(['uat', 'prod']);
const GATEWAY_API_PLUGIN = 'argoproj-labs/gatewayAPI';

type Dict = Record<string, unknown>;
const dict = (v: unknown): Dict =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Dict) : {};
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export type Report = (rule: string, o: K8sObject, message: string) => void;

export const isRollout = (o: K8sObject): boolean =>
  o.kind === 'Rollout' && o.apiVersion === ROLLOUT_API_VERSION;

export interface RolloutPolicyOptions {
  /** The environment (stack) the objects belong to, e.g. "prod"; undefined when unknown. */
  readonly environment?: string;
}

/** Every analysis a Rollout starts, with the field that references it. */
function analysesOf(strategy: Dict): { readonly field: string; readonly analysis: Dict }[] {
  const canary = dict(strategy.canary);
  const blueGreen = dict(strategy.blueGreen);
  const found: { field: string; analysis: Dict }[] = [];
  if (strategy.canary !== undefined) {
    if (canary.analysis !== undefined)
      found.push({ field: 'spec.strategy.canary.analysis', analysis: dict(canary.analysis) });
    list(canary.steps).forEach((step, i) => {
      if (dict(step).analysis !== undefined)
        found.push({
          field: `spec.strategy.canary.steps[${i}].analysis`,
          analysis: dict(dict(step).analysis),
        });
    });
  }
  for (const key of ['prePromotionAnalysis', 'postPromotionAnalysis']) {
    if (blueGreen[key] !== undefined)
      found.push({ field: `spec.strategy.blueGreen.${key}`, analysis: dict(blueGreen[key]) });
  }
  return found;
}

export function checkRollouts(
  objects: readonly K8sObject[],
  error: Report,
  warn: Report,
  options: RolloutPolicyOptions = {},
): void {
  const find = (kind: string, name: string | undefined, namespace: string | undefined) =>
    objects.find((o) => o.kind === kind && o.metadata.name === name && o.metadata.namespace === namespace);

  for (const o of objects) {
    if (o.kind === 'AnalysisTemplate' && o.apiVersion === ROLLOUT_API_VERSION) checkMetrics(o, error);
    if (!isRollout(o)) continue;
    const ns = o.metadata.namespace;
    const strategy = dict(dict(o.spec).strategy);

    if (strategy.blueGreen !== undefined) {
      const blueGreen = dict(strategy.blueGreen);
      const field = 'spec.strategy.blueGreen.autoPromotionEnabled';
      if (options.environment === undefined) {
        warn(
          'rollout-manual-promotion',
          o,
          `the environment is unknown, so ${field} (false in ${[...MANUAL_PROMOTION_ENVIRONMENTS].join('/')}) was not checked; pass { environment } to checkPolicies`,
        );
      } else if (
        MANUAL_PROMOTION_ENVIRONMENTS.has(options.environment) &&
        blueGreen.autoPromotionEnabled !== false
      ) {
        const got = blueGreen.autoPromotionEnabled === undefined ? 'unset, which Argo takes as true' : 'true';
        error(
          'rollout-manual-promotion',
          o,
          `${field} must be false in ${options.environment}, where a person approves each promotion (got ${got}); set it to false`,
        );
      }
      for (const [key, service] of [
        ['activeService', blueGreen.activeService],
        ['previewService', blueGreen.previewService],
      ] as const) {
        if (text(service) !== undefined && find('Service', text(service), ns) === undefined) {
          error(
            'rollout-services',
            o,
            `spec.strategy.blueGreen.${key} names Service "${String(service)}", which is not declared in namespace "${String(ns)}"; declare it or fix the name`,
          );
        }
      }
    }

    if (strategy.canary !== undefined) checkCanaryRouting(o, dict(strategy.canary), find, error);

    for (const { field, analysis } of analysesOf(strategy)) {
      list(analysis.templates).forEach((ref, i) => {
        const templateName = text(dict(ref).templateName);
        const cluster = dict(ref).clusterScope === true;
        const template = cluster
          ? find('ClusterAnalysisTemplate', templateName, undefined)
          : find('AnalysisTemplate', templateName, ns);
        if (template === undefined) {
          error(
            'rollout-analysis-template',
            o,
            `${field}.templates[${i}].templateName "${String(templateName)}" is not a declared ${cluster ? 'ClusterAnalysisTemplate' : `AnalysisTemplate in namespace "${String(ns)}"`}; declare it or fix the name`,
          );
          return;
        }
        // An argument the template declares without a value must come from the Rollout, or the run errors.
        const passed = new Set(list(analysis.args).map((a) => dict(a).name));
        for (const arg of list(dict(template.spec).args).map(dict)) {
          if (arg.value === undefined && arg.valueFrom === undefined && !passed.has(arg.name)) {
            error(
              'rollout-analysis-template',
              o,
              `${field}.args does not pass "${String(arg.name)}", which AnalysisTemplate "${String(templateName)}" requires; add { name: ${JSON.stringify(arg.name)}, value: ... }`,
            );
          }
        }
      });
    }
  }
}

/** A canary split by the Gateway API plugin needs both Services and a route that sends to both. */
function checkCanaryRouting(
  o: K8sObject,
  canary: Dict,
  find: (kind: string, name: string | undefined, namespace: string | undefined) => K8sObject | undefined,
  error: Report,
): void {
  const ns = o.metadata.namespace;
  const routing = canary.trafficRouting;
  if (routing === undefined) return;
  const where = 'spec.strategy.canary';
  const services: Record<'canaryService' | 'stableService', string | undefined> = {
    canaryService: text(canary.canaryService),
    stableService: text(canary.stableService),
  };
  for (const [key, service] of Object.entries(services)) {
    if (service === undefined) {
      error(
        'rollout-traffic-routing',
        o,
        `${where}.${key} must name a Service when trafficRouting is set; add it`,
      );
    } else if (find('Service', service, ns) === undefined) {
      error(
        'rollout-traffic-routing',
        o,
        `${where}.${key} names Service "${service}", which is not declared in namespace "${String(ns)}"; declare it or fix the name`,
      );
    }
  }
  if (services.canaryService !== undefined && services.canaryService === services.stableService) {
    error(
      'rollout-traffic-routing',
      o,
      `${where}.canaryService and stableService are both "${services.canaryService}"; the canary needs its own Service (e.g. "${services.stableService}-canary")`,
    );
  }

  const config = dict(dict(dict(routing).plugins)[GATEWAY_API_PLUGIN]);
  const field = `${where}.trafficRouting.plugins["${GATEWAY_API_PLUGIN}"]`;
  const routeNamespace = text(config.namespace) ?? ns;
  const routes: { field: string; name: string | undefined }[] =
    config.httpRoutes !== undefined
      ? list(config.httpRoutes).map((r, i) => ({
          field: `${field}.httpRoutes[${i}].name`,
          name: text(dict(r).name),
        }))
      : [{ field: `${field}.httpRoute`, name: text(config.httpRoute) }];
  for (const route of routes) {
    const httpRoute = find('HTTPRoute', route.name, routeNamespace);
    if (httpRoute === undefined) {
      error(
        'rollout-traffic-routing',
        o,
        `${route.field} names HTTPRoute "${String(route.name)}", which is not declared in namespace "${String(routeNamespace)}"; declare it or fix the name`,
      );
      continue;
    }
    // The plugin shifts weight between the two backendRefs of a rule; a rule missing one cannot be split.
    const backends = (rule: unknown) =>
      new Set(
        list(dict(rule).backendRefs)
          .map(dict)
          .filter(
            (b) => (text(b.kind) ?? 'Service') === 'Service' && (text(b.namespace) ?? routeNamespace) === ns,
          )
          .map((b) => b.name),
      );
    const splits = list(dict(httpRoute.spec).rules).some((rule) => {
      const names = backends(rule);
      return names.has(services.canaryService) && names.has(services.stableService);
    });
    if (!splits && services.canaryService !== undefined && services.stableService !== undefined) {
      error(
        'rollout-traffic-routing',
        o,
        `${route.field}: HTTPRoute "${String(route.name)}" has no rule with both backendRefs "${services.stableService}" and "${services.canaryService}" (namespace "${String(ns)}"), so the plugin cannot split traffic; add both to the rule that serves the service`,
      );
    }
  }
}

/** A metric must be able to fail and must say how much missing data it tolerates. */
function checkMetrics(o: K8sObject, error: Report): void {
  list(dict(o.spec).metrics).forEach((m, i) => {
    const metric = dict(m);
    const field = `spec.metrics[${i}]`;
    const label = `metric "${String(metric.name)}"`;
    if (text(metric.successCondition) === undefined && text(metric.failureCondition) === undefined) {
      error(
        'analysis-conditions',
        o,
        `${field} (${label}) has neither successCondition nor failureCondition, so every measurement passes; add a successCondition such as "len(result) > 0 && result[0] <= <threshold>"`,
      );
    }
    if (metric.inconclusiveLimit === undefined) {
      error(
        'analysis-conditions',
        o,
        `${field}.inconclusiveLimit is not set (${label}); set it so a track with too little traffic is inconclusive (paused) rather than promoted or failed`,
      );
    }
  });
}
