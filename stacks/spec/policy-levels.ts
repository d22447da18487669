/**
 * Enforcement levels of the platform's policy rules per environment: the rule catalogue's, the environment's
 * defaults over them (defaults.ts), and the stack file's `platform:policy.levels` over those. Shared by the
 * stack config (parse.ts) and the enforcement (tools/policy/enforcement.ts), so the two refuse the same things.
 */
import { POLICY_EXEMPTION_PREFIX } from '../../charts/lib/labels';
import {
  POLICY_LEVELS,
  isPolicyLevel,
  type PolicyLevel,
  type PolicyLevels,
} from '../../charts/policy-settings/policy-settings-contract';
import { POLICY_RULES } from '../../tools/policy/rule-catalog';
import { show, type ConfigProblem } from './config-error';
import { CONFIG_NAMESPACE } from './config-namespace';
import { POLICY_LEVEL_DEFAULTS, STRICT_POLICY_ENVIRONMENTS } from './defaults';
import type { RawConfig } from './schema';

const P = `${CONFIG_NAMESPACE}:`;

/** Every rule name a level may be set for, as the catalogue lists them. */
export const POLICY_RULE_NAMES: readonly string[] = Object.keys(POLICY_RULES);

export function isPolicyRule(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(POLICY_RULES, name);
}

/** The levels `environment` gets when nothing else is said: its defaults (an unknown stack has none). */
export function defaultPolicyLevels(environment: string | undefined): PolicyLevels {
  if (environment === undefined) return {};
  return Object.prototype.hasOwnProperty.call(POLICY_LEVEL_DEFAULTS, environment)
    ? (POLICY_LEVEL_DEFAULTS[environment] ?? {})
    : {};
}

/** The catalogue's level of a rule (undefined for a name the catalogue does not list). */
export function catalogueLevel(rule: string): PolicyLevel | undefined {
  return isPolicyRule(rule) ? POLICY_RULES[rule as keyof typeof POLICY_RULES].level : undefined;
}

/**
 * Why `rule` may not be set to `level` in `environment`, or undefined when it may. In uat and prod a rule that
 * is mandatory there by default (the catalogue, or the environment's defaults such as container-probes) stays
 * mandatory: one object that must differ is exempted with a reason, the rule is not switched off for all.
 * Raising is allowed everywhere, lowering in the other environments.
 */
export function loweringProblem(
  environment: string | undefined,
  rule: string,
  level: PolicyLevel,
): string | undefined {
  if (environment === undefined || !STRICT_POLICY_ENVIRONMENTS.includes(environment)) return undefined;
  const floor = defaultPolicyLevels(environment)[rule] ?? catalogueLevel(rule);
  if (floor !== 'mandatory' || level === 'mandatory') return undefined;
  return (
    `mandatory rules cannot be lowered in ${environment}; exempt one object with the annotation ` +
    `${POLICY_EXEMPTION_PREFIX}${rule}: "<reason>" instead (got ${show(level)})`
  );
}

/**
 * Checks one map of rule -> level: unknown rules, unknown levels and lowerings in uat/prod each give a problem
 * at `<path>.<rule>`. Returns the valid entries.
 */
export function checkPolicyLevels(
  environment: string | undefined,
  levels: Readonly<Record<string, unknown>>,
  path: string,
  problems: ConfigProblem[],
): Record<string, PolicyLevel> {
  const valid: Record<string, PolicyLevel> = {};
  for (const rule of Object.keys(levels).sort()) {
    const level = levels[rule];
    const at = `${path}.${rule}`;
    if (!isPolicyRule(rule)) {
      problems.push({ path: at, message: `unknown rule; allowed: ${POLICY_RULE_NAMES.join(', ')}` });
      continue;
    }
    if (!isPolicyLevel(level)) {
      problems.push({ path: at, message: `must be one of ${POLICY_LEVELS.join(', ')} (got ${show(level)})` });
      continue;
    }
    const lowered = loweringProblem(environment, rule, level);
    if (lowered !== undefined) {
      problems.push({ path: at, message: lowered });
      continue;
    }
    valid[rule] = level;
  }
  return valid;
}

/** Sorted by rule, so the same levels always render the same ConfigMap. */
function sorted(levels: PolicyLevels): PolicyLevels {
  return Object.fromEntries(Object.entries(levels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The environment's levels: the stack file's `platform:policy.levels` merged over its defaults, key by key. */
export function resolvePolicyLevels(
  environment: string,
  policy: RawConfig['policy'],
  problems: ConfigProblem[],
): PolicyLevels {
  const own = checkPolicyLevels(environment, policy?.levels ?? {}, `${P}policy.levels`, problems);
  return sorted({ ...defaultPolicyLevels(environment), ...own });
}
