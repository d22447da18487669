/**
 * End to end (issue 18, part E): the offline plan of prod, whose stack enables platform:dr, wires Kafka
 * MirrorMaker 2. Prod's Kafka gets the mm2 listener (TLS + SCRAM on internal NLBs admitting only the standby
 * VPC), the read-only source user and the fixed bootstrap name; the standby gets MirrorMaker 2 reading that
 * name, its target user, PodMonitor and the KafkaMirror* alerts. Both pass schema, policies and the network
 * check; with MirrorMaker 2's pod and the peered VPCs added to the inventory, each side's policies allow
 * exactly its intended graph.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { mirrorMakerPods } from '../charts/kafka-mirror-maker';
import { ensureCompiled } from '../test/support/ensure-compiled';
import {
  compareWithIntended,
  DEFAULT_EXTERNALS,
  planReachabilityInput,
  stackNetworkFacts,
  type ReachabilityInput,
} from '../tools/reachability';
import { readPlan, type PlanResource } from '../tools/release';

const repo = join(__dirname, '..');
const cli = join(repo, 'dist', 'tools', 'plan', 'cli.js');
const work = mkdtempSync(join(tmpdir(), 'kafka-mirror-plan-'));
let output = '';
let status: number | null = null;
let prod: readonly PlanResource[] = [];
let standby: readonly PlanResource[] = [];

type Obj = Record<string, any>;

beforeAll(() => {
  ensureCompiled();
  const run = spawnSync(process.execPath, [cli, 'prod', '--out', work], {
    encoding: 'utf8',
    timeout: 240_000,
  });
  output = `${run.stdout}${run.stderr}`;
  status = run.status;
  if (run.status !== 0) throw new Error(`plan failed:\n${output}`);
  prod = readPlan(join(work, 'prod'));
  standby = readPlan(join(work, 'prod', 'standby'));
}, 260_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const stack = parseDocument(readFileSync(join(repo, 'Pulumi.prod.yaml'), 'utf8'));
const cfg = (...path: string[]): unknown => stack.getIn(['config', ...path]);
const standbyCidr = String(cfg('platform:dr', 'standby', 'vpcCidr'));
const domain = String(cfg('platform:dns', 'domain'));
const objects = (resources: readonly PlanResource[], kind: string): Obj[] =>
  resources.map((r) => r.inputs as Obj).filter((i) => i.kind === kind && i.apiVersion !== undefined);
const object = (resources: readonly PlanResource[], kind: string, name: string): Obj => {
  const found = objects(resources, kind).find((o) => o.metadata?.name === name);
  if (found === undefined) throw new Error(`no ${kind} ${name} in the plan`);
  return found;
};
const aclOf = (user: Obj, type: string, name: string): string[] | undefined =>
  (user.spec.authorization.acls as Obj[]).find((a) => a.resource.type === type && a.resource.name === name)
    ?.operations as string[] | undefined;

describe('prod with DR: Kafka MirrorMaker 2', () => {
  it('plans cleanly: schema, policies and network for prod and for its standby', () => {
    expect(status).toBe(0);
    expect(output.match(/^ +schema: all \d+ objects valid/gm)).toHaveLength(2);
    expect(output.match(/^ +policies: passed$/gm)).toHaveLength(2);
    expect(output.match(/^ +network: \d+ connections allowed, equal to the intended graph/gm)).toHaveLength(
      2,
    );
  });

  it('gives prod’s Kafka the mm2 listener: TLS + SCRAM on internal NLBs, admitting only the standby VPC', () => {
    const kafka = object(prod, 'Kafka', 'kafka').spec.kafka as Obj;
    expect(kafka.listeners).toContainEqual({
      name: 'mm2',
      port: 9094,
      type: 'loadbalancer',
      tls: true,
      authentication: { type: 'scram-sha-512' },
      configuration: {
        loadBalancerSourceRanges: [standbyCidr],
        // The brokers' certificates name the fixed bootstrap MirrorMaker 2 dials, so TLS verification passes.
        bootstrap: { alternativeNames: ['kafka-mirror.prod.platform.internal'] },
      },
      networkPolicyPeers: [{ ipBlock: { cidr: standbyCidr } }],
    });
    expect(kafka.template.externalBootstrapService.metadata.annotations).toMatchObject({
      'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
    });
    expect(object(prod, 'NetworkPolicy', 'kafka-mirror-maker-listener').spec.ingress).toEqual([
      { from: [{ ipBlock: { cidr: standbyCidr } }], ports: [{ port: 9094, protocol: 'TCP' }] },
    ]);
    // MirrorMaker 2 itself runs only in the standby.
    expect(objects(prod, 'KafkaMirrorMaker2')).toEqual([]);
  });

  it('creates the read-only source user in prod', () => {
    const user = object(prod, 'KafkaUser', 'mirror-maker-source');
    expect(user.spec.authentication.type).toBe('scram-sha-512');
    const operations = new Set(
      (user.spec.authorization.acls as Obj[]).flatMap((a) => a.operations as string[]),
    );
    expect([...operations].sort()).toEqual(['Describe', 'DescribeConfigs', 'Read']);
    expect(aclOf(user, 'topic', 'order-events')).toEqual(['Read', 'Describe', 'DescribeConfigs']);
    expect(aclOf(user, 'group', 'notification')).toEqual(['Read', 'Describe']);
    expect(aclOf(user, 'group', 'analytics')).toEqual(['Read', 'Describe']);
  });

  it('publishes the fixed bootstrap name as a CNAME in prod’s zone', () => {
    const record = prod.find(
      (r) => r.type === 'aws:route53/record:Record' && r.name === 'prod-kafka-mirror-bootstrap',
    );
    expect(record?.inputs).toMatchObject({
      name: `kafka-mirror.${domain}`,
      type: 'CNAME',
      zoneId: String(cfg('platform:dns', 'hostedZoneId')),
      ttl: 60,
    });
  });

  it('runs MirrorMaker 2 in the standby from the fixed name with the stack’s selection and intervals', () => {
    const mm = cfg('platform:dr', 'kafka', 'mirrorMaker') as { toJSON(): Obj };
    const settings = mm.toJSON();
    const spec = object(standby, 'KafkaMirrorMaker2', 'mirror').spec as Obj;
    expect(spec.replicas).toBe(1);
    expect(spec.clusters[0]).toMatchObject({
      alias: 'primary',
      bootstrapServers: `kafka-mirror.${domain}:9094`,
      authentication: { type: 'scram-sha-512', username: 'mirror-maker-source' },
    });
    const mirror = spec.mirrors[0] as Obj;
    expect(mirror.topicsPattern).toBe((settings.topics as string[]).join('|'));
    expect(mirror.groupsPattern).toBe('analytics|notification');
    expect(mirror.sourceConnector.config['replication.policy.class']).toBe(
      'org.apache.kafka.connect.mirror.IdentityReplicationPolicy',
    );
    expect(mirror.checkpointConnector.config).toMatchObject({
      'sync.group.offsets.enabled': 'true',
      'sync.group.offsets.interval.seconds': settings.syncGroupOffsetsIntervalSeconds,
      'emit.checkpoints.interval.seconds': settings.emitCheckpointsIntervalSeconds,
    });
    const resource = standby.find((r) => (r.inputs as Obj).kind === 'KafkaMirrorMaker2');
    // A standby-side name: the plan refuses one sent through prod's provider (plan-stack's split).
    expect(resource?.name).toBe('prod-standby-kafka-mirror-mirror-maker');
  });

  it('gives the standby the target user, the PodMonitor and the three KafkaMirror alerts', () => {
    expect(object(standby, 'KafkaUser', 'mirror-maker-target').spec.authentication.type).toBe(
      'scram-sha-512',
    );
    expect(object(standby, 'PodMonitor', 'mirror-mirror-maker').spec.selector.matchLabels).toEqual(
      mirrorMakerPods('mirror'),
    );
    const rules = objects(standby, 'PrometheusRule').flatMap((r) =>
      (r.spec.groups as Obj[]).flatMap((g) => g.rules as Obj[]),
    );
    const alert = (name: string) => rules.find((r) => r.alert === name);
    expect(alert('KafkaMirrorConnectorFailed')).toBeDefined();
    const budget = Number(cfg('platform:dr', 'kafka', 'mirrorMaker', 'replicationLagBudgetSeconds'));
    expect(String(alert('KafkaMirrorReplicationLagHigh')?.expr)).toMatch(new RegExp(`/ 1000 > ${budget}$`));
    expect(alert('KafkaMirrorCheckpointLagHigh')).toBeDefined();
    // Prod's own rules carry none of them: nothing mirrors into prod.
    const prodAlerts = objects(prod, 'PrometheusRule').flatMap((r) =>
      (r.spec.groups as Obj[]).flatMap((g) => (g.rules as Obj[]).map((x) => String(x.alert))),
    );
    expect(prodAlerts.filter((a) => a.startsWith('KafkaMirror'))).toEqual([]);
  });

  it('allows exactly each side’s intended graph once MirrorMaker 2 and the peered VPCs are in the inventory', () => {
    const prodCidr = String(cfg('platform:cluster', 'vpcCidr'));
    const at = (cidr: string) => cidr.replace(/\.0\/\d+$/, '.10');
    // Prod: the standby VPC is one more outside address.
    const prodInput: ReachabilityInput = {
      ...planReachabilityInput(prod),
      externals: [...DEFAULT_EXTERNALS, { name: 'standby-vpc', address: at(standbyCidr) }],
    };
    const prodFacts = stackNetworkFacts(repo, 'prod');
    expect(prodFacts.kafkaMirror).toBe('source');
    expect(compareWithIntended(prodInput, { ...prodFacts, peerVpcs: true }).problems).toEqual([]);
    // Not vacuous: the listener's own policy is the one path the standby VPC has beyond any outside address.
    const withoutListenerPolicy: ReachabilityInput = {
      ...prodInput,
      policies: prodInput.policies.filter((p) => p.metadata.name !== 'kafka-mirror-maker-listener'),
    };
    expect(compareWithIntended(withoutListenerPolicy, { ...prodFacts, peerVpcs: true }).problems).toEqual([
      expect.stringMatching(/^missing standby-vpc -> data\/kafka:9094\/TCP/),
    ]);

    // The standby: MirrorMaker 2's worker pod as Strimzi labels it, and prod's VPC outside.
    const base = planReachabilityInput(standby);
    const worker = {
      namespace: 'data',
      id: 'data/mirror-mirrormaker2',
      labels: { ...mirrorMakerPods('mirror'), 'strimzi.io/component-type': 'kafka-mirror-maker-2' },
      ports: [
        { name: 'rest-api', containerPort: 8083 },
        { name: 'tcp-prometheus', containerPort: 9404 },
      ],
    };
    const standbyInput: ReachabilityInput = {
      ...base,
      pods: [...base.pods, worker],
      externals: [...DEFAULT_EXTERNALS, { name: 'primary-vpc', address: at(prodCidr) }],
    };
    const standbyFacts = stackNetworkFacts(repo, 'prod', 'standby');
    expect(
      compareWithIntended(standbyInput, { ...standbyFacts, kafkaMirror: 'target', peerVpcs: true }).problems,
    ).toEqual([]);
    // Not vacuous: without the declared edges (and prod's VPC), exactly MirrorMaker 2's connections are extra.
    const withoutVpc = { ...standbyInput, externals: DEFAULT_EXTERNALS };
    const extra = compareWithIntended(withoutVpc, standbyFacts).diff.extra.map(
      (e) => `${e.from} -> ${e.to}:${String(e.port)}/${e.protocol}`,
    );
    expect(extra.sort()).toEqual([
      'data/mirror-mirrormaker2 -> data/kafka:9093/TCP',
      'data/mirror-mirrormaker2 -> data/mirror-mirrormaker2:8083/TCP',
      'data/mirror-mirrormaker2 -> kube-system/kube-dns:53/TCP',
      'data/mirror-mirrormaker2 -> kube-system/kube-dns:53/UDP',
      'data/strimzi-cluster-operator -> data/mirror-mirrormaker2:8083/TCP',
      'monitoring/prometheus -> data/mirror-mirrormaker2:9404/TCP',
    ]);
  });

  it('stops the mirror (0 workers) once the reviewed failover serves the standby', () => {
    const dir = mkdtempSync(join(work, 'serve-standby-'));
    copyFileSync(join(repo, 'Pulumi.yaml'), join(dir, 'Pulumi.yaml'));
    const doc = parseDocument(readFileSync(join(repo, 'Pulumi.prod.yaml'), 'utf8'));
    doc.setIn(['config', 'platform:dr', 'failover', 'serve'], 'standby');
    writeFileSync(join(dir, 'Pulumi.prod.yaml'), doc.toString());
    const run = spawnSync(process.execPath, [cli, 'prod', '--root', dir, '--out', join(dir, 'out')], {
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(run.status).toBe(0);
    const failedOver = readPlan(join(dir, 'out', 'prod', 'standby'));
    expect(object(failedOver, 'KafkaMirrorMaker2', 'mirror').spec.replicas).toBe(0);
    // The topics, users and the source password stay: only the workers stop.
    expect(object(failedOver, 'KafkaUser', 'mirror-maker-target')).toBeDefined();
    // The same switch moves everything else of the failover: the standby's services start (1 replica and
    // the HPA), the primary's go passive, and the failover gate turns unhealthy (Route 53 serves the standby).
    const replicas = (plan: readonly PlanResource[]) =>
      plan
        .filter((r) => ['Deployment', 'Rollout'].includes(String(r.inputs.kind)))
        .filter((r) => (r.inputs.metadata as Obj).namespace === 'apps')
        .map((r) => (r.inputs.spec as Obj).replicas)
        .sort();
    expect(replicas(failedOver)).toEqual([1, 1, 1, 1, 1]);
    expect(failedOver.filter((r) => r.inputs.kind === 'HorizontalPodAutoscaler')).toHaveLength(5);
    const primaryAfter = readPlan(join(dir, 'out', 'prod'));
    expect(replicas(primaryAfter)).toEqual([0, 0, 0, 0, 0]);
    expect(primaryAfter.filter((r) => r.inputs.kind === 'HorizontalPodAutoscaler')).toHaveLength(0);
    const gate = primaryAfter.find((r) => r.name === 'prod-dr-failover-gate');
    expect(gate?.inputs).toMatchObject({ disabled: true, invertHealthcheck: true });
    expect(prod.find((r) => r.name === 'prod-dr-failover-gate')?.inputs).toMatchObject({
      disabled: true,
      invertHealthcheck: false,
    });
  }, 240_000);
});
