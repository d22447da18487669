import { parseImageRef, type ImageRef } from '../../stacks/spec/image-ref';
import { checkPromotion } from './promotion';
import { checkReleaseRequest } from './release-request';
import { previousEnvironment } from './environments';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;
const ref = (s: string): ImageRef => {
  const p = parseImageRef(s);
  if (!p.ok) throw new Error(p.problem);
  return p.image;
};

describe('promotion order', () => {
  it('is dev -> qat -> uat -> prod', () => {
    expect(['dev', 'qat', 'uat', 'prod'].map((e) => previousEnvironment(e as 'dev'))).toEqual([
      undefined,
      'dev',
      'qat',
      'uat',
    ]);
  });

  it('accepts the digest the previous environment runs, from another registry', () => {
    expect(
      checkPromotion(
        'order',
        'uat',
        `111122223333.dkr.ecr.eu-west-1.amazonaws.com/platform/order@${D1}`,
        ref(`444455556666.dkr.ecr.eu-west-1.amazonaws.com/platform/order@${D1}`),
      ),
    ).toBeUndefined();
    // A tag beside the digest is informative; the digest decides.
    expect(
      checkPromotion('order', 'qat', `r.io/platform/order:1.2@${D1}`, ref(`r2.io/platform/order@${D1}`)),
    ).toBeUndefined();
  });

  it('refuses a digest the previous environment does not run, naming it and what it runs', () => {
    expect(
      checkPromotion('order', 'uat', `r.io/platform/order@${D1}`, ref(`r.io/platform/order@${D2}`)),
    ).toBe(
      `digest ${D2} is not running in uat: uat runs "r.io/platform/order@${D1}" (Pulumi.uat.yaml); ` +
        'release it to uat first, or promote what uat runs',
    );
    expect(
      checkPromotion('order', 'qat', 'r.io/platform/order:0.1.0', ref(`r.io/platform/order@${D1}`)),
    ).toBe(
      `digest ${D1} is not running in qat: qat runs "r.io/platform/order:0.1.0" (Pulumi.qat.yaml), a tag without digest; release the digest to qat first`,
    );
  });

  it('refuses the same digest from another repository', () => {
    expect(
      checkPromotion('order', 'uat', `r.io/platform/order@${D1}`, ref(`r.io/platform/user@${D1}`)),
    ).toMatch(/^repository "platform\/user" is not the one uat runs: uat runs "r.io\/platform\/order@/);
  });

  it('takes a tag into qat only when dev runs that tag', () => {
    expect(
      checkPromotion('order', 'dev', 'r.io/platform/order:0.2.0', ref('r.io/platform/order:0.2.0')),
    ).toBeUndefined();
    expect(
      checkPromotion('order', 'dev', 'r.io/platform/order:0.1.0', ref('r.io/platform/order:0.2.0')),
    ).toBe(
      'tag "0.2.0" is not running in dev: dev runs "r.io/platform/order:0.1.0" (Pulumi.dev.yaml); release it to dev first',
    );
  });

  it('refuses when the previous environment does not run the service', () => {
    expect(checkPromotion('order', 'qat', undefined, ref(`r.io/platform/order@${D1}`))).toBe(
      'qat does not run order (Pulumi.qat.yaml declares no platform:services.order.image); release it to qat first',
    );
  });
});

describe('checkReleaseRequest', () => {
  it('refuses an unknown environment and service and a malformed image, all at once', () => {
    expect(checkReleaseRequest('stage', 'cart', 'nope')).toEqual({
      ok: false,
      problems: [
        'environment must be one of dev | qat | uat | prod (got "stage")',
        'service must be one of the catalog\'s services user | product | order | notification | analytics (got "cart")',
        'image must name its registry, such as "registry.internal/platform/nope:1.0.0" (got "nope")',
      ],
    });
    expect(checkReleaseRequest('dev', 'order', 'r.io/platform/order@sha256:abc')).toEqual({
      ok: false,
      problems: ['image digest must be "sha256:" and 64 lowercase hex characters (got 3 characters: "abc")'],
    });
  });

  it.each(['uat', 'prod'])('refuses a tag without digest in %s', (env) => {
    const result = checkReleaseRequest(env, 'order', 'r.io/platform/order:1.0.0');
    expect(result).toEqual({
      ok: false,
      problems: [
        `image must be pinned by digest in ${env} ("<registry>/<repository>@sha256:<64 hex>"); got the tag "1.0.0" ` +
          'without digest. uat and prod run only digests, so what was tested is what runs; promote the digest the environment before runs',
      ],
    });
  });

  it.each(['dev', 'qat'])('takes a tag in %s with a warning that uat and prod need the digest', (env) => {
    const result = checkReleaseRequest(env, 'order', 'r.io/platform/order:1.0.0');
    expect(result.ok).toBe(true);
    expect(result.ok && result.warnings).toEqual([
      `image is a tag ("1.0.0") without digest: ${env} accepts it, but uat and prod will need the digest ` +
        '("…@sha256:<64 hex>") and take only a digest the environment before them runs; release the digest here to keep the chain',
    ]);
    expect(checkReleaseRequest(env, 'order', `r.io/platform/order@${D1}`)).toMatchObject({
      ok: true,
      warnings: [],
    });
  });
});
