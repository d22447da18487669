import { loadKubernetesValidator } from '../k8s-schema';
import { checkPolicies, objectRef, type PolicyReport } from '../policy';
import type { StackPlan } from './plan-stack';
import type { ValidationFailure } from './summarize';

export interface PlanCheck extends PolicyReport {
  readonly invalid: ValidationFailure[];
}

/** Strict schema validation of every object, then the platform policies. */
export function checkPlan(plan: StackPlan): PlanCheck {
  const validator = loadKubernetesValidator();
  const invalid: ValidationFailure[] = [];
  for (const { object } of plan.objects) {
    for (const v of validator.validate(object)) {
      invalid.push({ object: objectRef(object), path: v.path, message: v.message });
    }
  }
  return { invalid, ...checkPolicies(plan.objects.map((o) => o.object)) };
}
