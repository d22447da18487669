import { parseImageRef, type ImageRef } from '../../stacks/spec/image-ref';
import type { Environment } from './environments';

/**
 * Whether `next` may enter an environment whose predecessor runs `previous` (as its stack file says).
 * The same image is the same digest in the same repository: registries differ by design (each environment
 * pulls from its own registry, the on-prem one or its account's ECR, and a digest is the content's hash,
 * so a copied image keeps it), so the registry host is not compared, the repository path is. A tag-only
 * release (qat only: uat and prod refuse tags) must match the predecessor's repository and tag; tags can
 * move, which is why the digest-only environments exist.
 *
 * Returns the reason for refusing, or undefined when the promotion is allowed.
 */
export function checkPromotion(
  service: string,
  previousEnv: Environment,
  previousImage: string | undefined,
  next: ImageRef,
): string | undefined {
  const file = `Pulumi.${previousEnv}.yaml`;
  if (previousImage === undefined) {
    return `${previousEnv} does not run ${service} (${file} declares no platform:services.${service}.image); release it to ${previousEnv} first`;
  }
  const parsed = parseImageRef(previousImage);
  if (!parsed.ok) {
    return `${previousEnv}'s image for ${service} (${file}) is not a valid reference (${parsed.problem}); fix ${previousEnv} first`;
  }
  const prev = parsed.image;
  const runs = `${previousEnv} runs ${JSON.stringify(previousImage)} (${file})`;
  if (prev.repository !== next.repository) {
    return `repository "${next.repository}" is not the one ${previousEnv} runs: ${runs}; promote the image ${previousEnv} runs`;
  }
  if (next.digest !== undefined) {
    if (prev.digest === next.digest) return undefined;
    return prev.digest === undefined
      ? `digest ${next.digest} is not running in ${previousEnv}: ${runs}, a tag without digest; release the digest to ${previousEnv} first`
      : `digest ${next.digest} is not running in ${previousEnv}: ${runs}; release it to ${previousEnv} first, or promote what ${previousEnv} runs`;
  }
  if (prev.tag !== undefined && prev.tag === next.tag) return undefined;
  return `tag "${next.tag ?? ''}" is not running in ${previousEnv}: ${runs}; release it to ${previousEnv} first`;
}
