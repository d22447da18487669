import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { synthesize } from '../../../charts/lib';
import { MicroserviceChart } from '../../../charts/microservice';
import {
  DEFAULT_DOWN_AFTER_MILLISECONDS,
  DEFAULT_MASTER_NAME,
  DEFAULT_SENTINEL_PORT,
  majority,
} from '../../../charts/redis-sentinel/redis-config';
import { MONGODB_REPLICA_SET } from '../../../infra/data/mongodb-cluster';
import { DATA_IMAGES } from '../../../infra/versions';
import { eventTopics, serviceDataNeeds } from '../../../stacks/data-layer';
import { serviceUrls } from '../../../stacks/environment';
import { SERVICE_CATALOG, SERVICE_NAMES } from '../../../stacks/service-catalog';
import { TIER_DEFAULTS } from '../../../stacks/spec';

/**
 * services/compose.yaml (local development) must stay the platform in miniature: the same services, the
 * env variable names the Deployments set, the same adapter switches, the same topics, and the data stores'
 * key settings. Everything expected here is read from the code that renders the Kubernetes objects, not
 * restated, except the store variable names and switch values of infra/data/data-layer.ts
 * (DataLayer.serviceAccess, inside a Pulumi component).
 */
const servicesDir = resolve(__dirname, '../..');
const compose = parse(readFileSync(join(servicesDir, 'compose.yaml'), 'utf8'), { merge: true }) as {
  services: Record<string, any>;
};
const dockerfile = readFileSync(join(servicesDir, 'Dockerfile'), 'utf8');

/**
 * The env variables DataLayer.serviceAccess gives a service per store (plain values and its Secret): the
 * store's adapter switch first, then its connection settings.
 */
const STORE_ENV = {
  mongodb: ['STORAGE', 'MONGODB_DATABASE', 'MONGODB_REPLICA_SET', 'MONGODB_URI'],
  redis: ['CACHE', 'REDIS_SENTINELS', 'REDIS_MASTER_NAME', 'REDIS_PASSWORD'],
  kafka: [
    'EVENTS',
    'KAFKA_BROKERS',
    'KAFKA_SASL_MECHANISM',
    'KAFKA_CLIENT_ID',
    'KAFKA_USERNAME',
    'KAFKA_PASSWORD',
    'KAFKA_CA_CERT',
  ],
} as const;
// Locally Kafka runs without SASL and TLS (services/README.md), so these have nothing to say.
const NOT_SET_LOCALLY = ['KAFKA_SASL_MECHANISM', 'KAFKA_USERNAME', 'KAFKA_PASSWORD', 'KAFKA_CA_CERT'];
// The value DataLayer.serviceAccess gives each store's switch: the service's production adapter.
const STORE_SWITCH = {
  mongodb: ['STORAGE', 'mongo'],
  redis: ['CACHE', 'redis'],
  kafka: ['EVENTS', 'kafka'],
} as const;
// Set only locally: a log level (the pods keep the default).
const LOCAL_ONLY = ['LOG_LEVEL'];

/** The Deployment a service gets from charts/microservice with the chart's defaults. */
function deployment(name: string): Record<string, any> {
  const objects = synthesize(
    (app) =>
      new MicroserviceChart(app, name, {
        name,
        namespace: 'apps',
        image: `registry.local/platform/${name}:1.0.0`,
        version: '1.0.0',
        replicas: 1,
        resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } },
        monitoringNamespace: 'monitoring',
      }),
  );
  return objects.find((o) => o.kind === 'Deployment') as Record<string, any>;
}

/** Every env variable name the environment's Deployment of `name` receives. */
function kubernetesEnvNames(name: (typeof SERVICE_NAMES)[number]): string[] {
  const chartEnv = (deployment(name).spec.template.spec.containers[0].env as { name: string }[]).map(
    (e) => e.name,
  );
  const needs = serviceDataNeeds([name])[0]!;
  return [
    ...chartEnv,
    // stacks/environment.ts: plain settings, and the jwt-signing-key Secret with its JWT_SECRET key.
    'ENVIRONMENT',
    'JWT_ISSUER',
    'JWT_SECRET',
    ...Object.keys(serviceUrls(name, TIER_DEFAULTS.onprem.namespaces)),
    ...(needs.mongodb ? STORE_ENV.mongodb : []),
    ...(needs.redis ? STORE_ENV.redis : []),
    ...(needs.kafka ? STORE_ENV.kafka : []),
    ...(needs.kafka && needs.kafka.groups.length > 0 ? ['KAFKA_CONSUMER_GROUP'] : []),
    // stacks/service-identity.ts: a caller's own key, and each of its callers' keys for a callee.
    ...(SERVICE_CATALOG[name].calls.length > 0 ? ['SERVICE_TOKEN_KEY'] : []),
    ...SERVICE_NAMES.filter((caller) => SERVICE_CATALOG[caller].calls.includes(name)).map(
      (caller) => `SERVICE_KEY_${caller.toUpperCase()}`,
    ),
  ];
}

const pinned = (image: string) => /^[a-z0-9./-]+:[A-Za-z0-9._-]*\d[A-Za-z0-9._-]*$/.test(image);

describe('services/compose.yaml', () => {
  it('runs every service of the catalog, built from services/Dockerfile with its SERVICE', () => {
    for (const name of SERVICE_NAMES) {
      expect({ name, build: compose.services[name]?.build }).toEqual({
        name,
        build: { context: '..', dockerfile: 'services/Dockerfile', args: { SERVICE: name } },
      });
    }
  });

  it('pins every pulled image to a version, and tags the built ones, never latest', () => {
    const unpinned = Object.entries(compose.services)
      .filter(([, s]) => s.build === undefined)
      .map(([name, s]) => ({ name, image: s.image as string | undefined }))
      .filter(({ image }) => image === undefined || !pinned(image) || /:latest$/.test(image));
    expect(unpinned).toEqual([]);
    // Built images take their base from the Dockerfile's pinned NODE_IMAGE (checked below).
    for (const name of SERVICE_NAMES) expect(compose.services[name].image).toBe(`platform/${name}:local`);
  });

  it('uses the data-store versions of the environments', () => {
    const mongoVersion = /:(\d+\.\d+\.\d+)/.exec(DATA_IMAGES.mongodb)?.[1];
    expect(compose.services.mongo1.image).toBe(`mongo:${mongoVersion}`);
    expect(compose.services['redis-master'].image).toBe(DATA_IMAGES.redis);
    expect(compose.services.kafka.image).toBe(`apache/kafka:${DATA_IMAGES.kafkaVersion}`);
  });

  it.each(SERVICE_NAMES)('gives %s the env variable names its Deployment has', (name) => {
    const expected = kubernetesEnvNames(name).filter((n) => !NOT_SET_LOCALLY.includes(n));
    const actual = Object.keys(compose.services[name].environment as Record<string, string>);
    expect([...actual].sort()).toEqual([...new Set([...expected, ...LOCAL_ONLY])].sort());
  });

  it.each(SERVICE_NAMES)(
    'switches %s to the production adapter of each store it uses, and of no other',
    (name) => {
      const needs = serviceDataNeeds([name])[0]!;
      const environment = compose.services[name].environment as Record<string, string>;
      for (const store of ['mongodb', 'redis', 'kafka'] as const) {
        const [variable, value] = STORE_SWITCH[store];
        expect({ store, [variable]: environment[variable] }).toEqual({
          store,
          [variable]: needs[store] ? value : undefined,
        });
      }
    },
  );

  it('runs the services like the pods: uid 10001, read-only root, writable /tmp, same grace and port', () => {
    const pod = deployment('product').spec.template.spec;
    const container = pod.containers[0];
    const grace = container.env.find((e: { name: string }) => e.name === 'SHUTDOWN_GRACE_MS').value;
    for (const name of SERVICE_NAMES) {
      const service = compose.services[name];
      expect({ name, user: service.user, readOnly: service.read_only, capDrop: service.cap_drop }).toEqual({
        name,
        user: `${pod.securityContext.runAsUser}:${pod.securityContext.runAsGroup}`,
        readOnly: container.securityContext.readOnlyRootFilesystem,
        capDrop: container.securityContext.capabilities.drop,
      });
      expect(service.tmpfs).toEqual([expect.stringMatching(/^\/tmp(:|$)/)]);
      expect(service.environment.SHUTDOWN_GRACE_MS).toBe(grace);
      expect(service.environment.PORT).toBe(String(container.ports[0].containerPort));
      expect(service.environment.SERVICE_NAME).toBe(name);
    }
  });

  it('creates exactly the platform topics with their partitions and retention, and never auto-creates', () => {
    const script: string = compose.services['kafka-init'].command.join('\n');
    const created = [...script.matchAll(/^create (\S+) (\d+) (\d+)$/gm)].map((m) => ({
      name: m[1],
      partitions: Number(m[2]),
      retentionMs: Number(m[3]),
    }));
    const platform = (eventTopics(TIER_DEFAULTS.onprem.data.kafka) ?? []).map((t) => ({
      name: t.name,
      partitions: t.partitions,
      retentionMs: t.config?.['retention.ms'],
    }));
    expect(created).toEqual(platform);
    expect(created.map((t) => t.name).sort()).toEqual(
      [
        'analytics-dlq',
        'analytics-events',
        'notification-dlq',
        'notification-events',
        'order-events',
        'user-events',
      ].sort(),
    );
    expect(compose.services.kafka.environment.KAFKA_AUTO_CREATE_TOPICS_ENABLE).toBe('false');
    expect(compose.services.kafka.environment.KAFKA_PROCESS_ROLES).toBe('broker,controller');
  });

  it('starts MongoDB as a three-member replica set under the platform name, reached through all three', () => {
    const members = ['mongo1', 'mongo2', 'mongo3'];
    for (const member of members) {
      expect(compose.services[member].command).toEqual(
        expect.arrayContaining(['--replSet', MONGODB_REPLICA_SET]),
      );
    }
    const init: string = compose.services['mongo-init'].command.join('\n');
    expect(init).toContain(`_id: '${MONGODB_REPLICA_SET}'`);
    for (const member of members) expect(init).toContain(`host: '${member}:27017'`);
    expect(compose.services.product.environment.MONGODB_URI).toBe(
      `mongodb://${members.map((m) => `${m}:27017`).join(',')}/?replicaSet=${MONGODB_REPLICA_SET}`,
    );
    expect(compose.services.product.environment.MONGODB_REPLICA_SET).toBe(MONGODB_REPLICA_SET);
  });

  it('runs Redis as a master, a replica and three sentinels with the platform settings', () => {
    const sentinels = ['redis-sentinel-1', 'redis-sentinel-2', 'redis-sentinel-3'];
    for (const node of ['redis-master', 'redis-replica']) {
      const config: string = compose.services[node].command.join('\n');
      expect(config).toContain('appendonly yes');
      expect(config).toContain('appendfsync everysec');
      expect(config).toContain('maxmemory-policy noeviction');
    }
    expect(compose.services['redis-replica'].command.join('\n')).toContain('replicaof redis-master 6379');
    for (const sentinel of sentinels) {
      const config: string = compose.services[sentinel].command.join('\n');
      expect(compose.services[sentinel].environment.ANNOUNCE_HOST).toBe(sentinel);
      expect(config).toContain(
        `sentinel monitor ${DEFAULT_MASTER_NAME} redis-master 6379 ${majority(sentinels.length)}`,
      );
      expect(config).toContain(
        `sentinel down-after-milliseconds ${DEFAULT_MASTER_NAME} ${DEFAULT_DOWN_AFTER_MILLISECONDS}`,
      );
      expect(config).toContain(`port ${DEFAULT_SENTINEL_PORT}`);
    }
    expect(compose.services.product.environment).toMatchObject({
      REDIS_SENTINELS: sentinels.map((s) => `${s}:${DEFAULT_SENTINEL_PORT}`).join(','),
      REDIS_MASTER_NAME: DEFAULT_MASTER_NAME,
    });
  });

  it('starts the services only after the replica set and the topics exist', () => {
    for (const name of SERVICE_NAMES) {
      expect(compose.services[name].depends_on).toMatchObject({
        'mongo-init': { condition: 'service_completed_successfully' },
        'kafka-init': { condition: 'service_completed_successfully' },
      });
    }
  });
});

describe('services/Dockerfile', () => {
  const pod = deployment('product').spec.template.spec;

  it('builds on a pinned Node 22 image, the major the workspaces require', () => {
    const image = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1];
    expect(image).toMatch(/^node:22\.\d+(\.\d+)?-[a-z]+-slim(@sha256:[0-9a-f]{64})?$/);
    expect(dockerfile.match(/^FROM (\S+)/gm)).toEqual(['FROM ${NODE_IMAGE}', 'FROM ${NODE_IMAGE}']);
  });

  it('stages the artefact with the script the artefact test runs, and copies only that', () => {
    expect(dockerfile).toMatch(/^RUN bash services\/image\/stage-artefact\.sh "\$\{SERVICE\}" \/artefact$/m);
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('FROM '));
    expect(runtime.match(/^COPY .*/gm)).toEqual(['COPY --from=build /artefact /app']);
  });

  it('runs as the pods do: the numeric uid of the securityContext, port 8080, production mode', () => {
    const runtime = dockerfile.slice(dockerfile.lastIndexOf('FROM '));
    expect(runtime).toMatch(
      new RegExp(`^USER ${pod.securityContext.runAsUser}:${pod.securityContext.runAsGroup}$`, 'm'),
    );
    expect(runtime).toMatch(new RegExp(`^EXPOSE ${pod.containers[0].ports[0].containerPort}$`, 'm'));
    expect(runtime).toMatch(/NODE_ENV=production/);
    expect(runtime).toMatch(/^WORKDIR \/app\/services\/\$\{SERVICE\}$/m);
    expect(runtime).toMatch(/^CMD \["node", "dist\/main\.js"\]$/m);
  });
});
