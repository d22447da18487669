import type * as pulumi from '@pulumi/pulumi';
import { leaveReplicasToAutoscaler } from './apply-objects';

const deployment = (name: string) => ({ kind: 'Deployment', metadata: { name, namespace: 'apps' } });
const hpaFor = (name: string) => ({
  kind: 'HorizontalPodAutoscaler',
  metadata: { name, namespace: 'apps' },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name } },
});

describe('leaveReplicasToAutoscaler', () => {
  const objects = [deployment('scaled'), hpaFor('scaled'), deployment('fixed')];
  const transform = leaveReplicasToAutoscaler(objects);

  it('lets the HPA own the replica count of the Deployment it scales', () => {
    const opts: pulumi.CustomResourceOptions = { ignoreChanges: ['metadata.annotations'] };
    transform(deployment('scaled'), opts);
    expect(opts.ignoreChanges).toEqual(['metadata.annotations', 'spec.replicas']);
  });

  it('keeps Pulumi in charge of Deployments without an HPA and of other kinds', () => {
    const fixed: pulumi.CustomResourceOptions = {};
    transform(deployment('fixed'), fixed);
    expect(fixed.ignoreChanges).toBeUndefined();
    const other: pulumi.CustomResourceOptions = {};
    transform(hpaFor('scaled'), other);
    expect(other.ignoreChanges).toBeUndefined();
  });

  it('lets the HPA own the count of the Rollout it targets, and only that kind of that name', () => {
    const rollout = { kind: 'Rollout', metadata: { name: 'canaried', namespace: 'apps' } };
    const hpa = {
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'canaried', namespace: 'apps' },
      spec: { scaleTargetRef: { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', name: 'canaried' } },
    };
    const onRollout = leaveReplicasToAutoscaler([rollout, hpa]);
    const opts: pulumi.CustomResourceOptions = {};
    onRollout(rollout, opts);
    expect(opts.ignoreChanges).toEqual(['spec.replicas']);
    // A Deployment of the same name is not the HPA's target.
    const sameName: pulumi.CustomResourceOptions = {};
    onRollout(deployment('canaried'), sameName);
    expect(sameName.ignoreChanges).toBeUndefined();
  });
});
