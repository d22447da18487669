/**
 * image-source beyond pod templates, through both entry points: the offline plan's checks and the CrossGuard
 * pack, on the same objects and Helm releases. Every case names what it expects, so each entry point must
 * report exactly that (and the two must agree).
 */
import { checkPolicies, type K8sObject } from '../policy';
import { checkCloudResources } from '../policy/cloud-policies';
import { enforce, EXEMPTION_ANNOTATION_PREFIX } from '../policy/enforcement';
import { renderedPolicySettings } from '../policy/rendered-service.fixture';
import { asResource, asResources, runPack } from './pack-harness.fixture';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const RELEASE = 'kubernetes:helm.sh/v3:Release';

/** A PerconaServerMongoDB-like custom resource with the images an operator runs for it. */
function replicaSet(images: { main: string; backup?: string; sidecar?: string }, exempt?: string): K8sObject {
  return {
    apiVersion: 'psmdb.percona.com/v1',
    kind: 'PerconaServerMongoDB',
    metadata: {
      name: 'mongodb',
      namespace: 'data',
      ...(exempt !== undefined && {
        annotations: { [`${EXEMPTION_ANNOTATION_PREFIX}image-digest`]: exempt },
      }),
    },
    spec: {
      image: images.main,
      backup: { image: images.backup ?? `percona/percona-backup-mongodb:2.11.0@${DIGEST}` },
      replsets: [
        {
          name: 'rs0',
          sidecars: [
            { name: 'exporter', image: images.sidecar ?? `percona/mongodb_exporter:0.47.1@${DIGEST}` },
          ],
        },
      ],
    },
  } as unknown as K8sObject;
}

interface Release {
  readonly name: string;
  readonly props: Record<string, unknown>;
}
const release = (props: Record<string, unknown>, name = 'r'): Release => ({
  name,
  props: {
    chart: 'loki',
    version: '6.29.0',
    repositoryOpts: { repo: 'https://grafana.github.io/helm-charts' },
    ...props,
  },
});

/** image-source findings as `<level> <object>: <message>`, from the plan's checks and from the pack. */
function imageSource(stack: string, objects: readonly K8sObject[], releases: readonly Release[] = []) {
  const all = [...objects, ...renderedPolicySettings(stack)];
  const cloud = checkCloudResources(
    releases.map((r) => ({ type: RELEASE, name: r.name, props: r.props })),
    { environment: stack },
  );
  const k8s = checkPolicies(all, { environment: stack });
  const report = enforce({ errors: [...k8s.errors, ...cloud], warnings: k8s.warnings }, all, stack);
  const planImage = [
    ...report.errors
      .filter((f) => f.rule === 'image-source' || f.rule === 'image-digest')
      .map((f) => `mandatory ${f.object}: ${f.message}`),
  ].sort();
  const pack = runPack([
    ...asResources(stack, all),
    ...releases.map((r) => asResource(stack, RELEASE, r.name, r.props)),
  ])
    .filter((l) => /^image-(source|digest) /.test(l))
    .map((l) => `mandatory ${l.replace(/^image-(source|digest) /, '').replace(/ @ .*$/, '')}`)
    .sort();
  const exempted = report.exempted
    .filter((f) => f.rule === 'image-source' || f.rule === 'image-digest')
    .map((f) => `${f.object}: ${f.reason}`);
  return { plan: planImage, pack, exempted };
}

describe('image-source on operator custom resources', () => {
  it('passes upstream images pinned by tag in dev, and by digest in prod', () => {
    expect(imageSource('dev', [replicaSet({ main: 'percona/percona-server-mongodb:8.0.12-4' })])).toEqual({
      plan: [],
      pack: [],
      exempted: [],
    });
    expect(
      imageSource('prod', [replicaSet({ main: `percona/percona-server-mongodb:8.0.12-4@${DIGEST}` })]).plan,
    ).toEqual([]);
  });

  it('refuses a bitnami image, naming the field', () => {
    const r = imageSource('dev', [replicaSet({ main: 'docker.io/bitnami/mongodb:8.0' })]);
    expect(r.plan).toEqual([
      'mandatory data/PerconaServerMongoDB/mongodb: spec.image "docker.io/bitnami/mongodb:8.0" comes from bitnami/bitnamilegacy, frozen since 2025 (no more fixes); use the upstream image',
    ]);
    expect(r.pack).toEqual(r.plan);
  });

  it('refuses latest and a missing tag', () => {
    const r = imageSource('dev', [
      replicaSet({ main: 'percona/percona-server-mongodb:latest', sidecar: 'percona/mongodb_exporter' }),
    ]);
    expect(r.plan).toEqual([
      'mandatory data/PerconaServerMongoDB/mongodb: spec.image "percona/percona-server-mongodb:latest" is tagged latest, which moves; pin a version (or a digest)',
      'mandatory data/PerconaServerMongoDB/mongodb: spec.replsets[0].sidecars[0].image "percona/mongodb_exporter" has no tag or digest, so it means latest; pin a version (or a digest)',
    ]);
    expect(r.pack).toEqual(r.plan);
  });

  it('requires digests in prod, and honours an exemption with its reason', () => {
    const byTag = replicaSet({ main: 'percona/percona-server-mongodb:8.0.12-4' });
    const r = imageSource('prod', [byTag]);
    expect(r.plan).toEqual([
      'mandatory data/PerconaServerMongoDB/mongodb: spec.image "percona/percona-server-mongodb:8.0.12-4" has no digest, which prod requires; pin it as <image>@sha256:<digest>',
    ]);
    expect(r.pack).toEqual(r.plan);
    const exempt = imageSource('prod', [
      replicaSet(
        { main: 'percona/percona-server-mongodb:8.0.12-4' },
        'digests not obtainable from the build machine',
      ),
    ]);
    expect(exempt).toEqual({
      plan: [],
      pack: [],
      exempted: ['data/PerconaServerMongoDB/mongodb: digests not obtainable from the build machine'],
    });
  });

  it('does not look inside a Rollout’s pod template (the workload check covers it once)', () => {
    const rollout = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name: 'x', namespace: 'apps' },
      spec: { template: { spec: { containers: [{ name: 'x', image: 'bitnami/nginx:1' }] } } },
    } as unknown as K8sObject;
    const bitnami = imageSource('dev', [rollout]).plan.filter((l) => l.includes('bitnami'));
    expect(bitnami).toEqual([
      'mandatory apps/Rollout/x: spec.template.spec.containers[0].image "bitnami/nginx:1" comes from bitnami/bitnamilegacy, frozen since 2025 (no more fixes); use the upstream image',
    ]);
  });
});

describe('image-source on other custom resources', () => {
  it('checks containers of a custom resource that has no pod template (an operator’s own container list)', () => {
    const prometheus = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'Prometheus',
      metadata: { name: 'k8s', namespace: 'monitoring' },
      spec: { containers: [{ name: 'proxy', image: 'quay.io/oauth2-proxy/oauth2-proxy' }] },
    } as unknown as K8sObject;
    const r = imageSource('dev', [prometheus]);
    expect(r.plan).toEqual([
      'mandatory monitoring/Prometheus/k8s: spec.containers[0].image "quay.io/oauth2-proxy/oauth2-proxy" has no tag or digest, so it means latest; pin a version (or a digest)',
    ]);
    expect(r.pack).toEqual(r.plan);
  });
});

describe('image-source on Helm releases', () => {
  const ref = `${RELEASE}/r`;

  it('passes an upstream chart at an exact version, with values images pinned or left to the chart', () => {
    const r = imageSource(
      'dev',
      [],
      [
        release({
          values: {
            gateway: { image: { repository: 'nginxinc/nginx-unprivileged' } },
            sidecar: { image: 'kiwigrid/k8s-sidecar:1.30.0' },
            image: { tag: 'v1.33.0' },
          },
        }),
      ],
    );
    expect(r).toEqual({ plan: [], pack: [], exempted: [] });
  });

  it('requires a digest in prod for an image the values choose, not for a tag of the chart’s own image', () => {
    const values = (digest: string) => ({
      image: { tag: 'v1.33.0' },
      sidecar: { image: `kiwigrid/k8s-sidecar:1.30.0${digest}` },
      gateway: { image: { repository: 'nginxinc/nginx-unprivileged', tag: '1.29', digest: DIGEST } },
    });
    const byTag = imageSource('prod', [], [release({ values: values('') })]);
    expect(byTag.plan).toEqual([
      `mandatory ${ref}: values.sidecar.image "kiwigrid/k8s-sidecar:1.30.0" has no digest, which prod requires; pin it as <image>@sha256:<digest>`,
    ]);
    expect(byTag.pack).toEqual(byTag.plan);
    expect(imageSource('uat', [], [release({ values: values('') })]).plan).toHaveLength(1);
    expect(imageSource('qat', [], [release({ values: values('') })]).plan).toEqual([]);
    expect(imageSource('prod', [], [release({ values: values(`@${DIGEST}`) })])).toEqual({
      plan: [],
      pack: [],
      exempted: [],
    });
  });

  it('refuses a release without a chart version', () => {
    const r = imageSource('dev', [], [release({ version: undefined })]);
    expect(r.plan).toEqual([
      `mandatory ${ref}: version is unset, so Helm takes the newest chart; pin one such as "1.2.3" so an upgrade is a reviewed change`,
    ]);
    expect(r.pack).toEqual(r.plan);
  });

  it('refuses a Bitnami chart and an inexact version', () => {
    const r = imageSource(
      'dev',
      [],
      [
        release({
          chart: 'oci://registry-1.docker.io/bitnamicharts/redis',
          version: '^20.0.0',
          repositoryOpts: {},
        }),
      ],
    );
    expect(r.plan).toEqual([
      `mandatory ${ref}: chart "oci://registry-1.docker.io/bitnamicharts/redis" is a Bitnami chart, frozen since 2025 (no more fixes); use the project's upstream chart`,
      `mandatory ${ref}: version "^20.0.0" is not an exact chart version; pin one such as "1.2.3" so an upgrade is a reviewed change`,
    ]);
    expect(r.pack).toEqual(r.plan);
    const repo = imageSource(
      'dev',
      [],
      [release({ chart: 'redis', repositoryOpts: { repo: 'https://charts.bitnami.com/bitnami' } })],
    );
    expect(repo.plan).toEqual([
      `mandatory ${ref}: repositoryOpts.repo "https://charts.bitnami.com/bitnami" is a Bitnami chart, frozen since 2025 (no more fixes); use the project's upstream chart`,
    ]);
  });

  it('refuses values images from bitnami, tagged latest, or without a tag', () => {
    const r = imageSource(
      'dev',
      [],
      [
        release({
          values: {
            metrics: {
              image: { registry: 'docker.io', repository: 'bitnamilegacy/redis-exporter', tag: '1.62.0' },
            },
            shell: { image: { repository: 'busybox', tag: 'latest' } },
            kubectl: { image: 'bitnami/kubectl' },
            controller: { image: { tag: 'latest' } },
          },
        }),
      ],
    );
    expect(r.plan).toEqual([
      `mandatory ${ref}: values.controller.image "<chart default repository>:latest" is tagged latest, which moves; pin a version (or a digest)`,
      `mandatory ${ref}: values.kubectl.image "bitnami/kubectl" comes from bitnami/bitnamilegacy, frozen since 2025 (no more fixes); use the upstream image`,
      `mandatory ${ref}: values.kubectl.image "bitnami/kubectl" has no tag or digest, so it means latest; pin a version (or a digest)`,
      `mandatory ${ref}: values.metrics.image "docker.io/bitnamilegacy/redis-exporter:1.62.0" comes from bitnami/bitnamilegacy, frozen since 2025 (no more fixes); use the upstream image`,
      `mandatory ${ref}: values.shell.image "busybox:latest" is tagged latest, which moves; pin a version (or a digest)`,
    ]);
    expect(r.pack).toEqual(r.plan);
  });
});
