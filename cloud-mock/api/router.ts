/**
 * Matches a request to a route. Clients send doubled slashes (`//services/api/…`) and doubled prefixes
 * (`/services/api/services/api/…`, cssm-api.md §1.1), so paths are normalised first.
 */
import type { Route } from './route.ts';

export type Match =
  | { route: Route; params: Record<string, string> }
  | { error: 'ROUTE_NOT_FOUND' | 'METHOD_NOT_ALLOWED'; allowed?: string[] };

export function normalisePath(path: string): string {
  const collapsed = path.replace(/\/{2,}/g, '/').replace(/^(\/services\/api)+(?=\/)/, '/services/api');
  return collapsed.length > 1 && collapsed.endsWith('/') ? collapsed.slice(0, -1) : collapsed;
}

export class Router {
  private readonly exact = new Map<string, Map<string, Route>>();
  private readonly patterns: { source: string; re: RegExp; names: string[]; byMethod: Map<string, Route> }[] = [];

  constructor(routes: Route[]) {
    for (const r of routes) {
      if (!r.path.includes(':')) {
        const m = this.exact.get(r.path) ?? new Map<string, Route>();
        m.set(r.method, r);
        this.exact.set(r.path, m);
        continue;
      }
      const names: string[] = [];
      const source = r.path
        .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
        .replace(/:([A-Za-z]+)/g, (_, n: string) => (names.push(n), '([^/]+)'));
      // One entry per path pattern, so GET and POST of one path share it (RegExp.source escapes "/", compare our own
      // text).
      let entry = this.patterns.find((p) => p.source === source);
      if (!entry) this.patterns.push((entry = { source, re: new RegExp(`^${source}$`), names, byMethod: new Map() }));
      entry.byMethod.set(r.method, r);
    }
  }

  match(method: string, path: string): Match {
    const exact = this.exact.get(path);
    if (exact) {
      const route = exact.get(method);
      return route ? { route, params: {} } : { error: 'METHOD_NOT_ALLOWED', allowed: [...exact.keys()] };
    }
    for (const p of this.patterns) {
      const m = p.re.exec(path);
      if (!m) continue;
      const route = p.byMethod.get(method);
      if (!route) return { error: 'METHOD_NOT_ALLOWED', allowed: [...p.byMethod.keys()] };
      let params: Record<string, string>;
      try {
        params = Object.fromEntries(p.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
      } catch {
        return { error: 'ROUTE_NOT_FOUND' };
      }
      return { route, params };
    }
    return { error: 'ROUTE_NOT_FOUND' };
  }
}
