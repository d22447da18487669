/** The AWS partition of a region and its DNS suffix: ARNs and endpoints differ in China and GovCloud. */
export interface AwsPartition {
  readonly partition: 'aws' | 'aws-cn' | 'aws-us-gov';
  readonly dnsSuffix: string;
}

export function awsPartition(region: string): AwsPartition {
  if (region.startsWith('cn-')) return { partition: 'aws-cn', dnsSuffix: 'amazonaws.com.cn' };
  if (region.startsWith('us-gov-')) return { partition: 'aws-us-gov', dnsSuffix: 'amazonaws.com' };
  return { partition: 'aws', dnsSuffix: 'amazonaws.com' };
}
