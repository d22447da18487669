/** ECR repositories of an EKS environment live under this path: `platform/<service>`. */
export const REPOSITORY_PREFIX = 'platform';
