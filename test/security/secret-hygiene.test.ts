/**
 * Secret hygiene of the offline plan (issue 15): recognisable values are planted wherever a secret enters
 * the program (stack config `secure:` values, passwords Pulumi generates, which also end up in the
 * services' connection settings) and none of them reaches the plan's output in clear text or base64: not a
 * manifest, not resources.json (Helm values included), not the CLI's terminal output. Secrets travel only
 * as references: Secret names, External Secrets keys, secretKeyRef/secretRef.
 *
 * One CLI run plans dev (on prem: Kubernetes Secrets written by Pulumi) and prod (EKS: Secrets Manager
 * synced by External Secrets), so both secret backends are covered.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse, parseDocument } from 'yaml';
import { mockOutputs } from '../../tools/plan/mock-outputs';
import { SECRET_PLACEHOLDER } from '../../tools/plan/stack-file';
import { ensureCompiled } from '../support/ensure-compiled';
import { base64Signatures, filesUnder, scanText, scanTree, type PlantedSecret } from './secret-scanner';

const root = join(__dirname, '..', '..');
const cli = join(root, 'dist', 'tools', 'plan', 'cli.js');
const STACKS = ['dev', 'prod'] as const;
const RANDOM_PASSWORD = 'random:index/randomPassword:RandomPassword';

interface Resource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}
interface KubeObject {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly [field: string]: unknown;
}

/** Plaintext markers for `secure:` values; the stack file holds them the way Pulumi does, as `v1:<base64>`. */
const SECURE_VALUES: Record<(typeof STACKS)[number], Record<string, unknown>> = {
  dev: {
    'platform:kubeconfig': 'PLANTED-dev-kubeconfig-5e1f0a9c',
    'aws:secretKey': 'PLANTED-dev-aws-secret-key-77c2d4e1',
    // A structured value with a secure leaf: the whole key becomes secret.
    'random:planted': { note: 'plain', token: 'PLANTED-dev-structured-leaf-3b8e6f20' },
  },
  prod: { 'aws:secretKey': 'PLANTED-prod-aws-secret-key-90ad41c7' },
};
const cipher = (plain: string) => `v1:${Buffer.from(plain).toString('base64')}`;

/** The secure values as planted: plaintext and stored form, each a marker of its own. */
function plantedConfig(stack: (typeof STACKS)[number]): PlantedSecret[] {
  const leaves: PlantedSecret[] = [];
  const visit = (key: string, value: unknown): void => {
    if (typeof value === 'string') {
      leaves.push({ name: `${stack} ${key} (secure, plaintext)`, value });
      leaves.push({ name: `${stack} ${key} (secure, as stored)`, value: cipher(value) });
    } else if (value !== null && typeof value === 'object' && key.startsWith('random:')) {
      // Only "token" is secure; "note" stays plain.
      visit(`${key}.token`, (value as { token: string }).token);
    }
  };
  for (const [key, value] of Object.entries(SECURE_VALUES[stack])) visit(key, value);
  return leaves;
}

function secureYaml(key: string, value: unknown): unknown {
  if (typeof value === 'string') return { secure: cipher(value) };
  if (key.startsWith('random:')) {
    const { note, token } = value as { note: string; token: string };
    return { note, token: { secure: cipher(token) } };
  }
  return value;
}

const work = mkdtempSync(join(tmpdir(), 'secret-hygiene-'));
const project = join(work, 'project');
const out = join(work, 'plan');
let terminal = '';
let status: number | null = null;

beforeAll(() => {
  ensureCompiled();
  mkdirSync(project);
  writeFileSync(join(project, 'Pulumi.yaml'), 'name: platform\nruntime: nodejs\n');
  for (const stack of STACKS) {
    const doc = parseDocument(readFileSync(join(root, `Pulumi.${stack}.yaml`), 'utf8'));
    for (const [key, value] of Object.entries(SECURE_VALUES[stack])) {
      doc.setIn(['config', key], secureYaml(key, value));
    }
    writeFileSync(join(project, `Pulumi.${stack}.yaml`), doc.toString());
  }
  const run = spawnSync(process.execPath, [cli, ...STACKS, '--root', project, '--out', out], {
    encoding: 'utf8',
    timeout: 240_000,
  });
  status = run.status;
  terminal = `${run.stdout}${run.stderr}`;
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

const resources = (stack: string) =>
  JSON.parse(readFileSync(join(out, stack, 'resources.json'), 'utf8')) as Resource[];
const manifests = (stack: string): { file: string; object: KubeObject }[] =>
  filesUnder(join(out, stack, 'manifests')).map((file) => ({
    file: relative(out, file),
    object: parse(readFileSync(file, 'utf8')) as KubeObject,
  }));

/** The generated passwords of a plan, with the value the mock engine gives each (unique per resource). */
function generatedPasswords(stack: string): PlantedSecret[] {
  return resources(stack)
    .filter((r) => r.type === RANDOM_PASSWORD)
    .map((r) => ({
      name: `${stack} generated password ${r.name}`,
      value: String(mockOutputs(r.type, r.name, r.inputs).result),
    }));
}

/** Every planted value of a stack: secure config, and each generated password. */
const planted = (stack: (typeof STACKS)[number]) => [...plantedConfig(stack), ...generatedPasswords(stack)];
const allPlanted = () => STACKS.flatMap(planted);

/** Paths (`.a.b[0]`) at which `value` holds the placeholder the plan writes for a secret value. */
function placeholderPaths(value: unknown, path = ''): string[] {
  if (value === SECRET_PLACEHOLDER) return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => placeholderPaths(v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => placeholderPaths(v, `${path}.${k}`));
  }
  return [];
}

/**
 * Where a secret value may stand (as the placeholder) in the plan: the data of a Kubernetes Secret, the
 * payload of a Secrets Manager version, and the kubeconfig of the Kubernetes provider. Anywhere else a
 * secret would be written inline into a non-secret object (a ConfigMap, an env value, Helm values).
 */
function secretMayStandAt(type: string, path: string): boolean {
  if (type === 'kubernetes:core/v1:Secret') return /^\.(data|stringData)\.[^.[]+$/.test(path);
  if (type === 'aws:secretsmanager/secretVersion:SecretVersion') return path === '.secretString';
  if (type === 'pulumi:providers:kubernetes') return path === '.kubeconfig';
  return false;
}

/** Every `env` list (of a container, anywhere in an object: workloads, Rollouts, operator CRs). */
function envLists(value: unknown, found: unknown[][] = []): unknown[][] {
  if (Array.isArray(value)) value.forEach((v) => envLists(v, found));
  else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'env' && Array.isArray(child)) found.push(child);
      envLists(child, found);
    }
  }
  return found;
}
const SECRET_LIKE_ENV = /PASSWORD|SECRET|TOKEN|CREDENTIAL|(^|_)KEY(_|$)/;
/** A URL carrying a password in its userinfo (`scheme://user:password@host`). */
const CREDENTIALS_IN_URL = /[a-z][a-z0-9+.-]*:\/\/[^\s/@"':]*:[^\s/@"']+@/i;

describe('secret hygiene of the offline plan', () => {
  it('plans both stacks with the planted values', () => {
    if (status !== 0) throw new Error(`plan failed (exit ${status}):\n${terminal}`);
    expect(terminal).toMatch(/planned 2 stack\(s\)/);
  });

  it('plants a recognisable, distinct value in every place Pulumi generates a password', () => {
    for (const stack of STACKS) {
      const passwords = generatedPasswords(stack);
      const names = passwords.map((p) => p.name).join('\n');
      // Data stores' users and auth, the JWT signing key, service-to-service keys, Grafana's admin.
      for (const place of [/mongodb-\w+-user/, /kafka-\w+-user/, /redis-auth/, /-jwt-/, /service-key-/]) {
        expect(names).toMatch(place);
      }
      expect(names).toMatch(/grafana-admin/);
      expect(new Set(passwords.map((p) => p.value)).size).toBe(passwords.length);
      for (const p of passwords) expect(p.value.length).toBeGreaterThanOrEqual(12);
    }
    // The secure values really are in the stack files the plan read.
    const dev = readFileSync(join(project, 'Pulumi.dev.yaml'), 'utf8');
    for (const p of plantedConfig('dev').filter((x) => x.value.startsWith('v1:'))) {
      expect(dev).toContain(p.value);
    }
  });

  it('writes no planted value, in clear or base64, into any file of the plan', () => {
    const findings = scanTree(out, allPlanted());
    expect(findings).toEqual([]);
    // Nor any password inside a URL, whatever its origin.
    const withCredentials = filesUnder(out).filter((f) => CREDENTIALS_IN_URL.test(readFileSync(f, 'utf8')));
    expect(withCredentials.map((f) => relative(out, f))).toEqual([]);
    expect(CREDENTIALS_IN_URL.test('mongodb://order:s3cr3t@mongodb-rs0.data.svc:27017/order')).toBe(true);
    expect(CREDENTIALS_IN_URL.test('mongodb://127.0.0.1:27017/admin')).toBe(false);
    // Every stack wrote its manifests and resources.json (an empty plan would pass trivially).
    for (const stack of STACKS) expect(manifests(stack).length).toBeGreaterThan(100);
  });

  it('prints no planted value, in clear or base64, on the terminal', () => {
    expect(terminal.length).toBeGreaterThan(1000);
    expect(scanText(terminal, 'CLI stdout+stderr', allPlanted())).toEqual([]);
    expect(terminal).not.toContain(SECRET_PLACEHOLDER);
  });

  it('keeps Helm release values free of secret values: Grafana reads its admin from a Secret', () => {
    for (const stack of STACKS) {
      const releases = resources(stack).filter((r) => r.type === 'kubernetes:helm.sh/v3:Release');
      expect(releases.length).toBeGreaterThan(5);
      for (const release of releases) {
        const values = JSON.stringify(release.inputs.values ?? {});
        expect(scanText(values, `${stack} ${release.name} values`, allPlanted())).toEqual([]);
        expect(placeholderPaths(release.inputs).map((p) => `${release.name}${p}`)).toEqual([]);
        expect(values).not.toMatch(/"adminPassword"/);
      }
      const kps = releases.find((r) => r.name.endsWith('kube-prometheus-stack'));
      const grafana = (kps?.inputs.values as { grafana?: { admin?: unknown } } | undefined)?.grafana;
      expect(grafana?.admin).toEqual(expect.objectContaining({ existingSecret: 'grafana-admin' }));
    }
  });

  it('lets a secret value stand only in Secret data, a Secrets Manager version and the provider kubeconfig', () => {
    for (const stack of STACKS) {
      const misplaced = resources(stack).flatMap((r) =>
        placeholderPaths(r.inputs)
          .filter((path) => !secretMayStandAt(r.type, path))
          .map((path) => `${r.type} ${r.name}${path}`),
      );
      expect(misplaced).toEqual([]);
      const secretsOutsideSecrets = manifests(stack)
        .filter(({ object }) => object.kind !== 'Secret')
        .filter(({ object }) => placeholderPaths(object).length > 0)
        .map(({ file }) => file);
      expect(secretsOutsideSecrets).toEqual([]);
    }
    // The planted kubeconfig reached the program only as a secret, and the provider got it as one.
    const provider = resources('dev').find((r) => r.type === 'pulumi:providers:kubernetes');
    expect(provider?.inputs.kubeconfig).toBe(SECRET_PLACEHOLDER);
  });

  it("redacts every Secret's data and stringData, keeping only its keys", () => {
    let redactedKeys = 0;
    for (const stack of STACKS) {
      const secrets = manifests(stack).filter(({ object }) => object.kind === 'Secret');
      expect(secrets.length).toBeGreaterThan(0);
      for (const { file, object } of secrets) {
        for (const field of ['data', 'stringData']) {
          const data = object[field];
          if (data === undefined) continue;
          for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
            expect(`${file} ${field}.${key}: ${String(value)}`).toBe(
              `${file} ${field}.${key}: ${SECRET_PLACEHOLDER}`,
            );
            redactedKeys++;
          }
        }
      }
      const resourceSecrets = resources(stack).filter((r) => r.type === 'kubernetes:core/v1:Secret');
      for (const r of resourceSecrets) {
        for (const field of ['data', 'stringData']) {
          const data = (r.inputs[field] ?? {}) as Record<string, unknown>;
          expect(Object.values(data).every((v) => v === SECRET_PLACEHOLDER)).toBe(true);
        }
      }
    }
    // dev writes each generated password into a Secret by key (e.g. product-data's MONGODB_URI).
    expect(redactedKeys).toBeGreaterThan(20);
    const productData = manifests('dev').find(
      ({ object }) => object.kind === 'Secret' && object.metadata.name === 'product-data',
    );
    expect(Object.keys((productData?.object.stringData ?? {}) as object)).toContain('MONGODB_URI');
  });

  it('gives services and data stores secret settings by reference (secretKeyRef, secretRef), never by value', () => {
    for (const stack of STACKS) {
      const inline: string[] = [];
      let byReference = 0;
      for (const { file, object } of manifests(stack)) {
        for (const env of envLists(object)) {
          for (const entry of env as { name?: string; value?: unknown; valueFrom?: unknown }[]) {
            if (typeof entry.name !== 'string') continue;
            const value = entry.value === undefined ? undefined : String(entry.value);
            // A connection URI may be plain (an exporter's local mongodb://127.0.0.1) only without a password.
            if (value !== undefined && CREDENTIALS_IN_URL.test(value))
              inline.push(`${file} env ${entry.name}`);
            if (!SECRET_LIKE_ENV.test(entry.name)) continue;
            if (value !== undefined) inline.push(`${file} env ${entry.name}=${value}`);
            else byReference++;
          }
        }
      }
      expect(inline).toEqual([]);
      // SERVICE_KEY_<caller> at least (the service-to-service keys) comes from a Secret by key.
      expect(byReference).toBeGreaterThan(0);
    }
  });

  it('is able to fail: a planted value copied into the plan, clear or framed in base64, is found', () => {
    const copy = join(work, 'tampered');
    cpSync(out, copy, { recursive: true });
    const [password] = generatedPasswords('dev');
    const kubeconfig = plantedConfig('dev')[0];
    if (password === undefined || kubeconfig === undefined) throw new Error('nothing planted');
    const configMap = manifests('dev').find(({ object }) => object.kind === 'ConfigMap');
    if (configMap === undefined) throw new Error('dev plan has no ConfigMap');
    const target = join(copy, configMap.file);
    const framings = [
      password.value,
      Buffer.from(`MONGODB_PASSWORD=${password.value}`).toString('base64'),
      Buffer.from(`x:${password.value}\n`).toString('base64url'),
      Buffer.from(`{"kubeconfig":"${kubeconfig.value}"}`).toString('base64'),
    ];
    for (const [i, text] of framings.entries()) {
      writeFileSync(target, `${readFileSync(join(out, configMap.file), 'utf8')}# ${text}\n`);
      const findings = scanTree(copy, allPlanted());
      expect(findings.length).toBeGreaterThan(0);
      expect(findings.every((f) => f.where === configMap.file)).toBe(true);
      expect(findings.map((f) => f.marker)).toContain(i === 3 ? kubeconfig.name : password.name);
    }
    expect(scanText(`token ${kubeconfig.value}`, 'stdout', allPlanted())).not.toEqual([]);
    // Three offsets, so every framing length is covered.
    expect(base64Signatures(password.value).length).toBeGreaterThanOrEqual(3);
    // A secret value inlined into a non-Secret object is caught by the placement rule.
    expect(secretMayStandAt('kubernetes:core/v1:ConfigMap', '.data.password')).toBe(false);
    expect(placeholderPaths({ data: { password: SECRET_PLACEHOLDER } })).toEqual(['.data.password']);
  });
});
