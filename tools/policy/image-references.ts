/**
 * The `image-source` rule beyond pod templates: images that reach the cluster through operator custom
 * resources (a PerconaServerMongoDB's `spec.image`, its backup and sidecar images) and through Helm releases
 * (images set in `values`, and the chart's own source and version). The containers of a pod template are
 * checked by workload-policies.ts (checkImages); the caller names that template, and it is skipped here, so
 * nothing is reported twice.
 *
 * - no `bitnami/` or `bitnamilegacy/` image, and no Bitnami chart (frozen since 2025);
 * - an image is pinned: a tag other than `latest`, or a digest. A values object without a tag
 *   (`{repository}` only) keeps the chart's default tag, which the pinned chart version fixes, so only an
 *   explicit `latest` is refused there;
 * - a Helm release names an exact chart version;
 * - in the digest-only environments, custom resources' images carry a digest, as pod images do, and so does
 *   an image the Helm values choose (a repository or a whole image string). A values override of only the
 *   tag keeps the chart's own repository and is pinned like the chart's default images, which the plan
 *   cannot see: by the chart version and by tag.
 */
import type { K8sObject } from './policies';

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => v !== null && typeof v === 'object' && !Array.isArray(v);
const word = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

/**
 * Bitnami's images and charts: `bitnami/…`, `bitnamilegacy/…`, `…/bitnamicharts/…`, `charts.bitnami.com`. A
 * name that only contains the word (`notbitnami/redis`, `bitnami-fork`) is not theirs.
 */
export const BITNAMI = /(^|[/.])bitnami(legacy|charts)?([/.:@]|$)/;

export interface ImageReference {
  /** Field path inside the object or the release, e.g. `spec.replsets[0].sidecars[0].image`. */
  readonly path: string;
  readonly image: string;
}

export interface ValuesImageReference extends ImageReference {
  /** The values set no tag, so the chart's default tag (fixed by the chart version) applies. */
  readonly defaultTag: boolean;
  /** The values set no repository, only a tag or digest of the chart's own default repository. */
  readonly chartRepository: boolean;
}

/** A custom resource: its API group is neither core, a dot-less built-in (apps, batch…) nor `*.k8s.io`. */
export function isCustomResource(o: K8sObject): boolean {
  const group = o.apiVersion.includes('/') ? (o.apiVersion.split('/')[0] ?? '') : '';
  return group.includes('.') && !group.endsWith('.k8s.io');
}

const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'];
const NOT_DESIRED_STATE = new Set(['apiVersion', 'kind', 'metadata', 'status']);

/**
 * Every string `image` field of a custom resource. `podSpecField` is where its pod template's spec sits (a
 * Rollout's `spec.template.spec`), whose container lists workload-policies.ts checks; they are skipped.
 */
export function customResourceImages(o: K8sObject, podSpecField?: string): ImageReference[] {
  const skip = new Set(podSpecField === undefined ? [] : CONTAINER_LISTS.map((k) => `${podSpecField}.${k}`));
  const found: ImageReference[] = [];
  const walk = (v: unknown, path: string) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (isDict(v)) {
      for (const [k, x] of Object.entries(v)) {
        const at = path === '' ? k : `${path}.${k}`;
        if (skip.has(at) || (path === '' && NOT_DESIRED_STATE.has(k))) continue;
        if (k === 'image' && typeof x === 'string') found.push({ path: at, image: x });
        else walk(x, at);
      }
    }
  };
  walk(o, '');
  return found;
}

/** Keys under which charts take an image: `image`, `configReloaderImage`, `sidecarImage`… */
const IMAGE_KEY = /(^|[a-z])[iI]mage$/;

/**
 * Images set in Helm values: `image: "repo:tag"` strings, and `{ registry?, repository, tag?, digest? }`
 * objects (anywhere, or under an image key with only a tag or digest, which overrides the chart's default
 * repository's tag). The values path names each, e.g. `values.controller.image`.
 */
export function helmValuesImages(values: unknown): ValuesImageReference[] {
  const found: ValuesImageReference[] = [];
  const walk = (v: unknown, path: string, key: string) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`, key));
    else if (isDict(v)) {
      const repository = word(v.repository);
      const tag = word(v.tag);
      const digest = word(v.digest);
      if (repository !== '' || (IMAGE_KEY.test(key) && (tag !== '' || digest !== ''))) {
        const registry = word(v.registry);
        const name = repository === '' ? '<chart default repository>' : repository;
        const image = `${registry === '' ? '' : `${registry}/`}${name}${tag === '' ? '' : `:${tag}`}${digest === '' ? '' : `@${digest}`}`;
        found.push({ path, image, defaultTag: tag === '', chartRepository: repository === '' });
        return;
      }
      for (const [k, x] of Object.entries(v)) {
        const at = `${path}.${k}`;
        if (IMAGE_KEY.test(k) && typeof x === 'string' && x !== '')
          found.push({ path: at, image: x, defaultTag: false, chartRepository: false });
        else walk(x, at, k);
      }
    }
  };
  walk(values, 'values', '');
  return found;
}

/** The tag of an image reference (`repo:tag`, `host:5000/repo:tag@sha256:…`), if any. */
export function tagOf(image: string): string | undefined {
  const withoutDigest = image.split('@')[0] ?? '';
  const name = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const colon = name.lastIndexOf(':');
  return colon === -1 ? undefined : name.slice(colon + 1);
}

/** Whether an image is pinned by a sha256 digest (`<image>@sha256:<64 hex>`). */
export const hasDigest = (image: string): boolean => /@sha256:[0-9a-f]{64}$/.test(image);

export interface ImageCheckOptions {
  /** A missing tag means the chart's default tag, not latest (values objects without a tag). */
  readonly defaultTag?: boolean;
}

/** What is wrong with one image reference, each as a finding's message naming the field (empty: nothing). */
export function imageProblems(ref: ImageReference, options: ImageCheckOptions = {}): string[] {
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
  return problems;
}

/**
 * The digest rule (`image-digest`) of the digest-only environments, apart from `image-source` so that an
 * exemption from it (upstream images whose digests cannot be looked up yet) never hides a Bitnami or `latest`
 * image on the same object.
 */
export function digestProblem(ref: ImageReference, digestEnv: string | undefined): string | undefined {
  if (digestEnv === undefined || hasDigest(ref.image)) return undefined;
  return `${ref.path} "${ref.image}" has no digest, which ${digestEnv} requires; pin it as <image>@sha256:<digest>`;
}

const EXACT_VERSION = /^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/;

/** What is wrong with a Helm release's chart source (`chart`, `repositoryOpts.repo`) and `version`. */
export function chartProblems(props: Dict): string[] {
  const repo = isDict(props.repositoryOpts) ? word(props.repositoryOpts.repo) : '';
  const version = word(props.version);
  const problems: string[] = [];
  for (const [field, value] of [
    ['chart', word(props.chart)],
    ['repositoryOpts.repo', repo],
  ] as const) {
    if (value !== '' && BITNAMI.test(value))
      problems.push(
        `${field} "${value}" is a Bitnami chart, frozen since 2025 (no more fixes); use the project's upstream chart`,
      );
  }
  if (!EXACT_VERSION.test(version)) {
    const got =
      props.version === undefined || props.version === ''
        ? 'version is unset, so Helm takes the newest chart'
        : `version ${JSON.stringify(props.version)} is not an exact chart version`;
    problems.push(`${got}; pin one such as "1.2.3" so an upgrade is a reviewed change`);
  }
  return problems;
}
