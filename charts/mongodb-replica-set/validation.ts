/**
 * Checks of the chart's props that the CRD cannot make (or that the operator would only log and ignore). Every
 * error names the field as `mongodb.<path>`, the value and what is allowed.
 */
import { cronProblem } from './cron';
import type {
  AntiAffinityTopologyKey,
  EgressTarget,
  MongoBackup,
  MongoUser,
} from './mongodb-replica-set-props';

/** The operator's limit on len(cluster name + replset name). */
const MAX_CLUSTER_AND_REPLSET_LENGTH = 50;
/** Service names must be RFC 1035 labels, and the operator derives Service names from both names. */
const NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** Conservative for MongoDB (databases may not contain /\. "$ and have at most 63 bytes). */
const MONGO_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;
const SECRET_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Databases MongoDB keeps for itself; a service user never gets readWrite there. */
const RESERVED_DATABASES = new Set(['admin', 'local', 'config']);
/** The operator's default system user names; it refuses (only logging it) a custom user with one of them. */
const SYSTEM_USERS = new Set(['backup', 'databaseAdmin', 'clusterAdmin', 'clusterMonitor', 'userAdmin']);
const ANTI_AFFINITY_KEYS: ReadonlySet<string> = new Set<AntiAffinityTopologyKey>([
  'kubernetes.io/hostname',
  'topology.kubernetes.io/zone',
  'topology.kubernetes.io/region',
]);
const VERSION = /^(\d+)\.(\d+)\.(\d+)$/;
const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const IPV6_CIDR = /^[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*\/(\d{1,3})$/;
/** PITR chunks shorter than this keep the recovery point objective under 15 minutes. */
const MAX_OPLOG_SPAN_MINUTES = 15;

function fail(field: string, message: string, value: unknown): never {
  throw new Error(`mongodb.${field} ${message} (got ${JSON.stringify(value)})`);
}

export function checkMembers(members: number): void {
  if (!Number.isInteger(members) || members < 3 || members % 2 === 0) {
    fail('members', 'must be an odd number >= 3', members);
  }
}

export function checkNames(name: string, replsetName: string): void {
  if (!NAME.test(name)) {
    fail('name', 'must be lowercase letters, digits and "-", starting with a letter', name);
  }
  if (!NAME.test(replsetName)) {
    fail('replsetName', 'must be lowercase letters, digits and "-", starting with a letter', replsetName);
  }
  if (name.length + replsetName.length > MAX_CLUSTER_AND_REPLSET_LENGTH) {
    throw new Error(
      `mongodb.name and mongodb.replsetName together must have at most ${MAX_CLUSTER_AND_REPLSET_LENGTH} characters, the operator's limit (got ${name.length + replsetName.length}: "${name}" + "${replsetName}")`,
    );
  }
}

/** Task retention (`retention`, used instead of the deprecated `keep`) is read by operators from 1.21.0 on. */
export function checkCrVersion(crVersion: string): void {
  const match = VERSION.exec(crVersion);
  const [major, minor] = match === null ? [0, 0] : [Number(match[1]), Number(match[2])];
  if (match === null || major < 1 || (major === 1 && minor < 21)) {
    fail('crVersion', 'must be an operator version x.y.z of 1.21.0 or later', crVersion);
  }
}

/** An image with a tag (other than latest) or a digest, so a restart never changes the version. */
export function checkPinnedImage(field: string, image: string): void {
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const tag = lastSegment.includes(':') ? lastSegment.slice(lastSegment.indexOf(':') + 1) : undefined;
  const pinned = image.includes('@sha256:') || (tag !== undefined && tag !== '' && tag !== 'latest');
  if (!pinned) fail(field, 'must be pinned with a tag other than "latest" or a digest', image);
}

export function checkAntiAffinityKey(key: string): void {
  if (!ANTI_AFFINITY_KEYS.has(key)) {
    fail('antiAffinityTopologyKey', `must be one of ${[...ANTI_AFFINITY_KEYS].join(', ')}`, key);
  }
}

export function checkUsers(users: readonly MongoUser[]): void {
  const names = new Set<string>();
  const databases = new Set<string>();
  users.forEach((user, i) => {
    const at = `users[${i}]`;
    if (!MONGO_NAME.test(user.name)) {
      fail(`${at}.name`, 'must be a letter then up to 62 letters, digits, "_" or "-"', user.name);
    }
    if (SYSTEM_USERS.has(user.name)) {
      fail(`${at}.name`, 'must not be one of the operator system users', user.name);
    }
    if (names.has(user.name)) fail(`${at}.name`, 'must be unique among users', user.name);
    names.add(user.name);
    if (!MONGO_NAME.test(user.database)) {
      fail(`${at}.database`, 'must be a letter then up to 62 letters, digits, "_" or "-"', user.database);
    }
    if (RESERVED_DATABASES.has(user.database)) {
      fail(`${at}.database`, 'must not be admin, local or config', user.database);
    }
    // One owner per database: access is granted per database, so a shared one could not be told apart.
    if (databases.has(user.database)) fail(`${at}.database`, 'must be unique among users', user.database);
    databases.add(user.database);
    if (!SECRET_NAME.test(user.passwordSecret.name)) {
      fail(
        `${at}.passwordSecret.name`,
        'must be a Secret name (RFC 1123 subdomain)',
        user.passwordSecret.name,
      );
    }
    if (user.passwordSecret.key === '') fail(`${at}.passwordSecret.key`, 'must not be empty', '');
  });
}

export function checkBackup(backup: MongoBackup): void {
  const { storage } = backup;
  if (storage.bucket === '') fail('backup.storage.bucket', 'must not be empty', storage.bucket);
  if (storage.region === '') fail('backup.storage.region', 'must not be empty', storage.region);
  if (storage.endpointUrl !== undefined && !/^https?:\/\/[^/\s]+/.test(storage.endpointUrl)) {
    fail('backup.storage.endpointUrl', 'must be an http(s) URL', storage.endpointUrl);
  }
  if (storage.credentialsSecret !== undefined && !SECRET_NAME.test(storage.credentialsSecret)) {
    fail(
      'backup.storage.credentialsSecret',
      'must be a Secret name (RFC 1123 subdomain)',
      storage.credentialsSecret,
    );
  }
  if (backup.mode === 'restore-only') return;
  if (backup.mode !== undefined && backup.mode !== 'scheduled') {
    fail('backup.mode', "must be 'scheduled' or 'restore-only'", backup.mode);
  }
  const cron = cronProblem(backup.schedule);
  if (cron !== undefined) fail('backup.schedule', `must be a cron expression: ${cron}`, backup.schedule);
  if (!Number.isInteger(backup.keep) || backup.keep < 1) {
    fail('backup.keep', 'must be an integer >= 1', backup.keep);
  }
  const pitr = backup.pointInTimeRecovery;
  if (pitr.enabled && !(pitr.oplogSpanMinutes > 0 && pitr.oplogSpanMinutes < MAX_OPLOG_SPAN_MINUTES)) {
    fail(
      'backup.pointInTimeRecovery.oplogSpanMinutes',
      `must be > 0 and < ${MAX_OPLOG_SPAN_MINUTES} (the recovery point objective) when enabled`,
      pitr.oplogSpanMinutes,
    );
  }
}

export function checkEgress(field: string, target: EgressTarget): void {
  if (target.ports.length === 0) fail(`${field}.ports`, 'must not be empty', target.ports);
  for (const port of target.ports) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      fail(`${field}.ports`, 'must hold TCP ports 1-65535', port);
    }
  }
  if (target.cidr !== undefined && !isCidr(target.cidr)) {
    fail(`${field}.cidr`, 'must be a CIDR such as 10.0.0.0/8', target.cidr);
  }
}

export function checkPort(field: string, port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail(field, 'must be a TCP port 1-65535', port);
}

function isCidr(text: string): boolean {
  const v4 = IPV4_CIDR.exec(text);
  if (v4 !== null) return v4.slice(1, 5).every((octet) => Number(octet) <= 255) && Number(v4[5]) <= 32;
  const v6 = IPV6_CIDR.exec(text);
  return v6 !== null && Number(v6[1]) <= 128;
}
