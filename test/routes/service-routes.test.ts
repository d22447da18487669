/**
 * What the Internet can reach: every route the five services actually serve, read from their Express
 * routers, against the north-south HTTPRoutes of the offline plan. A service's `/api/...` routes must reach
 * that service through the Gateway; everything else it serves (probes, metrics, `/internal/...` for other
 * services, and any path with an `internal` segment, even under `/api/`) must not be routed at all. So a new internal or operational route cannot silently become public,
 * and a new public route cannot silently stay unreachable or land on another service.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express, { Router } from 'express';
import { parse } from 'yaml';
import type { ServiceApp } from '@platform/common';
import { ensureCompiled } from '../support/ensure-compiled';
import { buildInProcess, SERVICES, type BuiltService, type Service } from '../support/in-process-services';

const root = join(__dirname, '..', '..');

/** What a client outside the cluster talks to in dev: the HTTPS listener, a name under the route hostnames. */
const PUBLIC_HOST = 'api.dev.platform.internal';

// ---------------------------------------------------------------------------------------------------------
// The routes an app serves, from its Express 5 router (package `router` 2.3): each layer keeps the path it
// was registered with in `rawPath` (a mounted router's mount path, `/` for a plain `use(router)`); a route
// layer has `.route` with `path` and `methods` ({ get: true, _all: true for .all() }); a mounted router is a
// layer whose `handle` has a `stack` of its own.

interface LayerLike {
  readonly name: string;
  readonly rawPath?: unknown;
  readonly route?: { readonly path: unknown; readonly methods: Record<string, boolean> };
  readonly handle: { readonly stack?: readonly LayerLike[] };
}

/** One thing the app answers: a route (its methods), or `USE` for path-scoped middleware that may answer. */
interface ServedPath {
  readonly method: string;
  readonly path: string;
}

function stringPaths(raw: unknown, what: string): string[] {
  const paths = Array.isArray(raw) ? raw.flat(Infinity) : [raw];
  // A RegExp (or a shape this walk does not know) cannot be checked against prefixes: refuse, not skip.
  if (paths.length === 0 || !paths.every((p): p is string => typeof p === 'string'))
    throw new Error(`${what}: path ${String(raw)} is not a string; extend the route walk to check it`);
  return paths;
}

function joinPath(prefix: string, path: string): string {
  if (path === '/' || path === '') return prefix === '' ? '/' : prefix;
  return `${prefix}${path}`;
}

function servedPaths(stack: readonly LayerLike[], prefix = ''): ServedPath[] {
  const served: ServedPath[] = [];
  for (const layer of stack) {
    if (!('rawPath' in layer))
      throw new Error('router layers have no rawPath: the router package changed, update the route walk');
    if (layer.route) {
      const methods = Object.keys(layer.route.methods)
        .filter((m) => layer.route?.methods[m])
        .map((m) => (m === '_all' ? 'ALL' : m.toUpperCase()));
      for (const path of stringPaths(layer.route.path, `route under ${prefix || '/'}`))
        for (const method of methods) served.push({ method, path: joinPath(prefix, path) });
    } else if (Array.isArray(layer.handle.stack)) {
      for (const mount of stringPaths(layer.rawPath, `router under ${prefix || '/'}`))
        served.push(...servedPaths(layer.handle.stack, mount === '/' ? prefix : joinPath(prefix, mount)));
    } else if (layer.name === 'mounted_app') {
      throw new Error(`a sub-app is mounted under ${prefix || '/'}; extend the route walk to enter it`);
    } else {
      // Middleware on a path of its own (requireAuth on /api/analytics) answers requests there too.
      for (const path of stringPaths(layer.rawPath, `middleware ${layer.name} under ${prefix || '/'}`))
        if (path !== '/') served.push({ method: 'USE', path: joinPath(prefix, path) });
    }
  }
  return served;
}

function appRoutes(service: ServiceApp): ServedPath[] {
  const router = service.app.router as unknown as { stack: readonly LayerLike[] };
  const unique = new Map(servedPaths(router.stack).map((r) => [`${r.method} ${r.path}`, r]));
  return [...unique.values()];
}

/**
 * Whether a route is meant for clients outside: under `/api/`, and with no `internal` segment anywhere (an
 * internal operation mounted under a public prefix, `/api/products/internal/x`, is still internal).
 */
function isPublic(path: string): boolean {
  return path.startsWith('/api/') && !path.split('/').includes('internal');
}

/** A concrete request path for a route template: `:id` and `*rest` get sample values, optional `{...}` parts are kept. */
function samplePath(template: string): string {
  return template
    .replace(/[{}]/g, '')
    .replace(/:(?:"[^"]+"|[A-Za-z_$][\w$]*)/g, 'sample-1')
    .replace(/\*(?:"[^"]+"|[A-Za-z_$][\w$]*)/g, 'sample-1/sample-2');
}

// ---------------------------------------------------------------------------------------------------------
// The route table: the HTTPRoutes of the plan, and which backend a request outside the cluster reaches.

interface HttpRouteManifest {
  readonly file: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly spec: {
    readonly parentRefs?: readonly { readonly sectionName?: string }[];
    readonly hostnames?: readonly string[];
    readonly rules?: readonly {
      readonly matches?: readonly {
        readonly path?: { readonly type?: string; readonly value?: string };
        readonly method?: string;
      }[];
      readonly backendRefs?: readonly {
        readonly kind?: string;
        readonly name: string;
        readonly weight?: number;
      }[];
    }[];
  };
}

function httpRoutes(manifests: string): HttpRouteManifest[] {
  const found: HttpRouteManifest[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (/^httproute-.*\.yaml$/.test(entry))
        found.push({ file: path, ...(parse(readFileSync(path, 'utf8')) as Omit<HttpRouteManifest, 'file'>) });
    }
  };
  walk(manifests);
  return found;
}

/** Gateway API hostname matching: `*.a.b` covers any name ending in `.a.b`; no hostnames covers every name. */
function hostMatches(hostnames: readonly string[] | undefined, host: string): boolean {
  if (!hostnames || hostnames.length === 0) return true;
  return hostnames.some((h) => (h.startsWith('*.') ? host.endsWith(h.slice(1)) : h === host));
}

/** PathPrefix matches whole segments: `/api/products` covers `/api/products` and `/api/products/x`. */
function prefixCovers(prefix: string, path: string): boolean {
  const p = prefix.replace(/\/+$/, '');
  return p === '' || path === p || path.startsWith(`${p}/`);
}

/**
 * The Service a request on the HTTPS listener reaches, or undefined when no route takes it. The most specific
 * match wins (an Exact match, else the longest PathPrefix), as in the Gateway API. Header and query matches
 * are treated as satisfied: a client outside picks those. Ambiguity is refused rather than guessed.
 */
function resolveBackend(
  routes: readonly HttpRouteManifest[],
  request: { readonly host: string; readonly method: string; readonly path: string },
): string | undefined {
  let best: { score: number; backends: string[]; where: string } | undefined;
  for (const route of routes) {
    // A parentRef without sectionName attaches to every listener of the Gateway, HTTPS ones included.
    const onHttps = (route.spec.parentRefs ?? []).some(
      (ref) => ref.sectionName === undefined || ref.sectionName.startsWith('https'),
    );
    if (!onHttps || !hostMatches(route.spec.hostnames, request.host)) continue;
    for (const rule of route.spec.rules ?? []) {
      for (const match of rule.matches ?? [{}]) {
        // ALL (.all()) and USE (middleware) answer every method, so a method match of any kind reaches them.
        const anyMethod = request.method === 'ALL' || request.method === 'USE';
        if (match.method !== undefined && !anyMethod && match.method !== request.method) continue;
        const type = match.path?.type ?? 'PathPrefix';
        const value = match.path?.value ?? '/';
        let score: number;
        if (type === 'Exact') score = request.path === value ? Number.MAX_SAFE_INTEGER : -1;
        else if (type === 'PathPrefix') score = prefixCovers(value, request.path) ? value.length : -1;
        else throw new Error(`${route.file}: path match type ${type} is not understood by this resolver`);
        if (score < 0) continue;
        // A backend of weight 0 receives nothing (Gateway API): a canary's Service until Argo moves the weight.
        const backends = [
          ...new Set((rule.backendRefs ?? []).filter((b) => (b.weight ?? 1) > 0).map((b) => b.name)),
        ];
        const where = `${route.metadata.namespace ?? ''}/${route.metadata.name} ${type} ${value}`;
        if (best && score === best.score && best.backends.join() !== backends.join())
          throw new Error(`${request.path}: ${best.where} and ${where} both match, with other backends`);
        if (!best || score > best.score) best = { score, backends, where };
      }
    }
  }
  if (!best || best.backends.length === 0) return undefined;
  if (best.backends.length > 1)
    throw new Error(`${best.where}: weighted backends ${best.backends.join(', ')}; map them to a service`);
  return best.backends[0];
}

// ---------------------------------------------------------------------------------------------------------

const built = new Map<Service, BuiltService>();
const served = new Map<Service, ServedPath[]>();
let routes: HttpRouteManifest[] = [];
const work = mkdtempSync(join(tmpdir(), 'service-routes-'));

beforeAll(async () => {
  for (const name of SERVICES) {
    const service = await buildInProcess(name);
    built.set(name, service);
    served.set(name, appRoutes(service.service));
  }

  ensureCompiled();
  const cli = join(root, 'dist', 'tools', 'plan', 'cli.js');
  const plan = spawnSync(process.execPath, [cli, 'dev', '--out', work], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (plan.status !== 0) throw new Error(`plan failed:\n${plan.stdout}${plan.stderr}`);
  routes = httpRoutes(join(work, 'dev', 'manifests'));
}, 180_000);

afterAll(async () => {
  for (const { closeHooks } of built.values()) for (const hook of closeHooks) await hook.close();
  rmSync(work, { recursive: true, force: true });
});

const at = (path: string, host = PUBLIC_HOST) => resolveBackend(routes, { host, method: 'GET', path });

describe('the route walk', () => {
  it.each(SERVICES)('finds the probes, /metrics and public API routes of %s', (name) => {
    const paths = served.get(name) ?? [];
    for (const probe of ['/health', '/ready', '/metrics'])
      expect(paths).toContainEqual({ method: 'GET', path: probe });
    expect(paths.filter((r) => r.method !== 'USE' && r.path.startsWith('/api/')).length).toBeGreaterThan(0);
  });

  it('sees routes of nested routers with their mount paths, and the internal ones', () => {
    expect(served.get('product')).toContainEqual({ method: 'GET', path: '/api/products/:id' });
    expect(served.get('user')).toContainEqual({ method: 'GET', path: '/internal/users/:id' });
    expect(served.get('analytics')).toContainEqual({ method: 'USE', path: '/api/analytics' });
  });
});

describe('the route walk on a hand-made app', () => {
  const stackOf = (app: express.Express) => (app.router as unknown as { stack: LayerLike[] }).stack;

  it('prefixes the routes of nested routers with their mount paths', () => {
    const app = express();
    const inner = Router().get('/:id', () => undefined);
    app.use(
      '/api/things',
      Router()
        .use('/nested', inner)
        .post('/', () => undefined),
    );
    app.use(Router().all('/anything', () => undefined));
    app.use('/debug', () => undefined);
    expect(servedPaths(stackOf(app))).toEqual([
      { method: 'GET', path: '/api/things/nested/:id' },
      { method: 'POST', path: '/api/things' },
      { method: 'ALL', path: '/anything' },
      { method: 'USE', path: '/debug' },
    ]);
  });

  it('refuses a route it cannot check rather than skip it', () => {
    const app = express();
    app.get(/^\/internal\/.*/, () => undefined);
    expect(() => servedPaths(stackOf(app))).toThrow(/not a string/);
  });
});

describe('the route table resolver', () => {
  it('reads routes towards each of the five services from the plan', () => {
    const backends = routes.flatMap((r) => (r.spec.rules ?? []).flatMap((rule) => rule.backendRefs ?? []));
    // A canary service's routes also name its canary Service (the same service's canary track).
    const service = (name: string) => name.replace(/-canary$/, '');
    expect([...new Set(backends.map((b) => service(b.name)))].sort()).toEqual([...SERVICES].sort());
    expect(backends.filter((b) => b.name.endsWith('-canary')).every((b) => b.weight === 0)).toBe(true);
  });

  it('matches prefixes segment-wise, on the route hostnames only', () => {
    expect(at('/api/products')).toBe('product');
    expect(at('/api/products/')).toBe('product');
    expect(at('/api/products/x/y')).toBe('product');
    expect(at('/api/productsx')).toBeUndefined();
    expect(at('/api/auth/login')).toBe('user');
    expect(at('/api')).toBeUndefined();
    expect(at('/')).toBeUndefined();
    expect(at('/api/products', 'api.example.com')).toBeUndefined();
    expect(at('/api/products', 'dev.platform.internal')).toBeUndefined();
  });
});

describe('north-south exposure', () => {
  it.each(SERVICES)(
    'the Gateway sends every /api/ route of %s to it and reaches none of its other routes',
    (name) => {
      const offending = (served.get(name) ?? []).flatMap(({ method, path }) => {
        const request = samplePath(path);
        const reaches = resolveBackend(routes, { host: PUBLIC_HOST, method, path: request });
        const expected = isPublic(path) ? name : undefined;
        return reaches === expected
          ? []
          : [
              `${name} ${method} ${path} (${request}): routed to ${reaches ?? 'nothing'}, expected ${expected ?? 'nothing'}`,
            ];
      });
      expect(offending).toEqual([]);
    },
  );
});
