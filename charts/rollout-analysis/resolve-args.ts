import type { IAnalysisTemplate } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate';
import type { IMetric } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Metric';

const ARG = /\{\{args\.([^}]*)\}\}/g;

function substitute(value: unknown, args: Readonly<Record<string, string>>, where: string): unknown {
  if (typeof value === 'string') {
    return value.replace(ARG, (_text, name: string) => {
      const arg = args[name];
      if (arg === undefined)
        throw new Error(
          `${where}: {{args.${name}}} has no value (args: ${Object.keys(args).join(', ') || 'none'})`,
        );
      return arg;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => substitute(v, args, `${where}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, substitute(v, args, `${where}.${k}`)]),
    );
  }
  return value;
}

/**
 * The template's metrics as an AnalysisRun measures them: every `{{args.<name>}}` replaced by its value, as
 * Argo does when it creates the run (utils/analysis ResolveArgs on the metric). Each declared arg needs a
 * value, from `args` or the template's default; an undeclared one is refused like Argo refuses it.
 */
export function resolveTemplateArgs(
  template: IAnalysisTemplate,
  args: Readonly<Record<string, string>>,
): IMetric[] {
  const declared = template.spec.args ?? [];
  const values: Record<string, string> = {};
  for (const arg of declared) {
    const value = args[arg.name] ?? arg.value;
    if (value === undefined) throw new Error(`args.${arg.name} was not supplied`);
    values[arg.name] = value;
  }
  for (const name of Object.keys(args)) {
    if (!declared.some((a) => a.name === name)) {
      throw new Error(`args.${name} is not an argument of ${template.metadata?.name ?? 'the template'}`);
    }
  }
  return (template.spec.metrics ?? []).map(
    (metric, i) => substitute(metric, values, `spec.metrics[${i}]`) as IMetric,
  );
}
