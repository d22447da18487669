import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { AlarmTopic, assertValidSubscriptions, type AlarmSubscription } from './alarm-topic';

export type DrRole = 'primary' | 'standby';
export const DR_ROLES: readonly DrRole[] = ['primary', 'standby'];

/**
 * The HTTPRoute annotations ExternalDNS (gateway-httproute source, AWS provider) reads for Route 53 failover
 * records. ExternalDNS reads provider-specific annotations and the set identifier from the route, never
 * from the Gateway (only `target` is read there), so every HTTPRoute that carries the hostnames needs them.
 */
export const EXTERNAL_DNS_FAILOVER_ANNOTATIONS = {
  setIdentifier: 'external-dns.alpha.kubernetes.io/set-identifier',
  failover: 'external-dns.alpha.kubernetes.io/aws-failover',
  healthCheckId: 'external-dns.alpha.kubernetes.io/aws-health-check-id',
  evaluateTargetHealth: 'external-dns.alpha.kubernetes.io/aws-evaluate-target-health',
  ttl: 'external-dns.alpha.kubernetes.io/ttl',
} as const;

/** Route 53 health checkers: a check turns unhealthy after this many failed requests... */
export const HEALTH_CHECK_FAILURE_THRESHOLD = 3;
/** ...sent every this many seconds (the standard interval). */
export const HEALTH_CHECK_INTERVAL_SECONDS = 30;
/** Route 53 publishes health-check metrics only in us-east-1, so their alarms and topic live there. */
export const ROUTE53_METRICS_REGION = 'us-east-1';

export interface GatewayHealthCheck {
  /**
   * HTTP (default): port 80, where the Gateway's plain listener answers every host with a 301 to HTTPS,
   * which Route 53 counts as healthy. HTTPS only works if a listener matches `fqdn` as TLS server name:
   * the Gateway's HTTPS listeners match the environment's hostnames only, and those live in a private zone
   * that Route 53 health checkers cannot resolve.
   */
  readonly protocol: 'HTTP' | 'HTTPS';
  readonly port: number;
  readonly path: string;
}

export const DEFAULT_GATEWAY_HEALTH_CHECK: GatewayHealthCheck = { protocol: 'HTTP', port: 80, path: '/' };

export interface DnsFailoverArgs {
  readonly environment: string;
  readonly partition: string;
  readonly accountId: pulumi.Input<string>;
  /** `platform:dns`: the zone ExternalDNS publishes the gateway's hostnames into. */
  readonly zone: {
    readonly hostedZoneId: string;
    readonly domain: string;
    /** A private zone answers only in associated VPCs: the standby's VPC is associated here. */
    readonly private: boolean;
  };
  /** `platform:dr.failover.serve`: the reviewed switch. */
  readonly serve: DrRole;
  /** `platform:dr.failover.dnsTtlSeconds`. */
  readonly ttlSeconds: number;
  /** Each region's gateway: its region and the public DNS name of its internet-facing NLB. */
  readonly gateways: Readonly<
    Record<DrRole, { readonly region: string; readonly fqdn: pulumi.Input<string> }>
  >;
  /** The standby cluster's VPC (associated with a private zone). */
  readonly standbyVpc: { readonly region: string; readonly vpcId: pulumi.Input<string> };
  /** @default DEFAULT_GATEWAY_HEALTH_CHECK */
  readonly healthCheck?: GatewayHealthCheck;
  /** `platform:dr.alarms.subscriptions`. */
  readonly subscriptions: readonly AlarmSubscription[];
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * The annotations for every HTTPRoute of one region's cluster: a failover record per hostname, PRIMARY with
 * the gate (`gateHealthCheckId`) in the primary, SECONDARY without a health check in the standby. Target
 * health is not evaluated: an NLB without healthy targets must not flip traffic on its own either.
 * `ttl` applies to CNAME records; alias records (ExternalDNS's default for an NLB) take the NLB's 60 s.
 */
export function failoverRouteAnnotations(p: {
  readonly environment: string;
  readonly role: DrRole;
  readonly ttlSeconds: number;
  readonly gateHealthCheckId?: pulumi.Input<string>;
}): Record<string, pulumi.Input<string>> {
  const a = EXTERNAL_DNS_FAILOVER_ANNOTATIONS;
  if (p.role === 'primary' && p.gateHealthCheckId === undefined) {
    throw new Error(
      `failoverRouteAnnotations(${p.environment}, primary): gateHealthCheckId is required; the PRIMARY records must use the failover gate`,
    );
  }
  if (p.role === 'standby' && p.gateHealthCheckId !== undefined) {
    throw new Error(
      `failoverRouteAnnotations(${p.environment}, standby): gateHealthCheckId must be absent; the SECONDARY records answer whenever the PRIMARY is unhealthy`,
    );
  }
  if (!Number.isInteger(p.ttlSeconds) || p.ttlSeconds < 1) {
    throw new Error(
      `platform:dr.failover.dnsTtlSeconds: ${p.ttlSeconds} is not allowed; use a whole number of seconds >= 1`,
    );
  }
  return {
    [a.setIdentifier]: `${p.environment}-${p.role}`,
    [a.failover]: p.role === 'primary' ? 'PRIMARY' : 'SECONDARY',
    ...(p.gateHealthCheckId !== undefined && { [a.healthCheckId]: p.gateHealthCheckId }),
    [a.evaluateTargetHealth]: 'false',
    [a.ttl]: String(p.ttlSeconds),
  };
}

/**
 * Route 53 failover for an environment's gateway hostnames, switched by a reviewed config change only:
 *
 * - The gate: a CALCULATED health check that is disabled (Route 53 then considers it healthy, whatever it
 *   would compute) and inverted only when `serve` is `standby` (then it is always unhealthy). The PRIMARY
 *   records carry the gate, so Route 53 answers with the SECONDARY exactly when `serve: standby` is
 *   applied; no failed check can flip traffic. (Its child is the primary's real check, threshold 0: shown
 *   together in the console, never counted.)
 * - Real checks of each region's gateway (failure threshold 3, every 30 s) that only alarm: CloudWatch
 *   alarms on their HealthCheckStatus in us-east-1 notify the DR alarm topic there.
 * - For a private zone, the standby VPC's association, so the standby resolves the names too.
 *
 * The records themselves are ExternalDNS's, from `routeAnnotations` on each cluster's HTTPRoutes.
 */
export class DnsFailover extends pulumi.ComponentResource {
  readonly metricsProvider: aws.Provider;
  readonly gate: aws.route53.HealthCheck;
  readonly gateHealthCheckId: pulumi.Output<string>;
  readonly healthChecks: Readonly<Record<DrRole, aws.route53.HealthCheck>>;
  readonly alarms: Readonly<Record<DrRole, aws.cloudwatch.MetricAlarm>>;
  readonly topic: AlarmTopic;
  readonly zoneAssociation?: aws.route53.ZoneAssociation;
  /** Pass to the HTTPRoutes of each region's cluster (Microservice `route.annotations`). */
  readonly routeAnnotations: Readonly<Record<DrRole, Record<string, pulumi.Input<string>>>>;

  constructor(name: string, args: DnsFailoverArgs, opts?: pulumi.ComponentResourceOptions) {
    const check = args.healthCheck ?? DEFAULT_GATEWAY_HEALTH_CHECK;
    if (!check.path.startsWith('/')) {
      throw new Error(`${name}: healthCheck.path "${check.path}" must start with "/"`);
    }
    if (args.gateways.primary.region === args.gateways.standby.region) {
      throw new Error(
        `${name}: gateways.standby.region must differ from gateways.primary.region (both are "${args.gateways.primary.region}")`,
      );
    }
    // Checked now, so a bad TTL leaves no half-built component.
    failoverRouteAnnotations({ environment: args.environment, role: 'standby', ttlSeconds: args.ttlSeconds });
    assertValidSubscriptions(args.subscriptions);
    super('platform:eks:DnsFailover', name, {}, opts);
    // Route 53 is global; its health-check metrics exist only in us-east-1, and an alarm can only notify
    // a topic in its own region: checks, alarms and their topic all use this provider.
    this.metricsProvider = new aws.Provider(
      `${name}-${ROUTE53_METRICS_REGION}`,
      { region: ROUTE53_METRICS_REGION },
      { parent: this },
    );
    const global = { parent: this, provider: this.metricsProvider };
    const tags = (suffix: string) => ({ ...args.tags, Name: `platform-${args.environment}-${suffix}` });

    const realCheck = (role: DrRole) =>
      new aws.route53.HealthCheck(
        `${name}-${role}-gateway`,
        {
          type: check.protocol,
          fqdn: args.gateways[role].fqdn,
          port: check.port,
          resourcePath: check.path,
          failureThreshold: HEALTH_CHECK_FAILURE_THRESHOLD,
          requestInterval: HEALTH_CHECK_INTERVAL_SECONDS,
          ...(check.protocol === 'HTTPS' && { enableSni: true }),
          tags: tags(`${role}-gateway-${args.gateways[role].region}`),
        },
        global,
      );
    this.healthChecks = { primary: realCheck('primary'), standby: realCheck('standby') };

    this.gate = new aws.route53.HealthCheck(
      `${name}-gate`,
      {
        type: 'CALCULATED',
        childHealthchecks: [this.healthChecks.primary.id],
        childHealthThreshold: 0,
        disabled: true,
        invertHealthcheck: args.serve === 'standby',
        tags: { ...tags('failover-gate'), serve: args.serve },
      },
      global,
    );
    this.gateHealthCheckId = this.gate.id;

    this.topic = new AlarmTopic(
      `${name}-alarms`,
      {
        topicName: `platform-${args.environment}-dr-alarms-${ROUTE53_METRICS_REGION}`,
        region: ROUTE53_METRICS_REGION,
        partition: args.partition,
        accountId: args.accountId,
        subscriptions: args.subscriptions,
        provider: this.metricsProvider,
        tags: { ...args.tags },
      },
      { parent: this },
    );
    const alarm = (role: DrRole) =>
      new aws.cloudwatch.MetricAlarm(
        `${name}-${role}-gateway`,
        {
          name: `platform-${args.environment}-${role}-gateway-health`,
          alarmDescription:
            `The ${role} gateway (${args.gateways[role].region}) fails Route 53's health check. This alarms only: ` +
            'traffic moves when platform:dr.failover.serve is changed and applied (README, "Runbook")',
          namespace: 'AWS/Route53',
          metricName: 'HealthCheckStatus',
          dimensions: { HealthCheckId: this.healthChecks[role].id },
          statistic: 'Minimum',
          period: 60,
          evaluationPeriods: 1,
          threshold: 1,
          comparisonOperator: 'LessThanThreshold',
          // A check without data points is not checking anything: treat it as failing.
          treatMissingData: 'breaching',
          alarmActions: [this.topic.arn],
          okActions: [this.topic.arn],
          tags: { ...args.tags },
        },
        global,
      );
    this.alarms = { primary: alarm('primary'), standby: alarm('standby') };

    if (args.zone.private) {
      this.zoneAssociation = new aws.route53.ZoneAssociation(
        `${name}-standby-zone`,
        { zoneId: args.zone.hostedZoneId, vpcId: args.standbyVpc.vpcId, vpcRegion: args.standbyVpc.region },
        global,
      );
    }

    this.routeAnnotations = {
      primary: failoverRouteAnnotations({
        environment: args.environment,
        role: 'primary',
        ttlSeconds: args.ttlSeconds,
        gateHealthCheckId: this.gateHealthCheckId,
      }),
      standby: failoverRouteAnnotations({
        environment: args.environment,
        role: 'standby',
        ttlSeconds: args.ttlSeconds,
      }),
    };
    this.registerOutputs({
      gateHealthCheckId: this.gateHealthCheckId,
      serve: args.serve,
      topicArn: this.topic.arn,
    });
  }
}
