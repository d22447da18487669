/** Server-side time per route, from a service's /metrics (the RED histogram every service exports). */
export interface RouteTiming {
  readonly count: number;
  readonly sumSeconds: number;
}

const SAMPLE = /^http_request_duration_seconds_(sum|count)\{([^}]*)\}\s+(\S+)/;

/** count and sum per `METHOD route` over all statuses, tracks and versions. */
export async function scrapeRouteTimings(serviceUrl: string): Promise<Map<string, RouteTiming>> {
  const text = await (await fetch(`${serviceUrl}/metrics`)).text();
  const out = new Map<string, { count: number; sumSeconds: number }>();
  for (const line of text.split('\n')) {
    const m = SAMPLE.exec(line);
    if (!m) continue;
    const labels = m[2]!;
    const method = /method="([^"]*)"/.exec(labels)?.[1] ?? '?';
    const route = /route="([^"]*)"/.exec(labels)?.[1] ?? '?';
    const key = `${method} ${route}`;
    const entry = out.get(key) ?? { count: 0, sumSeconds: 0 };
    if (m[1] === 'sum') entry.sumSeconds += Number(m[3]);
    else entry.count += Number(m[3]);
    out.set(key, entry);
  }
  return out;
}

/** What happened between two scrapes: per route, requests and mean server time (ms). */
export function timingDelta(
  before: ReadonlyMap<string, RouteTiming>,
  after: ReadonlyMap<string, RouteTiming>,
): { readonly route: string; readonly requests: number; readonly meanMs: number }[] {
  const rows = [];
  for (const [route, now] of after) {
    if (route.includes('/metrics')) continue;
    const was = before.get(route) ?? { count: 0, sumSeconds: 0 };
    const requests = now.count - was.count;
    if (requests <= 0) continue;
    rows.push({ route, requests, meanMs: ((now.sumSeconds - was.sumSeconds) / requests) * 1000 });
  }
  return rows.sort((a, b) => b.requests - a.requests);
}
