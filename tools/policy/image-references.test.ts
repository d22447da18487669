import {
  BITNAMI,
  chartProblems,
  customResourceImages,
  hasDigest,
  helmValuesImages,
  digestProblem,
  imageProblems,
  isCustomResource,
  tagOf,
} from './image-references';
import type { K8sObject } from './policies';

const DIGEST = `sha256:${'b'.repeat(64)}`;
const object = (apiVersion: string, kind: string, body: Record<string, unknown>): K8sObject =>
  ({ apiVersion, kind, metadata: { name: 'x', namespace: 'data' }, ...body }) as K8sObject;

describe('image references', () => {
  it('tells custom resources from built-in kinds', () => {
    expect(isCustomResource(object('psmdb.percona.com/v1', 'PerconaServerMongoDB', {}))).toBe(true);
    expect(isCustomResource(object('argoproj.io/v1alpha1', 'Rollout', {}))).toBe(true);
    expect(isCustomResource(object('apps/v1', 'Deployment', {}))).toBe(false);
    expect(isCustomResource(object('v1', 'Pod', {}))).toBe(false);
    expect(isCustomResource(object('gateway.networking.k8s.io/v1', 'HTTPRoute', {}))).toBe(false);
  });

  it('finds every image field of a custom resource by its path, but not in the pod template it is told of', () => {
    const cr = object('example.io/v1', 'Thing', {
      metadata: { name: 'x', annotations: { image: 'not/desired-state:1' } },
      spec: {
        image: 'a:1',
        backup: { image: 'b:2' },
        replsets: [{ sidecars: [{ image: 'c:3' }, { name: 'no-image' }] }],
        template: { spec: { containers: [{ image: 'd:4' }], initContainers: [{ image: 'e:5' }] } },
        containers: [{ image: 'f:6' }],
      },
      status: { image: 'observed:7' },
    });
    expect(customResourceImages(cr, 'spec.template.spec')).toEqual([
      { path: 'spec.image', image: 'a:1' },
      { path: 'spec.backup.image', image: 'b:2' },
      { path: 'spec.replsets[0].sidecars[0].image', image: 'c:3' },
      { path: 'spec.containers[0].image', image: 'f:6' },
    ]);
    expect(customResourceImages(cr).map((r) => r.path)).toContain('spec.template.spec.containers[0].image');
  });

  it('finds images in Helm values as strings, objects and tag-only overrides, by values path', () => {
    expect(
      helmValuesImages({
        controller: { image: { registry: 'quay.io', repository: 'argoproj/argo-rollouts', tag: 'v1.8.3' } },
        sidecar: { image: 'kiwigrid/k8s-sidecar:1.30.0' },
        image: { tag: 'v1.33.0' },
        prometheus: { configReloaderImage: { repository: 'prometheus-operator/reloader', digest: DIGEST } },
        list: [{ image: { repository: 'busybox' } }],
        registry: 'txt',
        tag: 'not-an-image',
      }),
    ).toEqual([
      {
        path: 'values.controller.image',
        image: 'quay.io/argoproj/argo-rollouts:v1.8.3',
        defaultTag: false,
        chartRepository: false,
      },
      {
        path: 'values.sidecar.image',
        image: 'kiwigrid/k8s-sidecar:1.30.0',
        defaultTag: false,
        chartRepository: false,
      },
      {
        path: 'values.image',
        image: '<chart default repository>:v1.33.0',
        defaultTag: false,
        chartRepository: true,
      },
      {
        path: 'values.prometheus.configReloaderImage',
        image: `prometheus-operator/reloader@${DIGEST}`,
        defaultTag: true,
        chartRepository: false,
      },
      { path: 'values.list[0].image', image: 'busybox', defaultTag: true, chartRepository: false },
    ]);
    expect(helmValuesImages(undefined)).toEqual([]);
  });

  it('reads tags and digests, also behind a registry port', () => {
    expect(tagOf('registry.local:5000/team/app:1.2.3')).toBe('1.2.3');
    expect(tagOf('registry.local:5000/team/app')).toBeUndefined();
    expect(tagOf(`app:1.0@${DIGEST}`)).toBe('1.0');
    expect(hasDigest(`app@${DIGEST}`)).toBe(true);
    expect(hasDigest('app@sha256:short')).toBe(false);
  });

  it.each([
    ['bitnami/redis:7', true],
    ['docker.io/bitnamilegacy/kafka:3.7.0', true],
    ['oci://registry-1.docker.io/bitnamicharts/redis', true],
    ['https://charts.bitnami.com/bitnami', true],
    ['registry.local/notbitnami/redis:7', false],
    ['registry.local/bitnami-fork/redis:7', false],
    ['percona/percona-server-mongodb:8.0.12-4', false],
  ])('recognises Bitnami in %s: %s', (source, bitnami) => {
    expect(BITNAMI.test(source)).toBe(bitnami);
  });

  describe('imageProblems', () => {
    const at = (image: string) => ({ path: 'spec.image', image });

    it('accepts a tag, a digest, and (for a values object) the chart’s default tag', () => {
      expect(imageProblems(at('percona/pbm:2.11.0'))).toEqual([]);
      expect(imageProblems(at(`percona/pbm@${DIGEST}`))).toEqual([]);
      expect(digestProblem(at(`percona/pbm@${DIGEST}`), 'prod')).toBeUndefined();
      expect(imageProblems(at('nginxinc/nginx-unprivileged'), { defaultTag: true })).toEqual([]);
    });

    it('refuses latest, no tag and Bitnami; the digest is its own rule (image-digest)', () => {
      expect(imageProblems(at('app:latest'))).toEqual([
        'spec.image "app:latest" is tagged latest, which moves; pin a version (or a digest)',
      ]);
      expect(imageProblems(at('app'))).toEqual([
        'spec.image "app" has no tag or digest, so it means latest; pin a version (or a digest)',
      ]);
      expect(imageProblems(at('bitnami/app:1'))).toHaveLength(1);
      expect(imageProblems(at('app:1'))).toEqual([]);
      expect(digestProblem(at('app:1'), 'uat')).toBe(
        'spec.image "app:1" has no digest, which uat requires; pin it as <image>@sha256:<digest>',
      );
      expect(digestProblem(at('app:1'), undefined)).toBeUndefined();
    });
  });

  describe('chartProblems', () => {
    it('accepts an upstream chart at an exact version, with or without a v', () => {
      expect(chartProblems({ chart: 'cert-manager', version: 'v1.18.2' })).toEqual([]);
      expect(
        chartProblems({ chart: 'oci://quay.io/strimzi-helm/strimzi-kafka-operator', version: '0.48.0' }),
      ).toEqual([]);
    });

    it.each(['', '^1.2.0', '1.2', '1.x', '>=1.0.0'])('refuses the version %j', (version) => {
      expect(chartProblems({ chart: 'loki', version })).toEqual([
        expect.stringMatching(/^version .*; pin one such as "1\.2\.3" so an upgrade is a reviewed change$/),
      ]);
    });

    it('names the Bitnami field: chart or repositoryOpts.repo', () => {
      expect(
        chartProblems({
          chart: 'redis',
          version: '20.0.0',
          repositoryOpts: { repo: 'https://charts.bitnami.com/bitnami' },
        }),
      ).toEqual([
        'repositoryOpts.repo "https://charts.bitnami.com/bitnami" is a Bitnami chart, frozen since 2025 (no more fixes); use the project\'s upstream chart',
      ]);
    });
  });
});
