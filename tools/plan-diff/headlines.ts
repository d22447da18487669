/**
 * What a reviewer of a plan change cares about first, per environment: each with the object and
 * before → after. Computed from the field changes, except the reachability edges and the policy findings,
 * which are recomputed from both plans.
 */
import type { PlanResource } from '../release/run-plan';
import { deliveryStrategy } from './delivery-strategy';
import { kubernetesObject } from './identity';
import { isDict } from './normalise';
import type { FieldChange, PlanDiff } from './object-diff';
import { findingKey, type PolicyFinding } from './policy-findings';
import { parseQuantity } from '../../charts/lib/quantity';
import type { EdgeChanges } from './reachability-edges';

/** In the order they are shown: what loses data or breaks first. */
export const TOPICS = [
  'data-loss',
  'storage',
  'image',
  'replicas',
  'resources',
  'network',
  'reachability',
  'delivery',
  'chart',
  'policy',
] as const;
export type Topic = (typeof TOPICS)[number];

export interface Headline {
  readonly topic: Topic;
  /** The object's identity in the diff, e.g. `argoproj.io Rollout apps/order`. */
  readonly object: string;
  /** What of it, e.g. `container order`, `requests.cpu of container order`. */
  readonly what: string;
  readonly before?: string;
  readonly after?: string;
  /** Set when the change is refused by Kubernetes or destroys data: shown loudly. */
  readonly alarm?: string;
}

export interface HeadlineInput {
  readonly diff: PlanDiff;
  readonly base: ReadonlyMap<string, PlanResource>;
  readonly head: ReadonlyMap<string, PlanResource>;
  /** Undefined when not computed (an environment on one side only); a string when computing it failed. */
  readonly edges?: EdgeChanges | string;
  readonly findings?:
    { readonly base: readonly PolicyFinding[]; readonly head: readonly PolicyFinding[] } | string;
}

/** At most this many reachability edges per direction are named; the rest are counted. */
export const MAX_EDGES = 20;

const NONE = '(none)';

/** A short text of a value for a headline. */
export function brief(value: unknown): string {
  if (value === undefined) return NONE;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (isDict(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${k}: ${brief(value[k])}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value) ?? String(value);
}

const kindOf = (r: PlanResource | undefined) => (r ? kubernetesObject(r)?.kind : undefined);

/** `container order`, `init container migrate`, `sidecar mongodb-exporter`, from the last such path step. */
function containerOf(path: string): string | undefined {
  const re = /(containers|initContainers|ephemeralContainers|sidecars)\[name=([^\]]+)\]/g;
  let last: RegExpExecArray | null = null;
  for (let m = re.exec(path); m !== null; m = re.exec(path)) last = m;
  if (last === null) return undefined;
  const label = { containers: 'container', initContainers: 'init container', sidecars: 'sidecar' }[
    last[1] as 'containers'
  ];
  return `${label ?? 'ephemeral container'} ${last[2] ?? ''}`;
}

const isStoragePath = (path: string, kind: string | undefined) =>
  /(^|\.)resources\.requests\.storage$/.test(path) ||
  ((kind === 'Kafka' || kind === 'KafkaNodePool') &&
    /(^|\.)storage(\.volumes\[[^\]]+\])?\.size$/.test(path)) ||
  /(^|\.)persistence\.size$/.test(path);

function storageHeadline(object: string, f: FieldChange): Headline {
  const where =
    f.path
      .replace(/\.?(resources\.requests\.storage|size)$/, '')
      .replace(/\.spec$/, '')
      .replace(/^spec\./, '') || 'storage';
  const before = parseQuantity(f.before);
  const after = parseQuantity(f.after);
  const shrinks = before !== undefined && after !== undefined && after < before;
  return {
    topic: 'storage',
    object,
    what: where,
    before: brief(f.before),
    after: brief(f.after),
    ...(shrinks && {
      alarm:
        'SHRINKS: Kubernetes refuses to shrink a PersistentVolumeClaim; the apply fails (or, replaced, the data goes)',
    }),
  };
}

/** Headlines from one changed resource's field changes. */
function fieldHeadlines(object: string, r: PlanResource, fields: readonly FieldChange[]): Headline[] {
  const kind = kindOf(r);
  const out: Headline[] = [];
  const pair = (f: FieldChange) => ({ before: brief(f.before), after: brief(f.after) });
  for (const f of fields) {
    if (f.hidden) continue;
    const p = f.path;
    const container = containerOf(p);
    if (
      /(^|\.)image$/.test(p) ||
      (r.type === HELM_RELEASE && /(^|\.)image(\.(repository|tag|digest))?$/.test(p))
    ) {
      out.push({ topic: 'image', object, what: container ?? p, ...pair(f) });
    } else if (/(containers|initContainers|sidecars)\[name=[^\]]+\]$/.test(p) && f.change !== 'changed') {
      const image = (v: unknown) => (isDict(v) && typeof v.image === 'string' ? v.image : undefined);
      out.push({
        topic: 'image',
        object,
        what: `${container ?? p} (${f.change})`,
        before: image(f.before) ?? NONE,
        after: image(f.after) ?? NONE,
      });
    } else if (isStoragePath(p, kind)) {
      out.push(storageHeadline(object, f));
    } else if (
      p === 'spec.replicas' ||
      (kind === 'PerconaServerMongoDB' && /^spec\.replsets\[[^\]]+\]\.size$/.test(p)) ||
      (r.type === HELM_RELEASE && /(^|\.)(replicaCount|replicas)$/.test(p))
    ) {
      out.push({ topic: 'replicas', object, what: p === 'spec.replicas' ? 'replicas' : p, ...pair(f) });
    } else if (kind === 'HorizontalPodAutoscaler' && /^spec\.(minReplicas|maxReplicas|metrics)/.test(p)) {
      const what = p
        .replace(/^spec\.minReplicas$/, 'HPA minReplicas')
        .replace(/^spec\.maxReplicas$/, 'HPA maxReplicas')
        .replace(/^spec\.metrics\[type=Resource\/([^\]]+)\]\.resource\.target\./, 'HPA target $1 ')
        .replace(/^spec\.metrics/, 'HPA metrics');
      out.push({ topic: 'replicas', object, what, ...pair(f) });
    } else if (/(^|\.)resources(\.(requests|limits)(\.[^.]+|\["[^"]+"\])?)?$/.test(p) && kind !== 'Role') {
      const amount = p.replace(/^.*?\.?resources\.?/, '') || 'resources';
      out.push({ topic: 'resources', object, what: container ? `${amount} of ${container}` : p, ...pair(f) });
    }
  }
  return out;
}

const HELM_RELEASE = 'kubernetes:helm.sh/v3:Release';
/** StatefulSet fields Kubernetes refuses to update: Pulumi replaces the object (delete, then create). */
const STATEFULSET_IMMUTABLE = [
  'spec.selector',
  'spec.serviceName',
  'spec.volumeClaimTemplates',
  'spec.podManagementPolicy',
];
const DATA_STORE_KINDS = new Set([
  'StatefulSet',
  'PersistentVolumeClaim',
  'PerconaServerMongoDB',
  'Kafka',
  'KafkaNodePool',
]);
const BUCKET_TYPES = new Set(['aws:s3/bucket:Bucket', 'aws:s3/bucketV2:BucketV2']);

/** `apps StatefulSet data/redis` -> `apps StatefulSet data`; `aws:s3/bucket:Bucket x` -> the type. */
function storeClass(id: string, r: PlanResource): string | undefined {
  const o = kubernetesObject(r);
  if (o !== undefined) {
    return DATA_STORE_KINDS.has(o.kind)
      ? `${id.split(' ').slice(0, 2).join(' ')} ${o.namespace ?? ''}`
      : undefined;
  }
  return BUCKET_TYPES.has(r.type) ? r.type : undefined;
}

function dataLossHeadlines(input: HeadlineInput): Headline[] {
  const out: Headline[] = [];
  for (const { id, fields } of input.diff.changed) {
    const r = input.head.get(id);
    if (kindOf(r) === 'StatefulSet') {
      const immutable = STATEFULSET_IMMUTABLE.filter((f) =>
        fields.some((c) => c.path === f || c.path.startsWith(`${f}.`) || c.path.startsWith(`${f}[`)),
      );
      if (immutable.length > 0) {
        out.push({
          topic: 'data-loss',
          object: id,
          what: `immutable ${immutable.join(', ')} changed`,
          alarm: 'REPLACED: Kubernetes refuses the update, so the StatefulSet is deleted and re-created',
        });
      }
    }
    if (r !== undefined && BUCKET_TYPES.has(r.type)) {
      const renamed = fields.find((c) => c.path === 'bucket');
      if (renamed) {
        out.push({
          topic: 'data-loss',
          object: id,
          what: 'bucket name',
          before: brief(renamed.before),
          after: brief(renamed.after),
          alarm:
            'REPLACED: a bucket cannot be renamed; a new one is created and the old one deleted with its objects',
        });
      }
    }
  }
  // A data store removed: with a same-kind one added under another name it is a rename, which is also a delete.
  const addedByClass = new Map<string, string[]>();
  for (const id of input.diff.added) {
    const r = input.head.get(id);
    const c = r && storeClass(id, r);
    if (c !== undefined) addedByClass.set(c, [...(addedByClass.get(c) ?? []), id]);
  }
  for (const id of input.diff.removed) {
    const r = input.base.get(id);
    const c = r && storeClass(id, r);
    if (c === undefined) continue;
    const candidates = addedByClass.get(c) ?? [];
    out.push(
      candidates.length > 0
        ? {
            topic: 'data-loss',
            object: id,
            what: 'renamed',
            before: id,
            after: candidates.join(', '),
            alarm: 'DATA LOSS: a rename is a delete and a create; the new one starts empty',
          }
        : {
            topic: 'data-loss',
            object: id,
            what: 'removed',
            alarm: 'DATA LOSS: the data store and its data are deleted',
          },
    );
  }
  return out;
}

function networkHeadlines(input: HeadlineInput): Headline[] {
  const isPolicy = (r: PlanResource | undefined) => kindOf(r) === 'NetworkPolicy';
  const out: Headline[] = [];
  for (const id of input.diff.added)
    if (isPolicy(input.head.get(id))) out.push({ topic: 'network', object: id, what: 'added' });
  for (const id of input.diff.removed)
    if (isPolicy(input.base.get(id))) out.push({ topic: 'network', object: id, what: 'removed' });
  for (const { id, fields } of input.diff.changed) {
    // Labels and annotations do not change traffic; the spec does.
    const spec = fields.filter((f) => f.path.startsWith('spec.') || f.path === 'spec');
    if (isPolicy(input.head.get(id)) && spec.length > 0) {
      out.push({
        topic: 'network',
        object: id,
        what: `changed (${[...new Set(spec.map((f) => f.path))].join(', ')})`,
      });
    }
  }
  const edges = input.edges;
  if (typeof edges === 'string') {
    out.push({ topic: 'reachability', object: '(environment)', what: `not computed: ${edges}` });
  } else if (edges !== undefined) {
    for (const [list, verb] of [
      [edges.added, 'allowed'],
      [edges.removed, 'no longer allowed'],
    ] as const) {
      for (const e of list.slice(0, MAX_EDGES)) out.push({ topic: 'reachability', object: e, what: verb });
      if (list.length > MAX_EDGES) {
        out.push({
          topic: 'reachability',
          object: `${list.length - MAX_EDGES} more connections`,
          what: verb,
        });
      }
    }
  }
  return out;
}

function deliveryHeadlines(input: HeadlineInput): Headline[] {
  // A workload by namespace/name, whatever its kind: Deployment -> Rollout is one workload changing strategy.
  const strategies = (m: ReadonlyMap<string, PlanResource>) => {
    const out = new Map<string, { id: string; strategy: string }>();
    for (const [id, r] of m) {
      const o = kubernetesObject(r);
      const s = o && deliveryStrategy(r.inputs);
      if (o && s !== undefined) out.set(`${o.namespace ?? ''}/${o.name}`, { id, strategy: s });
    }
    return out;
  };
  const before = strategies(input.base);
  const after = strategies(input.head);
  const out: Headline[] = [];
  for (const [key, b] of [...before].sort(([x], [y]) => (x < y ? -1 : 1))) {
    const a = after.get(key);
    if (a !== undefined && a.strategy !== b.strategy) {
      out.push({ topic: 'delivery', object: a.id, what: 'strategy', before: b.strategy, after: a.strategy });
    }
  }
  return out;
}

function chartHeadlines(input: HeadlineInput): Headline[] {
  const chart = (r: PlanResource | undefined) => {
    const { chart: name, version } = (r?.inputs ?? {}) as { chart?: unknown; version?: unknown };
    return `${brief(name)} ${version === undefined ? '(no version)' : brief(version)}`;
  };
  const isRelease = (r: PlanResource | undefined) => r?.type === HELM_RELEASE;
  const out: Headline[] = [];
  for (const { id, fields } of input.diff.changed) {
    if (isRelease(input.head.get(id)) && fields.some((f) => f.path === 'chart' || f.path === 'version')) {
      out.push({
        topic: 'chart',
        object: id,
        what: 'chart',
        before: chart(input.base.get(id)),
        after: chart(input.head.get(id)),
      });
    }
  }
  for (const id of input.diff.added) {
    if (isRelease(input.head.get(id)))
      out.push({
        topic: 'chart',
        object: id,
        what: 'chart (added)',
        before: NONE,
        after: chart(input.head.get(id)),
      });
  }
  for (const id of input.diff.removed) {
    if (isRelease(input.base.get(id)))
      out.push({
        topic: 'chart',
        object: id,
        what: 'chart (removed)',
        before: chart(input.base.get(id)),
        after: NONE,
      });
  }
  return out;
}

function policyHeadlines(input: HeadlineInput): Headline[] {
  const f = input.findings;
  if (f === undefined) return [];
  if (typeof f === 'string')
    return [{ topic: 'policy', object: '(environment)', what: `findings not computed: ${f}` }];
  const before = new Set(f.base.map(findingKey));
  const after = new Set(f.head.map(findingKey));
  const line = (x: PolicyFinding, verb: string): Headline => ({
    topic: 'policy',
    object: x.object,
    what: `${verb} ${x.severity} [${x.rule}] ${x.message}`,
  });
  return [
    ...f.head.filter((x) => !before.has(findingKey(x))).map((x) => line(x, 'new')),
    ...f.base.filter((x) => !after.has(findingKey(x))).map((x) => line(x, 'gone:')),
  ];
}

/** Every headline of one environment's diff, grouped by topic in TOPICS order, deterministic within. */
export function headlines(input: HeadlineInput): Headline[] {
  const fromFields = input.diff.changed.flatMap(({ id, fields }) => {
    const r = input.head.get(id);
    return r === undefined ? [] : fieldHeadlines(id, r, fields);
  });
  // HPAs added or removed change how a workload scales as much as a changed bound does.
  const hpas: Headline[] = [];
  for (const [list, m, verb] of [
    [input.diff.added, input.head, 'added'],
    [input.diff.removed, input.base, 'removed'],
  ] as const) {
    for (const id of list) {
      const r = m.get(id);
      if (kindOf(r) !== 'HorizontalPodAutoscaler') continue;
      const spec = (r?.inputs.spec ?? {}) as { minReplicas?: unknown; maxReplicas?: unknown };
      const bounds = `min ${brief(spec.minReplicas)}, max ${brief(spec.maxReplicas)}`;
      hpas.push({
        topic: 'replicas',
        object: id,
        what: `HPA ${verb}`,
        before: verb === 'added' ? NONE : bounds,
        after: verb === 'added' ? bounds : NONE,
      });
    }
  }
  const all = [
    ...dataLossHeadlines(input),
    ...fromFields,
    ...hpas,
    ...networkHeadlines(input),
    ...deliveryHeadlines(input),
    ...chartHeadlines(input),
    ...policyHeadlines(input),
  ];
  // Stable sort: within a topic, the order the diff lists objects and fields in.
  return all.sort((a, b) => TOPICS.indexOf(a.topic) - TOPICS.indexOf(b.topic));
}
