import { App, type Chart } from 'cdk8s';

/** A Kubernetes object as plain JSON, as cdk8s synthesises it. */
export type KubernetesObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [key: string]: unknown };
  [key: string]: unknown;
};

/**
 * Builds a chart in a fresh cdk8s App and returns its objects. Nothing is written to disk: the objects go
 * to Pulumi (ConfigGroup `objs`) or to a test.
 */
export function synthesize(build: (app: App) => Chart): KubernetesObject[] {
  const app = new App({ outdir: '/nonexistent-never-written' });
  const chart = build(app);
  return chart.toJson() as KubernetesObject[];
}
