import { loadKubernetesValidator } from '../k8s-schema';
import { registerPlatformCrds } from '../k8s-schema/crds';
import { checkPolicies, objectRef, type PolicyReport } from '../policy';
import type { StackPlan } from './plan-stack';
import type { ValidationFailure } from './summarize';

export interface PlanCheck extends PolicyReport {
  readonly invalid: ValidationFailure[];
}

/** Strict schema validation of every object (built-in kinds and the platform's CRDs), then the platform policies. */
export function checkPlan(plan: StackPlan): PlanCheck {
  const validator = loadKubernetesValidator();
  // Only the custom kinds this plan uses: compiling a CRD schema costs tens of milliseconds.
  registerPlatformCrds(validator, {
    only: plan.objects.map((o) => ({ apiVersion: o.object.apiVersion, kind: o.object.kind })),
  });
  const invalid: ValidationFailure[] = [];
  for (const { object } of plan.objects) {
    for (const v of validator.validate(object)) {
      invalid.push({ object: objectRef(object), path: v.path, message: v.message });
    }
  }
  return {
    invalid,
    ...checkPolicies(
      plan.objects.map((o) => o.object),
      { environment: plan.stack },
    ),
  };
}
