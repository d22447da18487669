import { loadKubernetesValidator } from '../k8s-schema';
import { registerPlatformCrds } from '../k8s-schema/crds';
import { checkPolicies, objectRef } from '../policy';
import { checkCloudResources } from '../policy/cloud-policies';
import { endpointAccessOf, enforce, type EnforcedReport } from '../policy/enforcement';
import type { StackPlan } from './plan-stack';
import type { ValidationFailure } from './summarize';

export interface PlanCheck extends EnforcedReport {
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
  const objects = plan.objects.map((o) => o.object);
  const k8sReport = checkPolicies(objects, { environment: plan.stack });
  // The cloud resources (buckets, disks, the EKS endpoint, IRSA roles), from their inputs.
  const cloud = checkCloudResources(
    plan.resources.map((r) => ({
      type: r.type,
      name: r.name,
      props: r.inputs,
      ...(r.parent !== undefined && { parent: r.parent }),
    })),
    // From the platform-policy ConfigMap the program renders (as the pack reads it), else the stack file.
    { ...(endpointAccessOf(objects) ?? plan.endpointAccess), environment: plan.stack },
  );
  const report = { errors: [...k8sReport.errors, ...cloud], warnings: k8sReport.warnings };
  // The environment's levels and the objects' exemptions, exactly as the CrossGuard pack applies them.
  return { invalid, ...enforce(report, objects, plan.stack) };
}
