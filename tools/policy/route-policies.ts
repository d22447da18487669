import type { K8sObject } from './policies';

/** Paths only other services may call (with a service token); the gateway must never route them. */
export const INTERNAL_PATH_PREFIX = '/internal';

type Dict = Record<string, unknown>;
const dict = (v: unknown): Dict =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Dict) : {};
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Whether a path match can send a request for `/internal/...` to a backend. */
function reachesInternal(path: Dict): string | undefined {
  const type = typeof path.type === 'string' ? path.type : 'PathPrefix';
  const value = typeof path.value === 'string' ? path.value : '/';
  if (type === 'RegularExpression') return `a RegularExpression path ("${value}") cannot be shown to miss it`;
  const internal = value === INTERNAL_PATH_PREFIX || value.startsWith(`${INTERNAL_PATH_PREFIX}/`);
  // A prefix matches whole path segments, so "/" (or an empty prefix) covers /internal too.
  const parent = type === 'PathPrefix' && (value === '/' || value === '');
  if (internal || parent) return `${type} "${value}" matches it`;
  return undefined;
}

/**
 * North-south routes never reach internal operations: every match of an HTTPRoute rule that forwards to a
 * backend must leave `/internal/` out (a rule without matches matches every path).
 */
export function checkRoutes(
  objects: readonly K8sObject[],
  error: (rule: string, o: K8sObject, message: string) => void,
): void {
  for (const o of objects) {
    if (o.kind !== 'HTTPRoute') continue;
    list(dict(o.spec).rules).forEach((rule, i) => {
      // A rule without backends (a redirect) forwards nothing anywhere.
      if (list(dict(rule).backendRefs).length === 0) return;
      const matches = list(dict(rule).matches);
      const paths = matches.length === 0 ? [{}] : matches.map((m) => dict(dict(m).path));
      for (const path of paths) {
        const why = reachesInternal(path);
        if (why) {
          error(
            'route-internal-paths',
            o,
            `rules[${i}] routes ${INTERNAL_PATH_PREFIX}/ (service-to-service only): ${why}; match /api/... prefixes instead`,
          );
        }
      }
    });
  }
}
