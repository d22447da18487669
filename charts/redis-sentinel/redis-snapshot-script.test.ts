import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import Redis from 'ioredis';
import type { RedisTestProcess } from '../../services/common/src/testing/redis-server';
import { startRedisSentinel, startRedisServer } from '../../services/common/src/testing/redis-server';
import { redisSnapshotScript } from './redis-snapshot-script';

// A $ in the password: the script must pass it on, never expand it (the test sentinel's config cannot take
// quotes or spaces; the bootstrap scripts' tests cover those).
const PASSWORD = 'snapshot-pw-$HOME-x';

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

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runScript(script: string, args: readonly string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', script, 'redis-snapshot.sh', ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function dump(redis: Redis): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const key of (await redis.keys('*')).sort()) {
    const type = await redis.type(key);
    out[key] =
      type === 'string'
        ? await redis.get(key)
        : type === 'hash'
          ? await redis.hgetall(key)
          : type === 'list'
            ? await redis.lrange(key, 0, -1)
            : type;
  }
  return out;
}

describe('the Redis snapshot script against real redis-server and redis-sentinel processes', () => {
  let master: RedisTestProcess;
  let sentinel: RedisTestProcess;
  let dir: string;
  let script: string;
  const cleanups: (() => Promise<unknown> | unknown)[] = [];

  beforeAll(async () => {
    master = await startRedisServer({ password: PASSWORD });
    sentinel = await startRedisSentinel({ master, password: PASSWORD });
    // Three sentinels in the topology; only the second listens (nothing answers on 127.0.0.2 and .3), so the
    // script has to move on from a sentinel that does not answer.
    script = redisSnapshotScript({
      dataHosts: ['127.0.0.1'],
      sentinelHosts: ['127.0.0.2', '127.0.0.1', '127.0.0.3'],
      sentinelPort: sentinel.port,
      redisPort: master.port,
    });
    const redis = client(master.port);
    await redis.connect();
    const pipeline = redis.pipeline();
    for (let i = 0; i < 500; i++)
      pipeline.set(`product:item:v1:${i}`, JSON.stringify({ id: i, name: `thing ${i}` }));
    pipeline.hset('session:ada', { user: 'ada', roles: 'admin,analyst' });
    pipeline.rpush('queue:mail', 'one', 'two', 'three');
    await pipeline.exec();
    await redis.quit();
  }, 60_000);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'redis-snapshot-'));
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    rmSync(dir, { recursive: true, force: true });
  });
  afterAll(async () => {
    await sentinel?.stop();
    await master?.stop();
  });

  it('takes a snapshot of the master the sentinels name, uploads it with its SHA-256, and a fresh server restored from it has the same keys', async () => {
    const work = join(dir, 'work');
    const bucket = join(dir, 'bucket');
    spawnSync('mkdir', ['-p', work]);
    const run = await runScript(script, ['run'], {
      REDIS_PASSWORD: PASSWORD,
      SNAPSHOT_DESTINATION: `file://${bucket}`,
      SNAPSHOT_NAME: 'redis-prod',
      WORK_DIR: work,
    });
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(
      new RegExp(
        `snapshot of 127\\.0\\.0\\.1:${master.port} taken: redis-prod-\\d{8}T\\d{6}Z\\.rdb, \\d+ bytes`,
      ),
    );
    expect(run.stdout).not.toContain(PASSWORD);
    const files = readdirSync(bucket).sort();
    expect(files).toHaveLength(2);
    const [rdb, sum] = files as [string, string];
    expect(sum).toBe(`${rdb}.sha256`);
    const bytes = readFileSync(join(bucket, rdb));
    expect(bytes.subarray(0, 5).toString()).toBe('REDIS');
    expect(readFileSync(join(bucket, sum), 'utf8')).toBe(
      `${createHash('sha256').update(bytes).digest('hex')}  ${rdb}\n`,
    );
    // Nothing is left behind in the work directory.
    expect(readdirSync(work)).toEqual([]);

    // Restore: a fresh server started on the uploaded file.
    const restoreDir = join(dir, 'restore');
    spawnSync('mkdir', ['-p', restoreDir]);
    writeFileSync(join(restoreDir, 'dump.rdb'), bytes);
    const restored = await startRedisServer({ password: PASSWORD, dataDir: restoreDir });
    cleanups.push(() => restored.stop());
    const restoredClient = client(restored.port);
    await restoredClient.connect();
    cleanups.push(() => restoredClient.disconnect());
    const original = client(master.port);
    cleanups.push(() => original.disconnect());
    await original.connect();
    const [before, after] = [await dump(original), await dump(restoredClient)];
    expect(Object.keys(after)).toHaveLength(502);
    expect(after).toEqual(before);
  }, 60_000);

  it('fetch and upload as separate steps (two containers) give the same result', async () => {
    const bucket = join(dir, 'bucket');
    const env = { REDIS_PASSWORD: PASSWORD, SNAPSHOT_DESTINATION: `file://${bucket}`, WORK_DIR: dir };
    expect((await runScript(script, ['fetch'], env)).code).toBe(0);
    expect(readdirSync(dir).filter((f) => f.endsWith('.rdb'))).toHaveLength(1);
    const upload = await runScript(script, ['upload'], {
      SNAPSHOT_DESTINATION: `file://${bucket}`,
      WORK_DIR: dir,
    });
    expect(upload.code).toBe(0);
    expect(readdirSync(bucket).filter((f) => f.endsWith('.rdb'))).toHaveLength(1);
    const again = await runScript(script, ['upload'], {
      SNAPSHOT_DESTINATION: `file://${bucket}`,
      WORK_DIR: dir,
    });
    expect([again.code, again.stderr.trim()]).toEqual([
      1,
      `redis-snapshot: no snapshot in ${dir} to upload (run the fetch step first)`,
    ]);
  }, 60_000);

  it('refuses bad settings with the setting and the value, and uploads nothing', async () => {
    const base = { REDIS_PASSWORD: PASSWORD, WORK_DIR: dir };
    const cases: [Record<string, string>, string[], string][] = [
      [
        { ...base, SNAPSHOT_DESTINATION: 'https://bucket' },
        ['run'],
        "SNAPSHOT_DESTINATION must be s3://<bucket>/<prefix> or file:///<dir> (got 'https://bucket')",
      ],
      [
        { ...base, SNAPSHOT_DESTINATION: `file://${dir}/b`, SNAPSHOT_NAME: 'a b' },
        ['run'],
        "SNAPSHOT_NAME must be letters, digits, '.', '_' or '-' (got 'a b')",
      ],
      [
        { ...base, SNAPSHOT_DESTINATION: `file://${dir}/b` },
        ['restore'],
        "the step must be run, fetch or upload (got 'restore')",
      ],
      [
        { WORK_DIR: dir, SNAPSHOT_DESTINATION: `file://${dir}/b` },
        ['run'],
        'REDIS_PASSWORD is required (from the auth Secret)',
      ],
    ];
    for (const [env, args, message] of cases) {
      const run = await runScript(script, args, env);
      expect([run.code, run.stderr.trim()]).toEqual([1, `redis-snapshot: ${message}`]);
    }
    expect(readdirSync(dir)).toEqual([]);
  }, 60_000);

  it('fails naming the sentinels when none answers', async () => {
    const lonely = redisSnapshotScript({
      dataHosts: ['127.0.0.1'],
      sentinelHosts: ['127.0.0.2', '127.0.0.3', '127.0.0.4'],
      sentinelPort: sentinel.port,
    });
    const run = await runScript(lonely, ['run'], {
      REDIS_PASSWORD: PASSWORD,
      SNAPSHOT_DESTINATION: `file://${dir}/b`,
      WORK_DIR: dir,
    });
    expect([run.code, run.stderr.trim()]).toEqual([
      1,
      `redis-snapshot: no sentinel answered for mymaster (asked 127.0.0.2 127.0.0.3 127.0.0.4 on port ${sentinel.port})`,
    ]);
    expect(readdirSync(dir)).toEqual([]);
  }, 60_000);
});
