import { MONGOD_POD_LABELS, mongoConnectionString, mongoHosts } from './mongodb-connection';

describe('mongoHosts', () => {
  it('lists every member through the headless Service, with the chart defaults', () => {
    expect(mongoHosts({ namespace: 'data', members: 3 })).toEqual([
      'mongodb-rs0-0.mongodb-rs0.data.svc.cluster.local:27017',
      'mongodb-rs0-1.mongodb-rs0.data.svc.cluster.local:27017',
      'mongodb-rs0-2.mongodb-rs0.data.svc.cluster.local:27017',
    ]);
  });

  it('follows the cluster and replica set names', () => {
    const hosts = mongoHosts({ namespace: 'db', members: 5, name: 'orders', replsetName: 'main' });
    expect(hosts).toHaveLength(5);
    expect(hosts[4]).toBe('orders-main-4.orders-main.db.svc.cluster.local:27017');
  });

  it('refuses a member count the chart refuses', () => {
    expect(() => mongoHosts({ namespace: 'data', members: 2 })).toThrow(
      'mongodb.members must be an odd number >= 3 (got 2)',
    );
  });
});

describe('mongoConnectionString', () => {
  const hosts = mongoHosts({ namespace: 'data', members: 3 });

  it('names all hosts, the replica set, the database and authSource=admin', () => {
    expect(
      mongoConnectionString({
        hosts,
        replicaSet: 'rs0',
        database: 'product',
        username: 'product',
        password: 'pw',
      }),
    ).toBe(
      'mongodb://product:pw@mongodb-rs0-0.mongodb-rs0.data.svc.cluster.local:27017,' +
        'mongodb-rs0-1.mongodb-rs0.data.svc.cluster.local:27017,' +
        'mongodb-rs0-2.mongodb-rs0.data.svc.cluster.local:27017/product?replicaSet=rs0&authSource=admin',
    );
  });

  it('percent-encodes special characters of the user and password so the URI still parses', () => {
    const password = 'p@ss:w/rd?#[]%& +';
    const uri = mongoConnectionString({
      hosts: ['h1:27017', 'h2:27017'],
      database: 'orders',
      username: 'svc@team',
      password,
    });
    expect(uri).toBe(
      'mongodb://svc%40team:p%40ss%3Aw%2Frd%3F%23%5B%5D%25%26%20%2B@h1:27017,h2:27017/orders?replicaSet=rs0&authSource=admin',
    );
    const parsed = new URL(uri.replace('h1:27017,', ''));
    expect(decodeURIComponent(parsed.password)).toBe(password);
    expect(decodeURIComponent(parsed.username)).toBe('svc@team');
  });

  it('refuses empty hosts and empty credentials', () => {
    const input = { hosts, database: 'product', username: 'product', password: 'pw' };
    expect(() => mongoConnectionString({ ...input, hosts: [] })).toThrow('hosts must not be empty');
    expect(() => mongoConnectionString({ ...input, password: '' })).toThrow(
      'mongoConnectionString: password must not be empty (got "")',
    );
  });
});

describe('MONGOD_POD_LABELS', () => {
  it('are the labels the operator sets on the data-bearing mongod pods of a cluster', () => {
    expect(MONGOD_POD_LABELS('mongodb')).toEqual({
      'app.kubernetes.io/name': 'percona-server-mongodb',
      'app.kubernetes.io/instance': 'mongodb',
      'app.kubernetes.io/component': 'mongod',
    });
  });
});
