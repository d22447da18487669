import type { k8s } from 'cdk8s-plus-27';

/** CPU and memory quantities, e.g. { cpu: '250m', memory: '256Mi' }. */
export interface ResourceQuantities {
  readonly cpu: string;
  readonly memory: string;
}

/** Requests and limits of one container. */
export interface ContainerResources {
  readonly requests: ResourceQuantities;
  readonly limits: ResourceQuantities;
}

/**
 * Where stateful pods may run: EKS keeps data stores on a tainted `data` node group; on prem any node.
 * Both fields are copied as given into pod specs or operator templates.
 */
export interface Placement {
  /** @default {} (any node) */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** @default [] */
  readonly tolerations?: readonly k8s.Toleration[];
}
