/**
 * The rendered CronJob's two containers, run as Kubernetes would run them (their commands and environment,
 * the shared work volume, the password from the auth Secret), against real redis-server and redis-sentinel
 * processes: the fetch step takes the RDB, the upload step sends it to the rendered s3:// destination through
 * an `aws` stand-in that records its calls; the documented restore (the RDB alone in the data directory of a
 * server with the chart's AOF settings) brings every key back.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import type { RedisTestProcess } from '../../services/common/src/testing/redis-server';
import { startRedisSentinel, startRedisServer } from '../../services/common/src/testing/redis-server';
import { synthesize } from '../lib';
import { RedisSentinelChart } from './redis-sentinel-chart';
import { redisSnapshotScript } from './redis-snapshot-script';
import { REDIS_SENTINEL_PROPS, REDIS_SNAPSHOT_PROPS } from '../../test/support/redis-sentinel-props';

const PASSWORD = 'cronjob-run-pw';
const SECRETS: Record<string, Record<string, string>> = { 'redis-auth': { password: PASSWORD } };
const DESTINATION = REDIS_SNAPSHOT_PROPS.destination;

type Obj = Record<string, any>;

function client(port: number): Redis {
  const redis = new Redis({
    host: '127.0.0.1',
    port,
    password: PASSWORD,
    lazyConnect: true,
    maxRetriesPerRequest: 1,
  });
  redis.on('error', () => undefined);
  return redis;
}

/** The rendered CronJob's pod spec. */
function renderedPod(): Obj {
  const objects = synthesize(
    (app) =>
      new RedisSentinelChart(app, 'redis', { ...REDIS_SENTINEL_PROPS, snapshot: REDIS_SNAPSHOT_PROPS }),
  );
  const cronJob = objects.find((o) => o.kind === 'CronJob') as Obj;
  return cronJob.spec.jobTemplate.spec.template.spec;
}

describe('the rendered snapshot CronJob, run against real Redis processes', () => {
  let master: RedisTestProcess;
  let sentinel: RedisTestProcess;
  let dir: string;
  const stops: (() => Promise<unknown> | unknown)[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'redis-snapshot-cronjob-'));
    master = await startRedisServer({ password: PASSWORD });
    sentinel = await startRedisSentinel({ master, password: PASSWORD });
    const redis = client(master.port);
    await redis.connect();
    const pipeline = redis.pipeline();
    for (let i = 0; i < 200; i++) pipeline.set(`product:item:v1:${i}`, `thing ${i}`);
    pipeline.hset('session:ada', { user: 'ada', roles: 'admin' });
    await pipeline.exec();
    await redis.quit();
  }, 60_000);
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
    await sentinel?.stop();
    await master?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('fetches, uploads to the rendered s3:// destination, and a server restored from the upload has every key', async () => {
    const pod = renderedPod();
    const [fetch] = pod.initContainers as Obj[];
    const [upload] = pod.containers as Obj[];

    // Volumes as the kubelet mounts them: the script ConfigMap and one emptyDir both containers share.
    const volumes: Record<string, string> = {
      script: join(dir, 'script'),
      work: join(dir, 'work'),
      tmp: join(dir, 'tmp'),
    };
    for (const path of Object.values(volumes)) mkdirSync(path);
    // The script for these local processes; the chart's own (sentinels by DNS name) is compared in
    // redis-snapshot-cronjob.test.ts.
    writeFileSync(
      join(volumes.script!, 'redis-snapshot.sh'),
      redisSnapshotScript({
        dataHosts: ['127.0.0.1'],
        sentinelHosts: ['127.0.0.2', '127.0.0.1', '127.0.0.3'],
        sentinelPort: sentinel.port,
        redisPort: master.port,
      }),
    );
    const local = (container: Obj, path: string): string => {
      const mount = (container.volumeMounts as Obj[]).find((m) => path.startsWith(m.mountPath as string));
      if (mount === undefined) throw new Error(`${String(container.name)} mounts nothing at ${path}`);
      return volumes[mount.name as string]! + path.slice((mount.mountPath as string).length);
    };
    const envOf = (container: Obj): Record<string, string> =>
      Object.fromEntries(
        (container.env as Obj[]).map((e) => {
          const ref = e.valueFrom?.secretKeyRef as { name: string; key: string } | undefined;
          const value = ref !== undefined ? SECRETS[ref.name]![ref.key]! : String(e.value);
          return [
            e.name as string,
            e.name === 'WORK_DIR' || e.name === 'HOME' ? local(container, value) : value,
          ];
        }),
      );

    // The AWS CLI stand-in: records its arguments, copies `s3 cp <file> s3://<bucket>/<key>` into fake-s3/.
    const bin = join(dir, 'bin');
    const s3 = join(dir, 'fake-s3');
    const calls = join(dir, 'aws-calls');
    mkdirSync(bin);
    writeFileSync(
      join(bin, 'aws'),
      `#!/bin/sh\nprintf '%s\\n' "$*" >>'${calls}'\n[ "$1 $2 $3" = 's3 cp --only-show-errors' ] || exit 2\nkey="\${5#s3://}"\nmkdir -p "${s3}/$(dirname "$key")"\ncp "$4" "${s3}/$key"\n`,
    );
    chmodSync(join(bin, 'aws'), 0o755);

    const run = (container: Obj, extraPath = '') => {
      const [shell, script, step] = container.command as string[];
      return spawnSync(shell!, [local(container, script!), step!], {
        env: { PATH: `${extraPath}${process.env.PATH ?? ''}`, ...envOf(container) },
        encoding: 'utf8',
      });
    };
    const fetched = run(fetch!);
    expect({ status: fetched.status, stderr: fetched.stderr }).toEqual({ status: 0, stderr: '' });
    expect(fetched.stdout).not.toContain(PASSWORD);
    const [rdb] = readdirSync(volumes.work!);
    expect(rdb).toMatch(/^redis-\d{8}T\d{6}Z\.rdb$/);

    // The upload container has no password and no redis-cli need: only its own environment.
    expect(envOf(upload!).REDIS_PASSWORD).toBeUndefined();
    const uploaded = run(upload!, `${bin}:`);
    expect({ status: uploaded.status, stderr: uploaded.stderr }).toEqual({ status: 0, stderr: '' });
    const work = local(upload!, '/snapshot');
    expect(readFileSync(calls, 'utf8').trim().split('\n')).toEqual([
      `s3 cp --only-show-errors ${work}/${rdb} ${DESTINATION}${rdb}`,
      `s3 cp --only-show-errors ${work}/${rdb}.sha256 ${DESTINATION}${rdb}.sha256`,
    ]);
    expect(readdirSync(volumes.work!)).toEqual([]);
    const landed = join(s3, 'platform-prod-backups', 'redis', 'prod');
    expect(readdirSync(landed).sort()).toEqual([rdb, `${rdb}.sha256`]);

    // Restore as the README says. With appendonly yes (the chart's setting) Redis ignores a lone dump.rdb
    // and starts empty; so the RDB goes in as the base of a multi-part AOF (Redis >= 7), with its manifest.
    const check = spawnSync('sha256sum', ['-c', `${rdb}.sha256`], { cwd: landed, encoding: 'utf8' });
    expect(check.status).toBe(0);
    const bytes = readFileSync(join(landed, rdb!));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(
      readFileSync(join(landed, `${rdb}.sha256`), 'utf8').split(' ')[0],
    );
    const data = join(dir, 'restore');
    mkdirSync(join(data, 'appendonlydir'), { recursive: true });
    copyFileSync(join(landed, rdb!), join(data, 'appendonlydir', 'appendonly.aof.1.base.rdb'));
    writeFileSync(
      join(data, 'appendonlydir', 'appendonly.aof.manifest'),
      'file appendonly.aof.1.base.rdb seq 1 type b\n',
    );
    // The chart's AOF settings: the server loads the multi-part AOF whose base is the snapshot.
    const restored = await startRedisServer({ password: PASSWORD, dataDir: data, appendonly: true });
    stops.push(() => restored.stop());
    const restoredClient = client(restored.port);
    await restoredClient.connect();
    stops.push(() => restoredClient.disconnect());
    expect(await restoredClient.dbsize()).toBe(201);
    expect(await restoredClient.get('product:item:v1:199')).toBe('thing 199');
    expect(await restoredClient.hgetall('session:ada')).toEqual({ user: 'ada', roles: 'admin' });
  }, 60_000);
});
