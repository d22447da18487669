/**
 * Strict schema validation of rendered Kubernetes objects (the offline plan's last check):
 *
 *   const validator = loadKubernetesValidator();
 *   validator.register('kafka.strimzi.io/v1beta2', 'KafkaTopic', kafkaTopicSchema); // CRDs, optional
 *   for (const violation of validator.validate(obj)) console.log(`${violation.path}: ${violation.message}`);
 *
 * Schemas for every kind in kubernetes-types are generated on first use and cached under .cache/k8s-schema/.
 */
export { loadKubernetesValidator } from './kubernetes-validator';
export type { KubernetesValidator, LoadOptions } from './kubernetes-validator';
export type { SchemaViolation } from './format-violations';
export type { JsonSchema } from './schema-types';
export { kubernetesRef } from './ajv-setup';
