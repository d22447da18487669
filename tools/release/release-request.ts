import { SERVICE_NAMES, type ServiceName, isServiceName } from '../../stacks/service-catalog';
import { parseImageRef, type ImageRef } from '../../stacks/spec/image-ref';
import { DIGEST_ONLY, ENVIRONMENTS, isEnvironment, type Environment } from './environments';

/** A release the command line asked for, every part checked. */
export interface ReleaseRequest {
  readonly env: Environment;
  readonly service: ServiceName;
  /** The reference exactly as given (it is written to the stack file as is). */
  readonly image: string;
  readonly ref: ImageRef;
}

export type Checked =
  | { readonly ok: true; readonly request: ReleaseRequest; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Checks the three arguments on their own (before any file is read): the environment, the service against
 * the catalog, and the image reference (the stack schema's parser, so the command and the plan agree).
 * A tag without digest is refused where the stack requires digests and warned about elsewhere.
 */
export function checkReleaseRequest(env: string, service: string, image: string): Checked {
  const problems: string[] = [];
  if (!isEnvironment(env)) {
    problems.push(`environment must be one of ${ENVIRONMENTS.join(' | ')} (got ${JSON.stringify(env)})`);
  }
  if (!isServiceName(service)) {
    problems.push(
      `service must be one of the catalog's services ${SERVICE_NAMES.join(' | ')} (got ${JSON.stringify(service)})`,
    );
  }
  const parsed = parseImageRef(image);
  if (!parsed.ok) problems.push(`image ${parsed.problem}`);
  if (!parsed.ok || !isEnvironment(env) || !isServiceName(service)) return { ok: false, problems };

  const warnings: string[] = [];
  if (parsed.image.digest === undefined) {
    if (DIGEST_ONLY.includes(env)) {
      return {
        ok: false,
        problems: [
          `image must be pinned by digest in ${env} ("<registry>/<repository>@sha256:<64 hex>"); ` +
            `got the tag ${JSON.stringify(parsed.image.tag)} without digest. ${DIGEST_ONLY.join(' and ')} run only ` +
            `digests, so what was tested is what runs; promote the digest the environment before runs`,
        ],
      };
    }
    warnings.push(
      `image is a tag (${JSON.stringify(parsed.image.tag)}) without digest: ${env} accepts it, but ` +
        `${DIGEST_ONLY.join(' and ')} will need the digest ("…@sha256:<64 hex>") and take only a digest the ` +
        `environment before them runs; release the digest here to keep the chain`,
    );
  }
  return { ok: true, request: { env, service, image, ref: parsed.image }, warnings };
}
