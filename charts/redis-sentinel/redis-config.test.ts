import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  redisBootstrapScript,
  redisConf,
  redisPreStopScript,
  resolveRedisTopology,
  sentinelBootstrapScript,
  sentinelConf,
  type RedisTopology,
} from './redis-config';

const topology: RedisTopology = {
  dataHosts: ['redis-0.example', 'redis-1.example', 'redis-2.example'],
  sentinelHosts: ['sentinel-0.example', 'sentinel-1.example', 'sentinel-2.example'],
};
const PASSWORD = `pa"ss\\w o'rd $HOME`;

describe('redisConf', () => {
  it('keeps every write in the AOF within a second and syncs a rejoining replica at once', () => {
    const conf = redisConf(topology);
    expect(conf).toContain('appendonly yes\n');
    expect(conf).toContain('appendfsync everysec\n');
    expect(conf).toContain('repl-diskless-sync-delay 0\n');
    expect(conf).toContain('port 6379\n');
    expect(conf).toContain('maxmemory-policy noeviction\n');
    expect(conf).not.toContain('maxmemory ');
    expect(redisConf({ ...topology, maxMemoryBytes: 2 ** 30 })).toContain('maxmemory 1073741824\n');
  });

  it('requires a replica for writes only when there is one', () => {
    expect(redisConf(topology)).toContain('min-replicas-to-write 1\nmin-replicas-max-lag 10\n');
    const single = redisConf({ ...topology, dataHosts: ['redis-0.example'] });
    expect(single).toContain('min-replicas-to-write 0\n');
    expect(single).not.toContain('min-replicas-max-lag');
  });
});

describe('sentinelConf', () => {
  it('monitors the master with the majority quorum, 5 s down-after and host names', () => {
    const conf = sentinelConf(topology);
    expect(conf).toContain('sentinel monitor mymaster @MASTER_HOST@ @MASTER_PORT@ 2\n');
    expect(conf).toContain('sentinel down-after-milliseconds mymaster 5000\n');
    expect(conf).toContain('sentinel failover-timeout mymaster 30000\n');
    expect(conf.indexOf('sentinel resolve-hostnames yes')).toBeLessThan(conf.indexOf('sentinel monitor'));
    expect(conf).toContain('sentinel announce-hostnames yes\n');
  });

  it('uses the declared quorum, timings and master name', () => {
    const conf = sentinelConf({
      ...topology,
      sentinelHosts: ['s0', 's1', 's2', 's3', 's4'],
      quorum: 4,
      masterName: 'cache',
      downAfterMilliseconds: 2000,
      failoverTimeoutMilliseconds: 10000,
      sentinelPort: 26380,
    });
    expect(conf).toContain('port 26380\n');
    expect(conf).toContain('sentinel monitor cache @MASTER_HOST@ @MASTER_PORT@ 4\n');
    expect(conf).toContain('sentinel down-after-milliseconds cache 2000\n');
    expect(conf).toContain('sentinel failover-timeout cache 10000\n');
  });
});

describe('resolveRedisTopology', () => {
  it.each<[Partial<RedisTopology>, string]>([
    [{ dataHosts: [] }, 'topology.dataHosts must name at least one data node (got 0)'],
    [
      { sentinelHosts: ['a', 'b'] },
      'topology.sentinelHosts must name an odd number >= 3 of sentinels (got 2)',
    ],
    [{ quorum: 1 }, 'topology.quorum must be a majority of the 3 sentinels: 2..3 (got 1)'],
    [{ quorum: 4 }, 'topology.quorum must be a majority of the 3 sentinels: 2..3 (got 4)'],
    [
      { downAfterMilliseconds: 5001 },
      'topology.downAfterMilliseconds must be 1000..5000, so a failed master is replaced within seconds (got 5001)',
    ],
    [
      { dataHosts: ['ok', 'bad host'] },
      'topology.dataHosts[1] must be a host name or IP address (got "bad host")',
    ],
    [{ dataHosts: ['a', 'a'] }, 'topology.dataHosts must not repeat a host (got "a")'],
    [
      { masterName: 'my master' },
      'topology.masterName must be 1..64 characters of [A-Za-z0-9._-] (got "my master")',
    ],
    [{ redisPort: 26379 }, 'topology.sentinelPort must differ from redisPort 26379 (got 26379)'],
    [
      { failoverTimeoutMilliseconds: 5000 },
      'topology.failoverTimeoutMilliseconds must be an integer >= twice downAfterMilliseconds (10000) (got 5000)',
    ],
  ])('rejects %j', (change, message) => {
    expect(() => resolveRedisTopology({ ...topology, ...change })).toThrow(message);
  });

  it('applies the defaults', () => {
    expect(resolveRedisTopology(topology)).toMatchObject({
      redisPort: 6379,
      sentinelPort: 26379,
      masterName: 'mymaster',
      quorum: 2,
      downAfterMilliseconds: 5000,
      failoverTimeoutMilliseconds: 30000,
    });
  });
});

describe('bootstrap scripts', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'redis-config-test-'));
    writeFileSync(join(dir, 'redis.conf'), redisConf(topology));
    writeFileSync(join(dir, 'sentinel.conf'), sentinelConf(topology));
    writeFileSync(join(dir, 'redis-bootstrap.sh'), redisBootstrapScript(topology));
    writeFileSync(join(dir, 'sentinel-bootstrap.sh'), sentinelBootstrapScript(topology));
    // Stand-ins: redis-cli answers as the sentinels would (STUB_MASTER = "host port", or unreachable), and
    // redis-server / redis-sentinel print the config they were exec'ed with.
    const stub = (name: string, body: string) => {
      writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
      chmodSync(join(dir, name), 0o755);
    };
    stub(
      'redis-cli',
      'case "$*" in *get-master-addr-by-name*) [ -n "${STUB_MASTER:-}" ] || exit 1; printf "%s\\n" $STUB_MASTER ;; *) exit 1 ;; esac',
    );
    stub('redis-server', 'echo "exec redis-server $1"; cat "$1"');
    stub('redis-sentinel', 'echo "exec redis-sentinel $1"; cat "$1"');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = (script: string, env: Record<string, string>) =>
    spawnSync('sh', [join(dir, script)], {
      encoding: 'utf8',
      env: {
        PATH: `${dir}:${process.env.PATH ?? '/usr/bin:/bin'}`,
        REDIS_PASSWORD: PASSWORD,
        DATA_DIR: join(dir, 'data'),
        CONFIG_DIR: join(dir, 'run'),
        ...env,
      },
    });

  it('pass sh -n', () => {
    for (const script of [
      redisBootstrapScript(topology),
      sentinelBootstrapScript(topology),
      redisPreStopScript(topology),
    ]) {
      expect(() => execFileSync('sh', ['-n'], { input: script })).not.toThrow();
    }
  });

  it('start host 0 as master and the others as its replicas when no sentinel answers', () => {
    const first = run('redis-bootstrap.sh', { ANNOUNCE_HOST: 'redis-0.example' });
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('starting as master (first start');
    expect(first.stdout).toContain(`exec redis-server ${join(dir, 'run', 'redis.conf')}`);
    expect(first.stdout).not.toMatch(/^replicaof /m);
    const second = run('redis-bootstrap.sh', { ANNOUNCE_HOST: 'redis-1.example' });
    expect(second.stdout).toContain('replicaof redis-0.example 6379\n');
    expect(second.stdout).toContain('replica-announce-ip redis-1.example\n');
  });

  it('follow the master the sentinels name, so a restarted former master comes back as a replica', () => {
    const old = run('redis-bootstrap.sh', {
      ANNOUNCE_HOST: 'redis-0.example',
      STUB_MASTER: 'redis-2.example 6379',
    });
    expect(old.stdout).toContain('starting as replica of redis-2.example 6379 (sentinel sentinel-0.example)');
    expect(old.stdout).toContain('replicaof redis-2.example 6379\n');
    const current = run('redis-bootstrap.sh', {
      ANNOUNCE_HOST: 'redis-2.example',
      STUB_MASTER: 'redis-2.example 6379',
    });
    expect(current.stdout).toContain('starting as master (sentinel sentinel-0.example)');
    expect(current.stdout).not.toMatch(/^replicaof /m);
  });

  it('write the password into the final config only, quoted, and never print it', () => {
    const result = run('redis-bootstrap.sh', { ANNOUNCE_HOST: 'redis-1.example' });
    const written = readFileSync(join(dir, 'run', 'redis.conf'), 'utf8');
    expect(written).toContain(`requirepass "pa\\"ss\\\\w o'rd $HOME"\n`);
    expect(written).toContain(`masterauth "pa\\"ss\\\\w o'rd $HOME"\n`);
    expect(result.stderr).not.toContain(PASSWORD);
    expect(result.stdout.split('\n')[0]).not.toContain('pa"ss');
  });

  it('monitor the master the other sentinels know, else data host 0, with every password directive', () => {
    const fresh = run('sentinel-bootstrap.sh', { ANNOUNCE_HOST: 'sentinel-1.example' });
    expect(fresh.status).toBe(0);
    expect(fresh.stdout).toContain('sentinel monitor mymaster redis-0.example 6379 2\n');
    const later = run('sentinel-bootstrap.sh', {
      ANNOUNCE_HOST: 'sentinel-1.example',
      STUB_MASTER: 'redis-2.example 6379',
    });
    expect(later.stdout).toContain('sentinel monitor mymaster redis-2.example 6379 2\n');
    expect(later.stdout).toContain('sentinel announce-ip sentinel-1.example\n');
    expect(later.stdout).toContain('requirepass "pa\\"ss');
    expect(later.stdout).toContain('sentinel auth-pass mymaster "pa\\"ss');
    expect(later.stdout).toContain('sentinel sentinel-pass "pa\\"ss');
  });

  it('keep the sentinel id across a container restart', () => {
    const id = 'a'.repeat(40);
    run('sentinel-bootstrap.sh', { ANNOUNCE_HOST: 'sentinel-1.example' });
    const config = join(dir, 'run', 'sentinel.conf');
    writeFileSync(config, `${readFileSync(config, 'utf8')}sentinel myid ${id}\n`);
    expect(run('sentinel-bootstrap.sh', { ANNOUNCE_HOST: 'sentinel-1.example' }).stdout).toContain(
      `sentinel myid ${id}\n`,
    );
  });

  it('fail clearly when a required variable is missing', () => {
    const noHost = run('redis-bootstrap.sh', {});
    expect(noHost.status).not.toBe(0);
    expect(noHost.stderr).toContain('redis-bootstrap: ANNOUNCE_HOST is required');
    const noPassword = run('sentinel-bootstrap.sh', {
      ANNOUNCE_HOST: 'sentinel-0.example',
      REDIS_PASSWORD: '',
    });
    expect(noPassword.status).not.toBe(0);
    expect(noPassword.stderr).toContain('sentinel-bootstrap: REDIS_PASSWORD is required');
  });
});
