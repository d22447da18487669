import {
  DNS1035_LABEL,
  DNS1123_LABEL,
  DNS1123_SUBDOMAIN,
  LABEL_VALUE,
  PATH_SEGMENT_NAME,
  QUALIFIED_NAME,
  QUANTITY,
  nameRuleFor,
} from './kubernetes-patterns';
import type { StringRule } from './kubernetes-patterns';

/** Same semantics as ajv: `u` flag plus maxLength in code points. */
function accepts(rule: StringRule, value: string): boolean {
  return new RegExp(rule.pattern, 'u').test(value) && [...value].length <= (rule.maxLength ?? Infinity);
}

describe('Kubernetes string formats', () => {
  it.each(['1', '0.5', '.5', '250m', '1.5Gi', '512Mi', '2k', '1e3', '1E-3', '+1', '-1', '100n', '10u'])(
    'accepts the quantity %j',
    (value) => expect(accepts(QUANTITY, value)).toBe(true),
  );

  it.each(['12 GB', '1GB', '1gi', 'Gi', '', '1.2.3', '1Ki2', ' 1'])('rejects the quantity %j', (value) =>
    expect(accepts(QUANTITY, value)).toBe(false),
  );

  it('accepts DNS subdomains up to 253 characters and rejects uppercase, underscores and edge dashes', () => {
    expect(accepts(DNS1123_SUBDOMAIN, 'web-1.shop.example')).toBe(true);
    expect(
      accepts(DNS1123_SUBDOMAIN, `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`),
    ).toBe(true);
    expect(accepts(DNS1123_SUBDOMAIN, 'a'.repeat(254))).toBe(false);
    for (const bad of ['Web', 'web_1', '-web', 'web-', 'web..shop', ''])
      expect(accepts(DNS1123_SUBDOMAIN, bad)).toBe(false);
  });

  it('tells DNS labels (no dots, may start with a digit) from RFC 1035 labels (start with a letter)', () => {
    expect(accepts(DNS1123_LABEL, '1web')).toBe(true);
    expect(accepts(DNS1123_LABEL, 'web.shop')).toBe(false);
    expect(accepts(DNS1123_LABEL, 'a'.repeat(64))).toBe(false);
    expect(accepts(DNS1035_LABEL, 'web-1')).toBe(true);
    expect(accepts(DNS1035_LABEL, '1web')).toBe(false);
  });

  it('accepts RBAC-style names with colons but not path separators or dot segments', () => {
    expect(accepts(PATH_SEGMENT_NAME, 'system:controller:web')).toBe(true);
    for (const bad of ['a/b', '50%', '.', '..']) expect(accepts(PATH_SEGMENT_NAME, bad)).toBe(false);
  });

  it('accepts label values up to 63 characters, including the empty value', () => {
    for (const good of ['', 'web', 'v1.2.3', 'A_b-c']) expect(accepts(LABEL_VALUE, good)).toBe(true);
    for (const bad of ['-web', 'web.', 'a b', 'v'.repeat(64)]) expect(accepts(LABEL_VALUE, bad)).toBe(false);
  });

  it('accepts label keys with an optional DNS prefix and a name of at most 63 characters', () => {
    for (const good of ['app', 'app.kubernetes.io/name', 'Team_Name', `example.com/${'n'.repeat(63)}`]) {
      expect(accepts(QUALIFIED_NAME, good)).toBe(true);
    }
    for (const bad of [
      '',
      'a b',
      '/name',
      'Example.com/name',
      'a/b/c',
      'n'.repeat(64),
      `x/${'n'.repeat(64)}`,
    ]) {
      expect(accepts(QUALIFIED_NAME, bad)).toBe(false);
    }
  });

  it('picks the name rule Kubernetes applies to each kind', () => {
    expect(nameRuleFor('v1', 'Namespace')).toBe(DNS1123_LABEL);
    expect(nameRuleFor('v1', 'Service')).toBe(DNS1035_LABEL);
    expect(nameRuleFor('rbac.authorization.k8s.io/v1', 'ClusterRole')).toBe(PATH_SEGMENT_NAME);
    expect(nameRuleFor('apps/v1', 'Deployment')).toBe(DNS1123_SUBDOMAIN);
    expect(nameRuleFor('serving.knative.dev/v1', 'Service')).toBe(DNS1123_SUBDOMAIN);
  });
});
