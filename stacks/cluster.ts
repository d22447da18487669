import type * as pulumi from '@pulumi/pulumi';
import { EksCluster, IrsaRole, OnPremCluster, type ClusterAccess } from '../infra/cluster';
import type { LoadedEnvironment } from './config';

export interface CreatedCluster {
  readonly access: ClusterAccess;
  /** Annotations for cert-manager's service account (its Route 53 role on EKS with ACME). */
  readonly certManagerServiceAccountAnnotations?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** cert-manager's release runs as this service account (the chart's default name). */
const CERT_MANAGER_SERVICE_ACCOUNT = 'cert-manager';

/**
 * The one place that branches on the tier: it picks the cluster component, and everything downstream
 * takes the ClusterAccess it returns.
 */
export function createCluster({ spec, secrets }: LoadedEnvironment): CreatedCluster {
  const c = spec.cluster;
  const name = `${spec.name}-cluster`;
  if (c.tier === 'onprem') {
    const cluster = new OnPremCluster(name, {
      ...(secrets.kubeconfig !== undefined && { kubeconfig: secrets.kubeconfig }),
      ...(c.context !== undefined && { context: c.context }),
      storageClass: c.storageClass,
      loadBalancer: c.loadBalancer,
      registry: c.registry,
      zones: c.zones,
      metricsServer: c.metricsServer,
    });
    return { access: cluster.access };
  }

  const tags = { environment: spec.name, project: 'platform', 'managed-by': 'pulumi' };
  const cluster = new EksCluster(name, {
    environment: spec.name,
    region: c.region,
    availabilityZones: c.availabilityZones,
    vpcCidr: c.vpcCidr,
    publicSubnetCidrs: c.publicSubnetCidrs,
    privateSubnetCidrs: c.privateSubnetCidrs,
    natGateways: c.natGateways,
    serviceCidr: c.serviceCidr,
    kubernetesVersion: c.kubernetesVersion,
    admins: c.admins,
    publicAccessCidrs: c.publicAccessCidrs,
    amiType: c.amiType,
    nodeGroups: c.nodeGroups,
    services: spec.services.map((s) => s.name),
    secretsManagerPrefix: c.secretsManagerPrefix,
    tags,
  });
  if (spec.certificates.issuer !== 'acme') return { access: cluster.access };

  // DNS-01 on Route 53: cert-manager may change records in the one hosted zone, nothing else.
  const zone = spec.certificates.acme.hostedZoneId;
  const certManagerRole = new IrsaRole(
    `${name}-cert-manager`,
    {
      roleName: `platform-${spec.name}-cert-manager`,
      description: `cert-manager DNS-01 in hosted zone ${zone} (${spec.name})`,
      oidcProviderArn: cluster.oidcProviderArn,
      oidcIssuer: cluster.oidcIssuer,
      namespace: spec.namespaces.platform,
      serviceAccount: CERT_MANAGER_SERVICE_ACCOUNT,
      policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets'],
            Resource: `arn:aws:route53:::hostedzone/${zone}`,
          },
          { Effect: 'Allow', Action: 'route53:GetChange', Resource: 'arn:aws:route53:::change/*' },
          { Effect: 'Allow', Action: 'route53:ListHostedZonesByName', Resource: '*' },
        ],
      },
      tags,
    },
    { parent: cluster, providers: [cluster.awsProvider] },
  );
  return {
    access: cluster.access,
    certManagerServiceAccountAnnotations: { 'eks.amazonaws.com/role-arn': certManagerRole.arn },
  };
}
