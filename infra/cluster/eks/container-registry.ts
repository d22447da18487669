import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { REPOSITORY_PREFIX } from '../../lib';
import type { ImageRetention } from './eks-cluster-args';

export { REPOSITORY_PREFIX };

/**
 * ECR lifecycle policy: untagged images expire after `untaggedDays`; of the tagged ones only the newest
 * `taggedImages` stay. Images are promoted by digest, so a tag is never rewritten (IMMUTABLE) and the
 * count is a history depth, not a cache.
 */
export function ecrLifecyclePolicy(retention: ImageRetention) {
  return {
    rules: [
      {
        rulePriority: 1,
        description: `expire untagged images after ${retention.untaggedDays} days`,
        selection: {
          tagStatus: 'untagged',
          countType: 'sinceImagePushed',
          countUnit: 'days',
          countNumber: retention.untaggedDays,
        },
        action: { type: 'expire' },
      },
      {
        rulePriority: 2,
        description: `keep the newest ${retention.taggedImages} tagged images`,
        selection: {
          tagStatus: 'tagged',
          tagPatternList: ['*'],
          countType: 'imageCountMoreThan',
          countNumber: retention.taggedImages,
        },
        action: { type: 'expire' },
      },
    ],
  };
}

export interface ContainerRegistryArgs {
  readonly services: readonly string[];
  readonly retention: ImageRetention;
  readonly tags: Readonly<Record<string, string>>;
}

/** One ECR repository per service: immutable tags, scanned on push, encrypted with KMS, pruned by policy. */
export class ContainerRegistry extends pulumi.ComponentResource {
  readonly repositories: Readonly<Record<string, aws.ecr.Repository>>;
  /** Repository URL per service. */
  readonly repositoryUrls: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: ContainerRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super('platform:eks:ContainerRegistry', name, {}, opts);
    const policy = JSON.stringify(ecrLifecyclePolicy(args.retention));
    const repositories: Record<string, aws.ecr.Repository> = {};
    for (const service of args.services) {
      const repo = new aws.ecr.Repository(
        `${name}-${service}`,
        {
          name: `${REPOSITORY_PREFIX}/${service}`,
          imageTagMutability: 'IMMUTABLE',
          imageScanningConfiguration: { scanOnPush: true },
          // The account's AWS-managed ECR key: KMS at rest without a key of our own to administer.
          encryptionConfigurations: [{ encryptionType: 'KMS' }],
          // Deleting the stack must not silently delete released images.
          forceDelete: false,
          tags: { ...args.tags },
        },
        { parent: this },
      );
      new aws.ecr.LifecyclePolicy(`${name}-${service}`, { repository: repo.name, policy }, { parent: this });
      repositories[service] = repo;
    }
    this.repositories = repositories;
    this.repositoryUrls = pulumi.all(
      Object.fromEntries(
        Object.entries(repositories).map(([service, repo]) => [service, repo.repositoryUrl]),
      ),
    );
    this.registerOutputs({ repositoryUrls: this.repositoryUrls });
  }
}

/**
 * The registry-level ECR replication of the platform's repositories (prefix `platform/`) to other regions
 * of the same account (DR: the standby pulls from its own region's ECR). One configuration per registry
 * and region, so only the stack that owns the account's repositories may declare it.
 */
export function ecrReplicationRules(
  registryId: pulumi.Input<string>,
  regions: readonly string[],
): aws.ecr.ReplicationConfigurationArgs['replicationConfiguration'] {
  return {
    rules: [
      {
        destinations: regions.map((region) => ({ region, registryId })),
        repositoryFilters: [{ filter: REPOSITORY_PREFIX, filterType: 'PREFIX_MATCH' }],
      },
    ],
  };
}
