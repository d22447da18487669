import type { IAnalysisTemplate } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate';
import type { IMetric } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Metric';
import type { IAnalysisRunArgument } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisRunArgument';

const ARG = /\{\{\s*args\.([A-Za-z0-9_.-]+)\s*\}\}/g;

/**
 * The values an AnalysisRun gets: the Rollout's args over the template's defaults. Values the controller
 * fills in at run time (valueFrom: the pod template hash, a field of the Rollout) are shown as what they
 * come from.
 */
export function resolveArgs(
  template: IAnalysisTemplate,
  given: readonly IAnalysisRunArgument[] = [],
): { values: Record<string, string>; missing: string[] } {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const arg of template.spec.args ?? []) {
    const from = given.find((g) => g.name === arg.name);
    const value =
      from?.value ??
      (from?.valueFrom?.podTemplateHashValue !== undefined
        ? `<pod template hash of the ${from.valueFrom.podTemplateHashValue} ReplicaSet>`
        : from?.valueFrom?.fieldRef !== undefined
          ? `<Rollout field ${from.valueFrom.fieldRef.fieldPath}>`
          : arg.value);
    if (value === undefined) missing.push(arg.name);
    else values[arg.name] = value;
  }
  return { values, missing };
}

export const substituteArgs = (text: string, values: Readonly<Record<string, string>>): string =>
  text.replace(ARG, (whole, name: string) => values[name] ?? whole);

const orDefault = (value: unknown, fallback: string): string =>
  value === undefined ? `${fallback} (default)` : String(value);

/** How often and how long a metric is measured, in Argo's terms. */
function cadence(metric: IMetric): string {
  const { interval, count, initialDelay } = metric;
  const delay = initialDelay === undefined ? '' : `, first after ${initialDelay}`;
  if (interval === undefined && count === undefined) return `measured once${delay}`;
  if (count === undefined) return `every ${interval}, until the analysis ends${delay}`;
  if (interval === undefined) return `${count} measurement(s) back to back${delay}`;
  return `every ${interval}, ${count} measurement(s)${delay}`;
}

function providerLines(metric: IMetric, values: Readonly<Record<string, string>>): string[] {
  const sub = (s: string) => substituteArgs(s, values);
  const { prometheus, web } = metric.provider;
  if (prometheus !== undefined) {
    return [
      `provider   prometheus ${sub(prometheus.address ?? '(controller default address)')}`,
      ...sub(prometheus.query ?? '(no query)')
        .trim()
        .split('\n')
        .map((line, i) => `${i === 0 ? 'query      ' : '           '}${line}`),
    ];
  }
  if (web !== undefined) {
    return [
      `provider   web ${web.method ?? 'GET'} ${sub(web.url)}`,
      ...(web.jsonPath === undefined ? [] : [`jsonPath   ${web.jsonPath}`]),
      ...(web.timeoutSeconds === undefined ? [] : [`timeout    ${web.timeoutSeconds} s`]),
    ];
  }
  return [
    `provider   ${Object.keys(metric.provider).join(', ') || '(none)'}: ${JSON.stringify(metric.provider)}`,
  ];
}

/** One AnalysisTemplate as an AnalysisRun of it would measure: every metric with its args substituted. */
export function analysisTemplateLines(
  template: IAnalysisTemplate,
  given: readonly IAnalysisRunArgument[] = [],
): string[] {
  const { values, missing } = resolveArgs(template, given);
  const name = `${template.metadata?.namespace ?? ''}${template.metadata?.namespace ? '/' : ''}${template.metadata?.name ?? '?'}`;
  const args = Object.entries(values).map(([k, v]) => `${k}=${v}`);
  const lines = [`AnalysisTemplate ${name}${args.length > 0 ? ` (args: ${args.join(', ')})` : ''}`];
  if (missing.length > 0) {
    lines.push(`  ! no value for arg(s) ${missing.join(', ')}: the AnalysisRun would fail to start`);
  }
  for (const metric of template.spec.metrics ?? []) {
    lines.push(`  metric ${metric.name}: ${cadence(metric)}`);
    lines.push(
      ...[
        ...providerLines(metric, values),
        `success    ${metric.successCondition ?? '(none: any value that is not a failure)'}`,
        `failure    ${metric.failureCondition ?? '(none)'}`,
        `limits     failureLimit ${orDefault(metric.failureLimit, '0')}, inconclusiveLimit ${orDefault(metric.inconclusiveLimit, '0')}` +
          (metric.consecutiveErrorLimit === undefined
            ? ''
            : `, consecutiveErrorLimit ${metric.consecutiveErrorLimit}`),
      ].map((l) => `    ${l}`),
    );
  }
  lines.push(
    '  a run fails when a metric fails more than failureLimit times (the Rollout aborts and goes back to',
    '  stable), is inconclusive more than inconclusiveLimit times (the Rollout pauses, waiting for a person),',
    '  and succeeds when every metric completes its measurements.',
  );
  return lines;
}
