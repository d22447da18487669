import { INTERNAL_PATH_PREFIX } from '../tools/policy/route-policies';
import { SERVICE_CATALOG, SERVICE_NAMES } from './service-catalog';

describe('the service catalog', () => {
  it('exposes only /api/ prefixes at the gateway, never the internal operations', () => {
    for (const name of SERVICE_NAMES) {
      for (const prefix of SERVICE_CATALOG[name].pathPrefixes) {
        expect(`${name} ${prefix}`).toMatch(new RegExp(`^${name} /api/[a-z]+$`));
        expect(prefix.startsWith(INTERNAL_PATH_PREFIX)).toBe(false);
      }
    }
  });

  it('names callers and calls consistently, so every callee can know its callers', () => {
    for (const name of SERVICE_NAMES) {
      for (const callee of SERVICE_CATALOG[name].calls) {
        expect(`${callee} callers: ${SERVICE_CATALOG[callee].callers.join(',')}`).toContain(name);
      }
    }
  });
});
