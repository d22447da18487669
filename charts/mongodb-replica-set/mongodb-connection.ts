import { checkMembers } from './validation';

export const MONGODB_PORT = 27017;
export const DEFAULT_CLUSTER_NAME = 'mongodb';
export const DEFAULT_REPLSET_NAME = 'rs0';

/**
 * The labels the Percona operator (v1.21) puts on the data-bearing mongod pods of cluster `name` (every replica
 * set); arbiter, hidden and non-voting pods carry another component. For selectors and NetworkPolicy peers.
 */
export function MONGOD_POD_LABELS(name: string): Readonly<Record<string, string>> {
  return {
    'app.kubernetes.io/name': 'percona-server-mongodb',
    'app.kubernetes.io/instance': name,
    'app.kubernetes.io/component': 'mongod',
  };
}

export interface MongoHostsInput {
  readonly namespace: string;
  readonly members: number;
  /** @default 'mongodb' */
  readonly name?: string;
  /** @default 'rs0' */
  readonly replsetName?: string;
}

/**
 * host:port of every member, through the headless Service the operator creates, in member order:
 * `<name>-<replset>-<i>.<name>-<replset>.<namespace>.svc.cluster.local:27017`. Accepts the chart's props.
 */
export function mongoHosts(props: MongoHostsInput): string[] {
  const name = props.name ?? DEFAULT_CLUSTER_NAME;
  const replset = props.replsetName ?? DEFAULT_REPLSET_NAME;
  checkMembers(props.members);
  const service = `${name}-${replset}`;
  return Array.from(
    { length: props.members },
    (_, i) => `${service}-${i}.${service}.${props.namespace}.svc.cluster.local:${MONGODB_PORT}`,
  );
}

export interface MongoConnectionInput {
  readonly hosts: readonly string[];
  /** @default 'rs0' (the chart's default replsetName) */
  readonly replicaSet?: string;
  /** Default database of the connection (the user's own). */
  readonly database: string;
  readonly username: string;
  readonly password: string;
}

/**
 * `mongodb://user:password@h1,h2,h3/database?replicaSet=rs0&authSource=admin`, with user, password and database
 * percent-encoded (a password may hold ':', '@', '/' or '%'). authSource is admin because the chart creates
 * every user there. A plain function of strings, so it also runs inside a Pulumi `apply`.
 */
export function mongoConnectionString(input: MongoConnectionInput): string {
  const replicaSet = input.replicaSet ?? DEFAULT_REPLSET_NAME;
  if (input.hosts.length === 0) throw new Error('mongoConnectionString: hosts must not be empty (got [])');
  for (const [field, value] of Object.entries({
    replicaSet,
    database: input.database,
    username: input.username,
    password: input.password,
  })) {
    if (value === '') throw new Error(`mongoConnectionString: ${field} must not be empty (got "")`);
  }
  const auth = `${encodeURIComponent(input.username)}:${encodeURIComponent(input.password)}`;
  const query = `replicaSet=${encodeURIComponent(replicaSet)}&authSource=admin`;
  return `mongodb://${auth}@${input.hosts.join(',')}/${encodeURIComponent(input.database)}?${query}`;
}
