/**
 * CSLU's HTTP face: the product-instance endpoint devices are pointed at (`license smart url cslu
 * http://<cslu>:8182/cslu/v1/pi`, cssm-api.md §4), the health and scheduler paths real CSLU answers, and an
 * admin API behind HTTP Basic (the CSLU window's "Export to CSSM", "Import from CSSM", "Send to CSSM").
 * Served by cloud-mock's serve(), or handed to devices in process, with the same bytes either way.
 */
import { timingSafeEqual } from 'node:crypto';
import { CSLU_PI_BASE, parseSlpJson, slpPathsUnder, stringifySlpJson } from '#protocol';
import type { LabRequest, LabResponse, LabResult } from '../api/http-types.ts';
import type { CsluPull } from './cslu-pull.ts';
import type { CsluService } from './cslu-service.ts';

export interface CsluAppOptions {
  /** HTTP Basic credentials of the admin API; without them the admin API answers 403. */
  admin?: { user: string; password: string };
  /** Pull mode (cslu-pull.ts): the admin's product-instance list and "Collect usage" under /cslu/v1/pull/. */
  pull?: CsluPull;
  log?: (line: string) => void;
}

export interface CsluApp {
  handle(req: LabRequest): Promise<LabResult>;
  sign(res: LabResponse): LabResponse;
  context: { log(line: string): void };
}

const pi = slpPathsUnder(CSLU_PI_BASE);

function answer(status: number, value: object): LabResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: Buffer.from(stringifySlpJson(value)),
  };
}

function failed(status: number, message: string): LabResponse {
  return answer(status, { status: 'FAILED', message });
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function authorised(req: LabRequest, admin: CsluAppOptions['admin']): boolean {
  if (!admin) return false;
  const m = /^basic\s+(\S+)$/i.exec(req.headers.authorization?.trim() ?? '');
  if (!m) return false;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  return sameText(decoded, `${admin.user}:${admin.password}`);
}

/** The refusal of an admin request without the admin credentials (403 with none configured), else undefined. */
export function adminRefusal(req: LabRequest, admin: CsluAppOptions['admin'], realm: string): LabResponse | undefined {
  if (authorised(req, admin)) return undefined;
  return {
    ...failed(admin ? 401 : 403, admin ? 'admin credentials required' : 'the admin API is off'),
    headers: { 'content-type': 'application/json; charset=utf-8', 'www-authenticate': `Basic realm="${realm}"` },
  };
}

function readBody(req: LabRequest): { ok: true; value: unknown } | { ok: false; answer: LabResponse } {
  try {
    return { ok: true, value: parseSlpJson(req.body.toString('utf8')) };
  } catch {
    return { ok: false, answer: failed(400, 'the body is not valid JSON') };
  }
}

const PULL_DEVICES = '/cslu/v1/pull/devices';

/**
 * The pull-mode admin routes: `GET|POST /cslu/v1/pull/devices` (list, add `{ host, user, password[, port] }`),
 * `DELETE /cslu/v1/pull/devices/<host>`, `POST /cslu/v1/pull/collect` (every device) and
 * `POST /cslu/v1/pull/devices/<host>/collect` (one).
 */
function pullRoute(
  pull: CsluPull,
  req: LabRequest,
  path: string,
): (() => Promise<LabResponse> | LabResponse) | undefined {
  const collect = async (host?: string) => {
    const outcomes = await pull.collect(host);
    return outcomes ? answer(200, { outcomes }) : failed(404, `no product instance ${host ?? ''} to pull from`);
  };
  if (path === PULL_DEVICES && req.method === 'GET')
    return () => answer(200, { intervalMs: pull.intervalMs, devices: pull.list() });
  if (path === PULL_DEVICES && req.method === 'POST')
    return () => {
      const body = readBody(req);
      if (!body.ok) return body.answer;
      const added = pull.add(body.value);
      return added.ok ? answer(201, { device: added.target }) : failed(400, added.reason);
    };
  if (path === '/cslu/v1/pull/collect' && req.method === 'POST') return () => collect();
  const m = /^\/cslu\/v1\/pull\/devices\/([^/]+)(\/collect)?$/.exec(path);
  if (!m) return undefined;
  let host: string;
  try {
    host = decodeURIComponent(m[1]!);
  } catch {
    return () => failed(400, `${m[1]!} is not a URL-encoded host`);
  }
  if (m[2] && req.method === 'POST') return () => collect(host);
  if (!m[2] && req.method === 'DELETE')
    return () => (pull.remove(host) ? answer(200, { removed: host }) : failed(404, `no product instance ${host}`));
  return undefined;
}

export function createCsluApp(service: CsluService, options: CsluAppOptions = {}): CsluApp {
  const log = options.log ?? (() => {});
  const deviceRoutes: Record<string, (body: unknown) => LabResponse> = {
    [pi.reportUsage]: (body) => {
      const a = service.reportUsage(body);
      return answer(a.status, a.body);
    },
    [pi.poll]: (body) => {
      const a = service.poll(body);
      return answer(a.status, a.body);
    },
  };

  async function admin(req: LabRequest, path: string): Promise<LabResponse | undefined> {
    const routes: Record<string, () => Promise<LabResponse> | LabResponse> = {
      'GET /cslu/v1/status': () => answer(200, service.status()),
      'GET /cslu/v1/product-instances': () => answer(200, { productInstances: service.store.instances() }),
      'GET /cslu/v1/scheduler/jobs': () => {
        const s = service.status();
        const pull = options.pull;
        return answer(200, [
          {
            job_name: 'Send usage to CSSM',
            current_status: !s.connected ? 'DISABLED' : s.lastFailure ? 'FAILED' : 'IDLE',
          },
          ...(pull
            ? [
                {
                  job_name: 'Pull usage from product instances',
                  current_status:
                    pull.intervalMs === 0 ? 'DISABLED' : pull.list().some((t) => t.lastError) ? 'FAILED' : 'IDLE',
                },
              ]
            : []),
        ]);
      },
      'POST /cslu/v1/usage/export': () => {
        const { file } = service.exportUsage();
        return { status: 200, headers: { 'content-type': 'application/xml' }, body: Buffer.from(file) };
      },
      'POST /cslu/v1/acks/import': () => {
        const result = service.importAcks(req.body);
        return result.ok ? answer(200, result) : failed(400, result.reason);
      },
      'POST /cslu/v1/usage/upload': async () => {
        if (!service.connected) return failed(409, 'this CSLU is not connected to CSSM; export the usage instead');
        await service.upload();
        return answer(200, service.status());
      },
    };
    const route = routes[`${req.method} ${path}`] ?? (options.pull && pullRoute(options.pull, req, path));
    if (!route) return undefined;
    return adminRefusal(req, options.admin, 'CSLU') ?? route();
  }

  return {
    context: { log },
    sign: (res) => res,
    async handle(req) {
      const path = req.path.replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');
      try {
        if (path === '/cslu/v1/health') return answer(200, { status: 'UP' });
        const device = deviceRoutes[path];
        if (device) {
          if (req.method !== 'POST') return failed(405, `${path} takes POST`);
          const body = readBody(req);
          return body.ok ? device(body.value) : body.answer;
        }
        return (await admin(req, path)) ?? failed(404, `no CSLU resource at ${path}`);
      } catch (err) {
        // A store failure is CSLU's problem, never the device's stack trace.
        log(`[cslu] failed to answer ${req.method} ${path}: ${String(err)}`);
        return failed(503, 'CSLU could not store the request; try again');
      }
    },
  };
}
