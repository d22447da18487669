/**
 * Value formats that the Kubernetes API server enforces but that kubernetes-types only types as `string`.
 * Patterns are written for ajv, which compiles them with the `u` flag (so no identity escapes such as `\-`).
 */

export interface StringRule {
  readonly pattern: string;
  readonly maxLength?: number;
  /** Completes "must be ..." in a violation message. */
  readonly description: string;
}

const DNS_LABEL = '[a-z0-9](?:[-a-z0-9]*[a-z0-9])?';
const DNS_SUBDOMAIN = `${DNS_LABEL}(?:\\.${DNS_LABEL})*`;
const LABEL_NAME = '(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const DECIMAL = '(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)';

/** resource.Quantity serialization format (apimachinery/pkg/api/resource), as used by controller-gen CRDs. */
export const QUANTITY: StringRule = {
  pattern: `^[+-]?${DECIMAL}(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?${DECIMAL})?$`,
  description: 'a Kubernetes quantity such as "250m", "1.5", "512Mi" or "2Gi"',
};

/** metav1.Time is serialized as RFC 3339. */
export const RFC3339_TIME: StringRule = {
  pattern:
    '^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]+)?(?:[Zz]|[+-][0-9]{2}:[0-9]{2})$',
  description: 'an RFC 3339 timestamp such as "2024-01-31T12:00:00Z"',
};

export const DNS1123_SUBDOMAIN: StringRule = {
  pattern: `^${DNS_SUBDOMAIN}$`,
  maxLength: 253,
  description:
    'a lowercase RFC 1123 subdomain: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit',
};

export const DNS1123_LABEL: StringRule = {
  pattern: `^${DNS_LABEL}$`,
  maxLength: 63,
  description:
    'a lowercase RFC 1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit',
};

export const DNS1035_LABEL: StringRule = {
  pattern: '^[a-z](?:[-a-z0-9]*[a-z0-9])?$',
  maxLength: 63,
  description:
    'a lowercase RFC 1035 label: lowercase letters, digits and "-", starting with a letter and ending with a letter or digit',
};

/** RBAC and flow-control objects only forbid what would break the URL path (e.g. "system:controller:x" is valid). */
export const PATH_SEGMENT_NAME: StringRule = {
  pattern: '^(?!\\.\\.?$)[^/%]+$',
  description: 'a valid path segment name: not "." or "..", and without "/" or "%"',
};

export const LABEL_VALUE: StringRule = {
  pattern: `^(?:${LABEL_NAME})?$`,
  maxLength: 63,
  description:
    'a valid label value: empty, or letters, digits, "-", "_" and ".", starting and ending with a letter or digit',
};

/** Label and annotation keys: optional DNS-subdomain prefix (<= 253) and "/", then a name (<= 63). */
export const QUALIFIED_NAME: StringRule = {
  pattern: `^(?:(?=[^/]{1,253}/)${DNS_SUBDOMAIN}/)?(?=[^/]{1,63}$)${LABEL_NAME}$`,
  description:
    'a qualified name: an optional DNS subdomain prefix and "/", then at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit',
};

const ALL_RULES: readonly StringRule[] = [
  QUANTITY,
  RFC3339_TIME,
  DNS1123_SUBDOMAIN,
  DNS1123_LABEL,
  DNS1035_LABEL,
  PATH_SEGMENT_NAME,
  LABEL_VALUE,
  QUALIFIED_NAME,
];

/** Lets the error formatter print a sentence instead of a regular expression. */
export function describePattern(pattern: string): string | undefined {
  return ALL_RULES.find((rule) => rule.pattern === pattern)?.description;
}

/** JSON Schema for a string that follows `rule`. */
export function stringSchema(rule: StringRule): Record<string, unknown> {
  return rule.maxLength === undefined
    ? { type: 'string', pattern: rule.pattern }
    : { type: 'string', maxLength: rule.maxLength, pattern: rule.pattern };
}

/** How Kubernetes validates `metadata.name` of a top-level object (apimachinery and per-kind ValidateXName). */
export function nameRuleFor(apiVersion: string, kind: string): StringRule {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  if (group === '' && kind === 'Namespace') return DNS1123_LABEL;
  if (group === '' && kind === 'Service') return DNS1035_LABEL;
  if (group === 'rbac.authorization.k8s.io' || group === 'flowcontrol.apiserver.k8s.io')
    return PATH_SEGMENT_NAME;
  return DNS1123_SUBDOMAIN;
}

/** Review and token requests are create-only calls whose name Kubernetes neither needs nor checks. */
const NAMELESS_KINDS: ReadonlySet<string> = new Set([
  'authentication.k8s.io/TokenReview',
  'authentication.k8s.io/TokenRequest',
  'authentication.k8s.io/SelfSubjectReview',
  'authorization.k8s.io/SubjectAccessReview',
  'authorization.k8s.io/SelfSubjectAccessReview',
  'authorization.k8s.io/SelfSubjectRulesReview',
  'authorization.k8s.io/LocalSubjectAccessReview',
]);

export function requiresName(apiVersion: string, kind: string): boolean {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return !NAMELESS_KINDS.has(`${group}/${kind}`);
}
