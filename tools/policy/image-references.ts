/**
 * The `image-source` rule beyond pod templates: images that reach the cluster through operator custom
 * resources (a PerconaServerMongoDB's `spec.image`, its backup and sidecar images) and through Helm releases
 * (images set in `values`, and the chart's own source and version). Pod templates are checked by
 * workload-policies.ts; this file never looks inside a `containers` list, so nothing is reported twice.
 *
 * - no `bitnami/` or `bitnamilegacy/` image or chart (frozen since 2025);
 * - an image is pinned: a tag other than `latest`, or a digest. A values object without a tag
 *   (`{repository}` only) keeps the chart's default tag, which the pinned chart version fixes, so only an
 *   explicit `latest` is refused there;
 * - a Helm release names an exact chart version;
 * - in the digest-only environments, custom resources' images carry a digest like pod images do. Images in
 *   Helm values are not held to digests: most come from the chart's defaults, pinned by the chart version.
 */
import type { K8sObject } from './policies';

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => v !== null && typeof v === 'object' && !Array.isArray(v);

export const BITNAMI = /(^|[/.])bitnami(legacy)?(\/|charts|$)/;

export interface ImageReference {
  /** Field path inside the object or the release, e.g. `spec.replsets[0].sidecars[0].image`. */
  readonly path: string;
  readonly image: string;
}

/** A custom resource: its API group is neither core, a dot-less built-in (apps, batch…) nor `*.k8s.io`. */
export function isCustomResource(o: K8sObject): boolean {
  const group = o.apiVersion.includes('/') ? (o.apiVersion.split('/')[0] ?? '') : '';
  return group.includes('.') && !group.endsWith('.k8s.io');
}

/** Every string `image` field of a custom resource, outside pod containers lists. */
export function customResourceImages(o: K8sObject): ImageReference[] {
  const found: ImageReference[] = [];
  const walk = (v: unknown, path: string) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (isDict(v)) {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'containers' || k === 'initContainers' || k === 'ephemeralContainers') continue;
        const at = path === '' ? k : `${path}.${k}`;
        if (k === 'image' && typeof x === 'string') found.push({ path: at, image: x });
        else walk(x, at);
      }
    }
  };
  walk(o.spec, 'spec');
  return found;
}

/** Images set in Helm values: `image: "repo:tag"` strings and `{ registry?, repository, tag?, digest? }`. */
export function helmValuesImages(values: unknown): (ImageReference & { readonly defaultTag: boolean })[] {
  const found: (ImageReference & { defaultTag: boolean })[] = [];
  const walk = (v: unknown, path: string) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (isDict(v)) {
      if (typeof v.repository === 'string' && v.repository !== '') {
        const registry = typeof v.registry === 'string' && v.registry !== '' ? `${v.registry}/` : '';
        const tag = typeof v.tag === 'string' && v.tag !== '' ? `:${v.tag}` : '';
        const digest = typeof v.digest === 'string' && v.digest !== '' ? `@${v.digest}` : '';
        found.push({ path, image: `${registry}${v.repository}${tag}${digest}`, defaultTag: tag === '' });
        return;
      }
      for (const [k, x] of Object.entries(v)) {
        const at = `${path}.${k}`;
        if (k === 'image' && typeof x === 'string' && x !== '')
          found.push({ path: at, image: x, defaultTag: false });
        else walk(x, at);
      }
    }
  };
  walk(values, 'values');
  return found;
}

/** The tag of an image reference (`repo:tag`, `host:5000/repo:tag@sha256:…`), if any. */
export function tagOf(image: string): string | undefined {
  const withoutDigest = image.split('@')[0] ?? '';
  const lastSlash = withoutDigest.lastIndexOf('/');
  const name = withoutDigest.slice(lastSlash + 1);
  const colon = name.lastIndexOf(':');
  return colon === -1 ? undefined : name.slice(colon + 1);
}

const hasDigest = (image: string) => /@sha256:[0-9a-f]{64}$/.test(image);

/** What is wrong with one image reference, as the rest of a finding's message (empty: nothing). */
export function imageProblems(
  ref: ImageReference,
  options: { readonly digestEnv?: string; readonly defaultTag?: boolean },
): string[] {
  const problems: string[] = [];
  const { path, image } = ref;
  if (BITNAMI.test(image))
    problems.push(
      `${path} "${image}" comes from bitnami/bitnamilegacy, frozen since 2025 (no more fixes); use the upstream image`,
    );
  const tag = tagOf(image);
  if (tag === 'latest')
    problems.push(`${path} "${image}" is tagged latest, which moves; pin a version (or a digest)`);
  else if (tag === undefined && !hasDigest(image) && options.defaultTag !== true)
    problems.push(`${path} "${image}" has no tag or digest, so it means latest; pin a version (or a digest)`);
  if (options.digestEnv !== undefined && !hasDigest(image))
    problems.push(
      `${path} "${image}" has no digest, which ${options.digestEnv} requires; pin it as <image>@sha256:<digest>`,
    );
  return problems;
}

/** Problems of a Helm release's chart source and version. */
export function chartProblems(props: Dict): string[] {
  const chart = typeof props.chart === 'string' ? props.chart : '';
  const repo =
    isDict(props.repositoryOpts) && typeof props.repositoryOpts.repo === 'string'
      ? props.repositoryOpts.repo
      : '';
  const version = typeof props.version === 'string' ? props.version : '';
  const problems: string[] = [];
  for (const [field, value] of [
    ['chart', chart],
    ['repositoryOpts.repo', repo],
  ] as const) {
    if (value !== '' && BITNAMI.test(value))
      problems.push(
        `${field} "${value}" is a Bitnami chart, frozen since 2025 (no more fixes); use the project's upstream chart`,
      );
  }
  if (!/^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/.test(version))
    problems.push(
      `version ${JSON.stringify(version)} is not an exact chart version; pin one such as "1.2.3" so an upgrade is a reviewed change`,
    );
  return problems;
}
