/**
 * Container image references, `registry[:port]/path/name[:tag][@sha256:<64 hex>]`, checked part by part so
 * that an error names the part that is wrong instead of echoing (and cutting) a long reference.
 */
export interface ImageRef {
  /** Registry host with optional port, e.g. "registry.internal:5000". */
  readonly registry: string;
  /** Path after the registry, e.g. "platform/product". */
  readonly repository: string;
  readonly tag?: string;
  /** "sha256:<64 hex>". */
  readonly digest?: string;
}

const COMPONENT = /^[a-z0-9]+([._-][a-z0-9]+)*$/;
const HOST = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** Quotes a part of a reference for a message, keeping both ends of a long one. */
export function quotePart(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 40)}...${text.slice(-30)}` : text);
}

/** Parses a reference, or says which part is malformed and what that part allows. */
export function parseImageRef(ref: string): { ok: true; image: ImageRef } | { ok: false; problem: string } {
  const fail = (problem: string) => ({ ok: false as const, problem });
  if (ref.trim() !== ref || ref === '') return fail('must be an image reference without spaces');
  const at = ref.indexOf('@');
  const named = at === -1 ? ref : ref.slice(0, at);
  const digest = at === -1 ? undefined : ref.slice(at + 1);
  if (digest !== undefined && !DIGEST.test(digest)) {
    const hex = digest.startsWith('sha256:') ? digest.slice('sha256:'.length) : undefined;
    return fail(
      hex === undefined
        ? `digest ${quotePart(digest)} must start with "sha256:"`
        : `digest must be "sha256:" and 64 lowercase hex characters (got ${hex.length} characters: ${quotePart(hex)})`,
    );
  }
  const slash = named.lastIndexOf('/');
  const colon = named.lastIndexOf(':');
  const tag = colon > slash ? named.slice(colon + 1) : undefined;
  const path = colon > slash ? named.slice(0, colon) : named;
  if (tag !== undefined && !TAG.test(tag)) {
    return fail(
      `tag ${quotePart(tag)} is not a valid tag: 1-128 letters, digits, "_", "." or "-", not starting with "." or "-"`,
    );
  }
  const parts = path.split('/');
  if (parts.length < 2) {
    return fail(
      `must name its registry, such as "registry.internal/platform/${path || 'name'}:1.0.0" (got ${quotePart(path)})`,
    );
  }
  const [registry = '', ...rest] = parts;
  if (!HOST.test(registry)) {
    return fail(`registry ${quotePart(registry)} is not a host name with an optional port`);
  }
  for (const component of rest) {
    if (!COMPONENT.test(component)) {
      return fail(
        `repository part ${quotePart(component)} must be lowercase letters and digits, separated by ".", "_" or "-"`,
      );
    }
  }
  if (tag === undefined && digest === undefined) {
    return fail(`must pin a tag or a digest (no implicit latest), e.g. "${path}:1.0.0"`);
  }
  if (tag === 'latest') return fail('must not use the "latest" tag: pin a version or a digest');
  return {
    ok: true,
    image: {
      registry,
      repository: rest.join('/'),
      ...(tag !== undefined && { tag }),
      ...(digest !== undefined && { digest }),
    },
  };
}
