import * as pulumi from '@pulumi/pulumi';
import { CONFIG_NAMESPACE, parseEnvironment, type EnvironmentSpec } from './spec';

/** The environment as the program sees it: the validated spec, and secret values as Pulumi Outputs. */
export interface LoadedEnvironment {
  readonly spec: EnvironmentSpec;
  readonly secrets: { readonly kubeconfig?: pulumi.Output<string> };
}

/** Keys whose values are plain strings; every other key holds structured YAML (a JSON string at runtime). */
const STRING_KEYS = new Set(['tier', 'kubeconfig']);
/** Keys read as secrets (through requireSecret, so Pulumi keeps them encrypted in state). */
const SECRET_KEYS = new Set(['kubeconfig']);

/**
 * The only place that reads Pulumi config. Validates the stack's `platform:` keys before any resource is
 * declared and throws a ConfigError listing every problem.
 */
export function loadEnvironment(): LoadedEnvironment {
  const prefix = `${CONFIG_NAMESPACE}:`;
  const raw: Record<string, unknown> = {};
  const foreignKeys: string[] = [];
  const secretKeys = new Set<string>();
  for (const [fullKey, value] of Object.entries(pulumi.runtime.allConfig())) {
    if (!fullKey.startsWith(prefix)) {
      foreignKeys.push(fullKey);
      continue;
    }
    const key = fullKey.slice(prefix.length);
    if (isConfigSecret(fullKey)) secretKeys.add(key);
    // Secret values are checked for shape (a kubeconfig's contexts) but never appear in error messages.
    raw[key] = SECRET_KEYS.has(key) ? value : decode(key, value);
  }
  const spec = parseEnvironment(pulumi.getStack(), raw, { foreignKeys, secretKeys });
  // With an engine (preview, up) warnings show in its output; the offline plan has none and prints the
  // program's exported `configWarnings` in its summary instead.
  if (pulumi.runtime.hasEngine()) {
    for (const w of spec.warnings) {
      void pulumi.log.warn(`config warning [${w.rule}] ${w.path}: ${w.message}`);
    }
  }
  const config = new pulumi.Config(CONFIG_NAMESPACE);
  return {
    spec,
    secrets:
      spec.cluster.tier === 'onprem' && spec.cluster.hasKubeconfig
        ? { kubeconfig: config.requireSecret('kubeconfig') }
        : {},
  };
}

/**
 * Whether Pulumi holds the key as a secret. The SDK exports isConfigSecret at runtime (it is what
 * Config.get uses) but marks it internal in its typings.
 */
function isConfigSecret(fullKey: string): boolean {
  const check = (pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean }).isConfigSecret;
  if (typeof check !== 'function') throw new Error('this @pulumi/pulumi has no runtime.isConfigSecret');
  return check(fullKey);
}

/** Structured values arrive as JSON text; anything else is left as the string the user wrote. */
function decode(key: string, value: string): unknown {
  if (STRING_KEYS.has(key)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}
