import { REPOSITORY_PREFIX } from '../../infra/lib';
import type { ConfigProblem } from './config-error';
import { parseImageRef, quotePart } from './image-ref';
import type { ClusterSpec } from './types';

/**
 * Where a service's image must come from: the environment's own registry (on prem, `cluster.registry`; on
 * EKS, the stack's ECR in the cluster's region) and the service's own repository in it. An image from
 * anywhere else is either a supply-chain hole or a copy-paste slip (another service's image).
 */
export function checkServiceImage(
  path: string,
  service: string,
  ref: string,
  cluster: ClusterSpec | undefined,
): ConfigProblem[] {
  const parsed = parseImageRef(ref);
  // A malformed reference is reported by the schema; an unresolved cluster by its own checks.
  if (!parsed.ok || cluster === undefined) return [];
  const { registry, repository } = parsed.image;
  const at = (message: string): ConfigProblem[] => [{ path, message }];
  if (cluster.tier === 'onprem') {
    const expected = `${cluster.registry}/${service}`;
    const actual = `${registry}/${repository}`;
    if (actual === expected) return [];
    if (!`${actual}/`.startsWith(`${cluster.registry}/`)) {
      return at(
        `must come from this environment's registry ${quotePart(cluster.registry)} (platform:cluster.registry), ` +
          `as ${quotePart(`${expected}:<tag>`)}; got registry and repository ${quotePart(actual)}`,
      );
    }
    return at(`must be the ${service} service's repository ${quotePart(expected)}, not ${quotePart(actual)}`);
  }
  const ecr = new RegExp(`^\\d{12}\\.dkr\\.ecr\\.${cluster.region.replace(/-/g, '\\-')}\\.amazonaws\\.com$`);
  const expectedRepository = `${REPOSITORY_PREFIX}/${service}`;
  if (!ecr.test(registry)) {
    return at(
      `must come from this stack's ECR registry "<account>.dkr.ecr.${cluster.region}.amazonaws.com" ` +
        `(the cluster's region), got registry ${quotePart(registry)}`,
    );
  }
  if (repository !== expectedRepository) {
    return at(
      `must be the ${service} service's repository ${quotePart(expectedRepository)}, not ${quotePart(repository)}`,
    );
  }
  return [];
}
