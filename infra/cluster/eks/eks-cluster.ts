import * as aws from '@pulumi/aws';
import * as eks from '@pulumi/eks';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { CHARTS } from '../../versions';
import type { ClusterAccess, GatewayExposure } from '../cluster-info';
import { awsPartition } from './aws-partition';
import type { ClusterContext } from './cluster-context';
import { ClusterAutoscaler } from './cluster-autoscaler';
import { ContainerRegistry, REPOSITORY_PREFIX } from './container-registry';
import { EbsStorage } from './ebs-storage';
import {
  assertValidEksClusterArgs,
  DEFAULT_IMAGE_RETENTION,
  DEFAULT_LOG_RETENTION_DAYS,
  type EksClusterArgs,
  type NodeGroupName,
} from './eks-cluster-args';
import { ExternalDns } from './external-dns';
import { ExternalSecrets } from './external-secrets';
import { pinnedRelease } from '../../kubernetes';
import { LoadBalancerController } from './load-balancer-controller';
import { EksNetwork } from './network';
import { DATA_TAINT, NodeGroups, POOL_LABEL } from './node-groups';

/** The controllers that get their own IRSA role. */
export type IrsaController =
  'ebsCsiDriver' | 'loadBalancerController' | 'clusterAutoscaler' | 'externalSecrets';

export const STORAGE_CLASS = 'gp3';
export const CLUSTER_SECRET_STORE = 'aws-secrets-manager';
/** Control-plane log types sent to CloudWatch: who called the API, what changed, who authenticated. */
export const CONTROL_PLANE_LOG_TYPES = ['api', 'audit', 'authenticator'] as const;

/** The gateway's Service becomes an internet-facing NLB owned by the AWS Load Balancer Controller. */
export const NLB_GATEWAY_EXPOSURE: GatewayExposure = {
  serviceType: 'LoadBalancer',
  serviceAnnotations: {
    // "external" hands the Service to the AWS Load Balancer Controller instead of the legacy in-tree one.
    'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
    // Targets are the Envoy pods themselves: no extra node hop, and client IPs survive.
    'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
    'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
    // Envoy pods need not run in every zone; spread requests over all of them regardless.
    'service.beta.kubernetes.io/aws-load-balancer-attributes': 'load_balancing.cross_zone.enabled=true',
  },
};

/** Options of the component beyond the environment's checked args. */
export interface EksClusterOptions {
  /**
   * 'replicated' (the DR standby): ECR replication from the primary region creates the repositories, with the
   * same names, so none is declared here (declaring them would fight the replication). @default 'own'
   */
  readonly repositories?: 'own' | 'replicated';
}

/** Access entry key for a principal: readable and stable when the list is reordered. */
function accessEntryKey(arn: string): string {
  const [, , , , account = '', resource = ''] = arn.split(':');
  return `${account}-${resource}`.replace(/[^A-Za-z0-9-]+/g, '-');
}

/**
 * An EKS environment (uat, prod): VPC over three zones, the EKS control plane (API authentication with
 * access entries, OIDC for IRSA, secrets encrypted with a dedicated KMS key, control-plane logs), three
 * managed node groups, the add-ons every workload relies on (CoreDNS, EBS CSI with a gp3 default
 * StorageClass, AWS Load Balancer Controller, metrics-server, Cluster Autoscaler, External Secrets with a
 * ClusterSecretStore, ExternalDNS when `dns` names a Route 53 zone) and the ECR repositories of the
 * services. `access` is what the rest of the environment deploys with.
 *
 * AWS resources use a provider of this component pinned to `region`, so the stack's ambient AWS region
 * can never put the environment somewhere else.
 */
export class EksCluster extends pulumi.ComponentResource {
  readonly access: ClusterAccess;
  /** Physical name of the EKS cluster. */
  readonly clusterName: pulumi.Output<string>;
  readonly oidcProviderArn: pulumi.Output<string>;
  readonly oidcIssuer: pulumi.Output<string>;
  readonly vpcId: pulumi.Output<string>;
  readonly privateSubnetIds: pulumi.Output<string[]>;
  readonly publicSubnetIds: pulumi.Output<string[]>;
  /** The VPC's block and its private route tables (one per zone), for RegionPeering. */
  readonly vpcCidr: string;
  readonly privateRouteTableIds: pulumi.Output<string>[];
  /** kubeconfig (exec-based, `aws eks get-token`), as a secret. */
  readonly kubeconfig: pulumi.Output<string>;
  /** ECR repository URL per service. */
  readonly repositoryUrls: pulumi.Output<Record<string, string>>;
  /** The IRSA role of each controller. */
  readonly irsaRoles: Readonly<Record<IrsaController, aws.iam.Role>> & {
    /** ExternalDNS's role, when `dns` is set. */
    readonly externalDns?: aws.iam.Role;
  };
  readonly nodeGroups: Readonly<Record<NodeGroupName, aws.eks.NodeGroup>>;
  readonly awsProvider: aws.Provider;
  readonly provider: k8s.Provider;

  constructor(
    name: string,
    args: EksClusterArgs & EksClusterOptions,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    // Before anything is registered: a bad environment must not leave half a plan behind.
    assertValidEksClusterArgs(name, args);
    super('platform:cluster:EksCluster', name, {}, opts);

    const clusterName = `platform-${args.environment}`;
    const { partition, dnsSuffix } = awsPartition(args.region);
    const tags = { ...args.tags };
    this.awsProvider = new aws.Provider(`${name}-aws`, { region: args.region }, { parent: this });
    const onAws = { parent: this, provider: this.awsProvider };
    // Every new EBS volume in the region is encrypted, the managed node groups' root disks included (EKS
    // boots them from its own launch template, which sets no encryption). A region-wide account setting.
    new aws.ebs.EncryptionByDefault(`${name}-ebs-encryption`, { enabled: true }, onAws);
    const childOfAws = { parent: this, providers: [this.awsProvider] };

    const secretsKey = new aws.kms.Key(
      `${name}-secrets-key`,
      {
        description: `Envelope encryption of the Kubernetes Secrets of ${clusterName}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        tags,
      },
      onAws,
    );
    new aws.kms.Alias(
      `${name}-secrets-key`,
      { name: `alias/${clusterName}-secrets`, targetKeyId: secretsKey.keyId },
      onAws,
    );
    // EKS writes to this group; created here so it has a retention (EKS would keep logs forever).
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-control-plane-logs`,
      {
        name: `/aws/eks/${clusterName}/cluster`,
        retentionInDays: args.controlPlaneLogRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
        tags,
      },
      onAws,
    );

    const network = new EksNetwork(
      `${name}-network`,
      {
        clusterName,
        vpcCidr: args.vpcCidr,
        availabilityZones: args.availabilityZones,
        publicSubnetCidrs: args.publicSubnetCidrs,
        privateSubnetCidrs: args.privateSubnetCidrs,
        natGateways: args.natGateways,
        tags,
      },
      childOfAws,
    );

    const publicEndpoint = args.publicAccessCidrs.length > 0;
    const cluster = new eks.Cluster(
      `${name}-cluster`,
      {
        name: clusterName,
        version: args.kubernetesVersion,
        vpcId: network.vpcId,
        publicSubnetIds: network.publicSubnetIds,
        privateSubnetIds: network.privateSubnetIds,
        ...(args.serviceCidr !== undefined && { kubernetesServiceIpAddressRange: args.serviceCidr }),
        // Nodes and in-VPC callers always use the private endpoint; the public one only for listed CIDRs.
        endpointPrivateAccess: true,
        endpointPublicAccess: publicEndpoint,
        ...(publicEndpoint && { publicAccessCidrs: [...args.publicAccessCidrs] }),
        authenticationMode: eks.AuthenticationMode.Api,
        accessEntries: Object.fromEntries(
          args.admins.map((arn) => [
            accessEntryKey(arn),
            {
              principalArn: arn,
              type: eks.AccessEntryType.Standard,
              accessPolicies: {
                'cluster-admin': {
                  policyArn: `arn:${partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
                  accessScope: { type: 'cluster' },
                },
              },
            },
          ]),
        ),
        createOidcProvider: true,
        encryptionConfigKeyArn: secretsKey.arn,
        enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
        // Our managed node groups replace the default self-managed group and the security groups made for it:
        // managed nodes use the cluster security group EKS creates.
        skipDefaultNodeGroup: true,
        skipDefaultSecurityGroups: true,
        // Without a default node group the CoreDNS add-on is ours, created once nodes exist (below).
        corednsAddonOptions: { enabled: false },
        tags,
      },
      { parent: this, providers: { aws: this.awsProvider }, dependsOn: [logGroup] },
    );

    this.provider = new k8s.Provider(
      `${name}-k8s`,
      {
        kubeconfig: cluster.kubeconfigJson,
        // Server-side apply lets controllers (HPA, operators) own their fields without fights.
        enableServerSideApply: true,
        deleteUnreachable: false,
      },
      { parent: this },
    );
    const childOfBoth = { parent: this, providers: [this.awsProvider, this.provider] };

    const nodes = new NodeGroups(
      `${name}-nodes`,
      {
        clusterName,
        kubernetesVersion: args.kubernetesVersion,
        roleName: `${clusterName}-nodes`,
        subnetIds: network.privateSubnetIds,
        amiType: args.amiType,
        groups: args.nodeGroups,
        partition,
        tags,
        dependsOn: [cluster, ...network.ready],
      },
      childOfAws,
    );
    const nodeGroups = Object.values(nodes.groups);
    const coredns = new aws.eks.Addon(
      `${name}-coredns`,
      {
        clusterName,
        addonName: 'coredns',
        resolveConflictsOnCreate: 'OVERWRITE',
        resolveConflictsOnUpdate: 'OVERWRITE',
        tags,
      },
      // CoreDNS only becomes ACTIVE once its pods run: nodes first.
      { ...onAws, dependsOn: [cluster, ...nodeGroups] },
    );

    const oidcIssuer = cluster.oidcIssuer.apply((issuer) => issuer.replace(/^https:\/\//, ''));
    const context: ClusterContext = {
      clusterName,
      kubernetesVersion: args.kubernetesVersion,
      oidcProviderArn: cluster.oidcProviderArn,
      oidcIssuer,
      region: args.region,
      partition,
      tags,
      systemNodeSelector: { [POOL_LABEL]: 'system' },
      ready: [cluster, ...nodeGroups, coredns],
    };

    const storage = new EbsStorage(`${name}-ebs`, { context, storageClassName: STORAGE_CLASS }, childOfBoth);
    const loadBalancers = new LoadBalancerController(
      `${name}-lbc`,
      { context, vpcId: network.vpcId },
      childOfBoth,
    );
    const autoscaler = new ClusterAutoscaler(`${name}-autoscaler`, { context }, childOfBoth);
    const metricsServer = pinnedRelease(
      `${name}-metrics-server`,
      CHARTS.metricsServer,
      {
        releaseName: 'metrics-server',
        namespace: 'kube-system',
        // Two replicas: every HPA stops scaling while metrics-server is down.
        values: { replicas: 2, nodeSelector: { ...context.systemNodeSelector } },
      },
      { parent: this, provider: this.provider, dependsOn: [...context.ready] },
    );
    const accountId = aws.getCallerIdentityOutput({}, { parent: this, provider: this.awsProvider }).accountId;
    const externalSecrets = new ExternalSecrets(
      `${name}-external-secrets`,
      { context, accountId, pathPrefix: args.secretsManagerPrefix, storeName: CLUSTER_SECRET_STORE },
      childOfBoth,
    );
    const externalDns =
      args.dns &&
      new ExternalDns(
        `${name}-external-dns`,
        {
          context,
          hostedZoneId: args.dns.hostedZoneId,
          domain: args.dns.domain,
          gatewayNamespace: args.dns.gatewayNamespace,
        },
        childOfBoth,
      );

    const registry =
      args.repositories === 'replicated'
        ? undefined
        : new ContainerRegistry(
            `${name}-registry`,
            { services: args.services, retention: args.imageRetention ?? DEFAULT_IMAGE_RETENTION, tags },
            childOfAws,
          );

    this.clusterName = cluster.eksCluster.name;
    this.oidcProviderArn = cluster.oidcProviderArn;
    this.oidcIssuer = oidcIssuer;
    this.vpcId = network.vpcId;
    this.privateSubnetIds = pulumi.all(network.privateSubnetIds);
    this.publicSubnetIds = pulumi.all(network.publicSubnetIds);
    this.vpcCidr = args.vpcCidr;
    this.privateRouteTableIds = network.privateRouteTableIds;
    this.kubeconfig = pulumi.secret(cluster.kubeconfigJson);
    const imageRegistry = pulumi.interpolate`${accountId}.dkr.ecr.${args.region}.${dnsSuffix}/${REPOSITORY_PREFIX}`;
    this.repositoryUrls =
      registry?.repositoryUrls ??
      imageRegistry.apply((prefix) => Object.fromEntries(args.services.map((s) => [s, `${prefix}/${s}`])));
    this.nodeGroups = nodes.groups;
    this.irsaRoles = {
      ebsCsiDriver: storage.role.role,
      loadBalancerController: loadBalancers.role.role,
      clusterAutoscaler: autoscaler.role.role,
      externalSecrets: externalSecrets.role.role,
      ...(externalDns && { externalDns: externalDns.role.role }),
    };
    this.access = {
      provider: this.provider,
      storageClass: STORAGE_CLASS,
      secretBackend: {
        kind: 'aws-secrets-manager',
        clusterSecretStore: CLUSTER_SECRET_STORE,
        pathPrefix: args.secretsManagerPrefix,
        awsProvider: this.awsProvider,
      },
      zones: { topologyKey: 'topology.kubernetes.io/zone', count: args.availabilityZones.length },
      imageRegistry,
      gatewayExposure: NLB_GATEWAY_EXPOSURE,
      // Installed here, with the other cluster add-ons.
      installMetricsServer: false,
      dataPlacement: {
        nodeSelector: { [POOL_LABEL]: 'data' },
        tolerations: [
          { key: DATA_TAINT.key, operator: 'Equal', value: DATA_TAINT.value, effect: 'NoSchedule' },
        ],
      },
      ready: [
        ...nodeGroups,
        coredns,
        storage.addon,
        storage.storageClass,
        loadBalancers.release,
        metricsServer,
        autoscaler.release,
        externalSecrets.release,
        externalSecrets.store,
        ...(externalDns ? [externalDns.release] : []),
      ],
    };
    this.registerOutputs({
      clusterName: this.clusterName,
      oidcProviderArn: this.oidcProviderArn,
      vpcId: this.vpcId,
      repositoryUrls: this.repositoryUrls,
      imageRegistry,
    });
  }
}
