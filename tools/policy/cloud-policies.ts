/**
 * Platform policies over the AWS resources of an EKS environment: private, encrypted buckets; encrypted disks;
 * an API endpoint open only to the configured networks; IRSA roles that one service account can assume. They
 * read a neutral resource shape so that the offline plan (`resources.json`: type, name, inputs) and the
 * CrossGuard pack (PolicyResource: type, name, props) run the same checks.
 */
import { chartProblems, digestProblem, helmValuesImages, imageProblems } from './image-references';
import type { Finding } from './policies';
import type { RuleEntry } from './rule-catalog';
import { PROTECTED_ENVIRONMENTS } from './workload-policies';

export interface CloudResource {
  /** Pulumi type token, e.g. `aws:s3/bucket:Bucket`. */
  readonly type: string;
  /** Pulumi (logical) name. */
  readonly name: string;
  /** Inputs (plan) or props (CrossGuard). Secret inputs may read "[secret]". */
  readonly props: Record<string, unknown>;
  /**
   * Logical name of the parent, when known. Only used to pair a bucket's configuration resources with their
   * bucket when the bucket reference is not resolved yet (an unknown id in a preview).
   */
  readonly parent?: string;
}

export interface CloudPolicyOptions {
  /** The networks the stack file allows on the public API endpoint (`cluster.publicAccessCidrs`). */
  readonly publicAccessCidrs?: readonly string[];
  /** `cluster.allowPublicAccessFromAnywhere`: accept 0.0.0.0/0 on the public endpoint. @default false */
  readonly allowPublicAccessFromAnywhere?: boolean;
  /** The environment (stack), for the rules that differ per environment; undefined when unknown. */
  readonly environment?: string;
}

export const CLOUD_POLICY_RULES = {
  's3-private': {
    description:
      'Every S3 bucket has a public access block with all four flags on, and no public ACL or bucket policy.',
    level: 'mandatory',
  },
  's3-encrypted': {
    description: 'Every S3 bucket has default server-side encryption (SSE-S3 or SSE-KMS) configured.',
    level: 'mandatory',
  },
  'ebs-encrypted': {
    description:
      'EBS volumes, launch template and node group disks and EBS StorageClasses are encrypted (or EBS encryption by default is on).',
    level: 'mandatory',
  },
  'eks-endpoint-access': {
    description:
      'The EKS public API endpoint is off, or open only to the configured CIDRs and never to 0.0.0.0/0 unless allowed.',
    level: 'mandatory',
  },
  'irsa-trust-scoped': {
    description:
      'Every IAM role trusted by an OIDC provider requires exactly one service account (StringEquals on :sub) and the sts.amazonaws.com audience.',
    level: 'mandatory',
  },
} as const satisfies Record<string, RuleEntry>;

export type CloudRule = keyof typeof CLOUD_POLICY_RULES;

type Dict = Record<string, unknown>;
const dict = (v: unknown): Dict =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Dict) : {};
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
const isTrue = (v: unknown): boolean => v === true || v === 'true';
const show = (v: unknown): string => (v === undefined ? 'unset' : JSON.stringify(v));

const BUCKET = /^aws:s3\/bucket(V2)?:Bucket(V2)?$/;
const PUBLIC_ACCESS_BLOCK = 'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock';
const ENCRYPTION = /^aws:s3\/bucketServerSideEncryptionConfiguration(V2)?:/;
const BUCKET_POLICY = 'aws:s3/bucketPolicy:BucketPolicy';
const BUCKET_ACL = /^aws:s3\/bucketAcl(V2)?:/;
const SSE_ALGORITHMS = new Set(['AES256', 'aws:kms', 'aws:kms:dsse']);
const PUBLIC_ACLS = new Set(['public-read', 'public-read-write', 'authenticated-read']);
const PUBLIC_GRANTEES = /acs\.amazonaws\.com\/groups\/global\/(AllUsers|AuthenticatedUsers)/;
const PAB_FLAGS = [
  'blockPublicAcls',
  'blockPublicPolicy',
  'ignorePublicAcls',
  'restrictPublicBuckets',
] as const;
const ANYWHERE = '0.0.0.0/0';
const SERVICE_ACCOUNT_SUBJECT =
  /^system:serviceaccount:[a-z0-9]([-a-z0-9]*[a-z0-9])?:[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/;

/** An IAM policy document from a JSON string or an object; undefined when it cannot be read. */
function policyDocument(v: unknown): Dict | undefined {
  if (typeof v === 'string') {
    try {
      const parsed: unknown = JSON.parse(v);
      return parsed !== null && typeof parsed === 'object' ? dict(parsed) : undefined;
    } catch {
      return undefined;
    }
  }
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Dict) : undefined;
}

const statements = (doc: Dict): Dict[] => list(doc.Statement).map(dict);
const actions = (s: Dict): string[] => list(s.Action).filter((a): a is string => typeof a === 'string');

/** Whether a principal is everyone: "*" or {AWS: "*"}. */
function isEveryone(principal: unknown): boolean {
  if (principal === '*') return true;
  return list(dict(principal).AWS).includes('*');
}

/** A bucket's configuration resources point at it by name or id (in the plan, the mock id `<name>-id`). */
function bucketRefs(bucket: CloudResource): Set<string> {
  const refs = [bucket.props.bucket, bucket.props.id, `${bucket.name}-id`];
  return new Set(refs.filter((r): r is string => typeof r === 'string'));
}

function configOf(
  resources: readonly CloudResource[],
  bucket: CloudResource,
  matches: (r: CloudResource) => boolean,
): CloudResource[] {
  const refs = bucketRefs(bucket);
  return resources.filter((r) => {
    if (!matches(r)) return false;
    const ref = r.props.bucket;
    if (typeof ref === 'string' && ref !== '') return refs.has(ref);
    // Reference not resolved (preview of a new bucket): the configuration sits beside its bucket.
    return r.parent !== undefined && r.parent === bucket.parent;
  });
}

function checkBuckets(resources: readonly CloudResource[], report: Report): void {
  for (const bucket of resources.filter((r) => BUCKET.test(r.type))) {
    const name = typeof bucket.props.bucket === 'string' ? ` (${bucket.props.bucket})` : '';
    const at = `${bucket.type}/${bucket.name}`;

    const blocks = configOf(resources, bucket, (r) => r.type === PUBLIC_ACCESS_BLOCK);
    if (blocks.length === 0) {
      report(
        's3-private',
        at,
        `bucket${name} has no BucketPublicAccessBlock; add one with ${PAB_FLAGS.join(', ')} all true`,
      );
    }
    for (const block of blocks) {
      const off = PAB_FLAGS.filter((f) => block.props[f] !== true);
      if (off.length > 0) {
        report(
          's3-private',
          `${block.type}/${block.name}`,
          `public access block of bucket${name} leaves ${off.map((f) => `${f} ${show(block.props[f])}`).join(', ')}; set all four flags to true`,
        );
      }
    }

    const acl = bucket.props.acl;
    if (typeof acl === 'string' && PUBLIC_ACLS.has(acl)) {
      report(
        's3-private',
        at,
        `bucket${name} has acl "${acl}"; remove it (objects are owner-enforced, private)`,
      );
    }
    for (const r of configOf(resources, bucket, (x) => BUCKET_ACL.test(x.type))) {
      const cannedAcl = r.props.acl;
      const grants = list(dict(r.props.accessControlPolicy).grants).map(dict);
      const publicGrant = grants.some((g) => PUBLIC_GRANTEES.test(String(dict(g.grantee).uri ?? '')));
      if ((typeof cannedAcl === 'string' && PUBLIC_ACLS.has(cannedAcl)) || publicGrant) {
        report(
          's3-private',
          `${r.type}/${r.name}`,
          `ACL of bucket${name} grants public access (acl ${show(cannedAcl)}); remove the public grant`,
        );
      }
    }
    const policies = [
      { at, policy: bucket.props.policy },
      ...configOf(resources, bucket, (x) => x.type === BUCKET_POLICY).map((r) => ({
        at: `${r.type}/${r.name}`,
        policy: r.props.policy,
      })),
    ];
    for (const { at: where, policy } of policies) {
      if (policy === undefined) continue;
      const doc = policyDocument(policy);
      if (!doc) continue; // An unresolved policy cannot be judged here; the public access block still holds.
      const open = statements(doc).filter(
        (s) => s.Effect === 'Allow' && isEveryone(s.Principal) && Object.keys(dict(s.Condition)).length === 0,
      );
      for (const s of open) {
        report(
          's3-private',
          where,
          `policy of bucket${name} allows ${show(s.Action)} to everyone (Principal "*" without Condition)${typeof s.Sid === 'string' ? ` in statement ${s.Sid}` : ''}; name the principals`,
        );
      }
    }

    const inline = dict(dict(bucket.props.serverSideEncryptionConfiguration).rule);
    const rules = [
      ...(Object.keys(inline).length > 0 ? [inline] : []),
      ...configOf(resources, bucket, (x) => ENCRYPTION.test(x.type)).flatMap((r) =>
        list(r.props.rules).map(dict),
      ),
    ];
    const algorithms = rules.map((rule) => dict(rule.applyServerSideEncryptionByDefault).sseAlgorithm);
    if (!algorithms.some((a) => typeof a === 'string' && SSE_ALGORITHMS.has(a))) {
      report(
        's3-encrypted',
        at,
        rules.length === 0
          ? `bucket${name} has no BucketServerSideEncryptionConfiguration; add one with applyServerSideEncryptionByDefault.sseAlgorithm "aws:kms" (or "AES256")`
          : `bucket${name} encryption rules set sseAlgorithm ${algorithms.map(show).join(', ')}; use "aws:kms" or "AES256"`,
      );
    }
  }
}

function checkDisks(resources: readonly CloudResource[], report: Report): void {
  // Encryption by default covers every new volume in the region, whatever creates it.
  if (
    resources.some(
      (r) => r.type === 'aws:ebs/encryptionByDefault:EncryptionByDefault' && r.props.enabled !== false,
    )
  )
    return;
  const templates = resources.filter((r) => r.type === 'aws:ec2/launchTemplate:LaunchTemplate');
  const templateUnencrypted = (t: CloudResource): string[] =>
    list(t.props.blockDeviceMappings)
      .map(dict)
      .filter((m) => Object.keys(dict(m.ebs)).length > 0 && !isTrue(dict(m.ebs).encrypted))
      .map((m) => String(m.deviceName ?? '?'));

  for (const r of resources) {
    const at = `${r.type}/${r.name}`;
    if (r.type === 'aws:ebs/volume:Volume' && !isTrue(r.props.encrypted)) {
      report('ebs-encrypted', at, `volume has encrypted ${show(r.props.encrypted)}; set encrypted: true`);
    } else if (r.type === 'aws:ec2/launchTemplate:LaunchTemplate') {
      for (const device of templateUnencrypted(r)) {
        report(
          'ebs-encrypted',
          at,
          `blockDeviceMappings ${device} is not encrypted; set ebs.encrypted: true (or turn on EBS encryption by default)`,
        );
      }
    } else if (r.type === 'aws:ec2/instance:Instance') {
      const devices = [dict(r.props.rootBlockDevice), ...list(r.props.ebsBlockDevices).map(dict)];
      if (devices.some((d) => !isTrue(d.encrypted))) {
        report('ebs-encrypted', at, 'rootBlockDevice/ebsBlockDevices not all encrypted; set encrypted: true');
      }
    } else if (r.type === 'aws:eks/nodeGroup:NodeGroup' || r.type === 'eks:index:ManagedNodeGroup') {
      const ref = dict(r.props.launchTemplate);
      if (Object.keys(ref).length === 0) {
        // Without a launch template EKS boots the nodes from its own, whose root disk the plan cannot see.
        report(
          'ebs-encrypted',
          at,
          `node group sets diskSize ${show(r.props.diskSize)} without a launchTemplate, so nothing in the plan encrypts its root disks; use a launch template with blockDeviceMappings ebs.encrypted: true, or aws.ebs.EncryptionByDefault`,
        );
        continue;
      }
      const template = templates.find((t) =>
        [t.props.name, t.props.id, `${t.name}-id`].some(
          (v) => v !== undefined && (v === ref.id || v === ref.name),
        ),
      );
      if (template && list(template.props.blockDeviceMappings).length === 0) {
        report(
          'ebs-encrypted',
          at,
          `launch template ${template.name} declares no blockDeviceMappings, so the root disk is not encrypted; add one with ebs.encrypted: true`,
        );
      }
    } else if (r.type === 'eks:index:NodeGroup' || r.type === 'eks:index:NodeGroupV2') {
      if (!isTrue(r.props.encryptRootBlockDevice) && !isTrue(r.props.nodeRootVolumeEncrypted)) {
        report('ebs-encrypted', at, 'encryptRootBlockDevice is not true; set encryptRootBlockDevice: true');
      }
    } else if (r.type === 'eks:index:Cluster' && !isTrue(r.props.skipDefaultNodeGroup)) {
      if (!isTrue(r.props.nodeRootVolumeEncrypted)) {
        report(
          'ebs-encrypted',
          at,
          'the default node group is created and nodeRootVolumeEncrypted is not true; set skipDefaultNodeGroup: true or nodeRootVolumeEncrypted: true',
        );
      }
    } else if (
      r.type === 'kubernetes:storage.k8s.io/v1:StorageClass' &&
      r.props.provisioner === 'ebs.csi.aws.com'
    ) {
      const encrypted = dict(r.props.parameters).encrypted;
      if (encrypted !== 'true') {
        report(
          'ebs-encrypted',
          at,
          `EBS StorageClass ${show(dict(r.props.metadata).name)} has parameters.encrypted ${show(encrypted)}; set it to "true"`,
        );
      }
    }
  }
}

function checkEndpoint(
  resources: readonly CloudResource[],
  options: CloudPolicyOptions,
  report: Report,
): void {
  for (const r of resources) {
    // The @pulumi/eks component takes the settings at the top level, aws.eks.Cluster under vpcConfig.
    const config =
      r.type === 'eks:index:Cluster'
        ? r.props
        : r.type === 'aws:eks/cluster:Cluster'
          ? dict(r.props.vpcConfig)
          : undefined;
    if (!config) continue;
    const at = `${r.type}/${r.name}`;
    // Both default to a public endpoint, and AWS opens a public endpoint without CIDRs to 0.0.0.0/0.
    if (config.endpointPublicAccess === false) continue;
    const cidrs = list(config.publicAccessCidrs).filter((c): c is string => typeof c === 'string');
    const effective = cidrs.length === 0 ? [ANYWHERE] : cidrs;
    if (effective.includes(ANYWHERE) && options.allowPublicAccessFromAnywhere !== true) {
      report(
        'eks-endpoint-access',
        at,
        cidrs.length === 0
          ? 'endpointPublicAccess is on without publicAccessCidrs, which AWS opens to 0.0.0.0/0; set endpointPublicAccess: false or list publicAccessCidrs'
          : `publicAccessCidrs includes 0.0.0.0/0; list your networks (or set cluster.allowPublicAccessFromAnywhere: true)`,
      );
    }
    const wanted = options.publicAccessCidrs;
    if (wanted === undefined) continue;
    const same = new Set(cidrs).size === new Set(wanted).size && cidrs.every((c) => wanted.includes(c));
    if (!same) {
      report(
        'eks-endpoint-access',
        at,
        wanted.length === 0
          ? `endpointPublicAccess is on (publicAccessCidrs ${show(cidrs)}) but the stack configures no public CIDRs; set endpointPublicAccess: false`
          : `publicAccessCidrs ${show(cidrs)} differ from the configured cluster.publicAccessCidrs ${show(wanted)}; pass exactly the configured CIDRs`,
      );
    }
  }
}

/** `<issuer>` from a federated principal `arn:...:oidc-provider/<issuer>`. */
function issuerOf(federated: unknown): string | undefined {
  const arn = list(federated).find(
    (f): f is string => typeof f === 'string' && f.includes(':oidc-provider/'),
  );
  return arn?.slice(arn.indexOf(':oidc-provider/') + ':oidc-provider/'.length);
}

function checkIrsa(resources: readonly CloudResource[], report: Report): void {
  for (const role of resources.filter((r) => r.type === 'aws:iam/role:Role')) {
    const at = `${role.type}/${role.name}`;
    const raw = role.props.assumeRolePolicy;
    const doc = policyDocument(raw);
    if (!doc) {
      // A trust policy that cannot be read may be a web-identity one: do not pass it unseen.
      if ((typeof raw === 'string' && raw.includes('AssumeRoleWithWebIdentity')) || typeof raw !== 'string') {
        report(
          'irsa-trust-scoped',
          at,
          `assumeRolePolicy cannot be read (${typeof raw === 'string' ? `"${raw.slice(0, 40)}"` : show(raw)}); render it as a JSON policy document`,
        );
      }
      continue;
    }
    const web = statements(doc).filter(
      (s) =>
        s.Effect !== 'Deny' &&
        actions(s).some((a) => a === 'sts:AssumeRoleWithWebIdentity' || a === 'sts:*' || a === '*'),
    );
    for (const [i, s] of web.entries()) {
      const federated = dict(s.Principal).Federated;
      if (typeof federated === 'string' && !federated.includes(':oidc-provider/') && federated !== '*')
        continue;
      const issuer = issuerOf(federated);
      const where = `assumeRolePolicy statement ${typeof s.Sid === 'string' ? s.Sid : i}`;
      if (!issuer) {
        report(
          'irsa-trust-scoped',
          at,
          `${where} trusts web identities of ${show(s.Principal)}; trust the cluster's OIDC provider (Principal.Federated arn:...:oidc-provider/<issuer>)`,
        );
        continue;
      }
      const conditions = dict(s.Condition);
      const equals = dict(conditions.StringEquals);
      const sub = list(equals[`${issuer}:sub`]);
      const aud = list(equals[`${issuer}:aud`]);
      const loose = Object.entries(conditions)
        .filter(([op]) => op !== 'StringEquals')
        .filter(([, v]) => Object.keys(dict(v)).some((k) => k.startsWith(`${issuer}:`)))
        .map(([op]) => op);
      if (loose.length > 0) {
        report(
          'irsa-trust-scoped',
          at,
          `${where} conditions ${issuer} claims with ${loose.join(', ')}; use only StringEquals with one exact subject`,
        );
      }
      if (sub.length !== 1 || typeof sub[0] !== 'string' || !SERVICE_ACCOUNT_SUBJECT.test(sub[0])) {
        report(
          'irsa-trust-scoped',
          at,
          `${where} has Condition.StringEquals["${issuer}:sub"] ${show(equals[`${issuer}:sub`])}; require exactly one "system:serviceaccount:<namespace>:<name>"`,
        );
      }
      if (aud.length !== 1 || aud[0] !== 'sts.amazonaws.com') {
        report(
          'irsa-trust-scoped',
          at,
          `${where} has Condition.StringEquals["${issuer}:aud"] ${show(equals[`${issuer}:aud`])}; require "sts.amazonaws.com"`,
        );
      }
    }
  }
}

/** The cloud rules, and image-source for Helm releases (catalogued with the Kubernetes rules). */
type Report = (rule: CloudRule | 'image-source' | 'image-digest', object: string, message: string) => void;

/**
 * Findings over the AWS resources and Helm releases of one stack; `object` is `<type>/<name>` of the resource
 * to fix. Every rule in CLOUD_POLICY_RULES is mandatory, so any finding should fail the plan; image-source
 * findings (Helm releases) take that rule's level. `options.environment` is the stack, as for checkPolicies.
 */
export function checkCloudResources(
  resources: readonly CloudResource[],
  options: CloudPolicyOptions = {},
): Finding[] {
  const findings: Finding[] = [];
  const report: Report = (rule, object, message) => findings.push({ rule, object, message });
  checkBuckets(resources, report);
  checkDisks(resources, report);
  checkEndpoint(resources, options, report);
  checkIrsa(resources, report);
  checkHelmReleases(resources, options.environment, report);
  return findings;
}

const HELM_RELEASE = 'kubernetes:helm.sh/v3:Release';

/**
 * Helm releases: the chart's source and exact version, and the images its values set (image-source, a rule of
 * the Kubernetes catalogue, reported here because a release is a Pulumi resource, not a Kubernetes object).
 * In uat/prod an image the values choose (their own repository) needs a digest like a pod's; a tag-only
 * override of the chart's repository (cluster-autoscaler's image.tag, the only values image in the plans)
 * is pinned like the chart's default images beside it, which the plan cannot see: by chart version and tag.
 */
function checkHelmReleases(
  resources: readonly CloudResource[],
  environment: string | undefined,
  report: Report,
): void {
  const digestEnv =
    environment !== undefined && PROTECTED_ENVIRONMENTS.has(environment) ? environment : undefined;
  for (const r of resources.filter((x) => x.type === HELM_RELEASE)) {
    const at = `${r.type}/${r.name}`;
    const refs = helmValuesImages(r.props.values);
    const problems = [
      ...chartProblems(r.props),
      ...refs.flatMap((ref) => imageProblems(ref, { defaultTag: ref.defaultTag })),
    ];
    for (const message of problems) report('image-source', at, message);
    for (const ref of refs.filter((x) => !x.chartRepository)) {
      const digest = digestProblem(ref, digestEnv);
      if (digest !== undefined) report('image-digest', at, digest);
    }
  }
}
