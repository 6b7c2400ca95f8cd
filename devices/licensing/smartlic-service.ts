/**
 * The on-box Smart Licensing REST API of IOS XE (smart-licensing.md §10.4, cssm-api.md §5: basePath
 * `/smartlic-service`), which a CSLU in pull mode and controllers call: list the reports, fetch them, close
 * the open ones, import an ACK / policy / SLAC. Pure request → answer over the SLP agent; the lab serves it
 * over HTTP. The schemas were only partly public: the bodies here are the lab's, in swapi's snake_case.
 *
 * - `GET  /smartlic-service/list`                 → `{ reports: [{ report_id, state, feature, start_time, … }] }`
 * - `GET  /smartlic-service/all-reports`          → `{ reports: RumReport[] }` (closed, signed)
 * - `GET  /smartlic-service/days/<n>`             → the same, closed within the last n days
 * - `GET  /smartlic-service/rum-report-id/<id>`   → `{ report: RumReport }`
 * - `POST /smartlic-service/close-reports`        → `{ closed: <n> }`
 * - `POST /smartlic-service/import` `{ smart_license: <base64> | [<base64>…] }` → `{ status: 'SUCCESS', installed }`
 */
import { decodeSmartLicense, type RumReport } from '#protocol';
import type { SlpAgent } from './slp-agent.ts';

export const SMARTLIC_SERVICE_BASE = '/smartlic-service';

export interface SmartlicRequest {
  method: string;
  path: string;
  body?: unknown;
}

export interface SmartlicResponse {
  status: number;
  body: unknown;
}

const failed = (status: number, message: string): SmartlicResponse => ({ status, body: { status: 'FAILED', message } });
const DAY_S = 86_400;

type Agent = Pick<SlpAgent, 'view' | 'execute' | 'signedReports' | 'importDocuments'>;

function encodedDocuments(body: unknown): string[] | undefined {
  const value = (body as { smart_license?: unknown } | null)?.smart_license;
  const list = Array.isArray(value) ? value : [value];
  return list.every((v) => typeof v === 'string') && list.length > 0 ? (list as string[]) : undefined;
}

/**
 * One request; an unknown path answers 404, a wrong method 405. A device without an SLP agent (a classic
 * image) has no such resources: 404 naming why, never a 5xx, since nothing failed on the device's side.
 */
export function smartlicService(
  agent: Agent | undefined,
  request: SmartlicRequest,
  deviceNowS: number,
): SmartlicResponse {
  if (!request.path.startsWith(`${SMARTLIC_SERVICE_BASE}/`)) return failed(404, `no such resource ${request.path}`);
  if (!agent)
    return failed(
      404,
      `no such resource ${request.path}: this image does not run Smart Licensing Using Policy (IOS XE 17.3.2 and later serve ${SMARTLIC_SERVICE_BASE})`,
    );
  const [op, arg] = request.path.slice(SMARTLIC_SERVICE_BASE.length + 1).split('/');
  const want = (method: 'GET' | 'POST', answer: () => SmartlicResponse): SmartlicResponse =>
    request.method.toUpperCase() === method ? answer() : failed(405, `${request.path} takes ${method}`);
  const reports = (keep: (r: { end: number }) => boolean = () => true): SmartlicResponse => ({
    status: 200,
    body: {
      reports: agent
        .signedReports()
        .filter(keep)
        .map((r): RumReport => r.report),
    },
  });
  switch (op) {
    case 'list':
      return want('GET', () => ({
        status: 200,
        body: {
          reports: agent.view().reports.map((r) => ({
            report_id: r.id,
            state: r.state,
            feature: r.feature,
            start_time: Math.floor(r.start / 1000),
            ...(r.end !== undefined ? { end_time: Math.floor(r.end / 1000) } : {}),
          })),
        },
      }));
    case 'all-reports':
      return want('GET', () => reports());
    case 'days': {
      const days = Number(arg);
      if (!Number.isInteger(days) || days < 1) return failed(400, `days must be a whole number ≥ 1, got ${arg ?? ''}`);
      return want('GET', () => reports((r) => r.end >= deviceNowS - days * DAY_S));
    }
    case 'rum-report-id':
      return want('GET', () => {
        const found = agent.signedReports().find((r) => String(r.id) === arg);
        return found ? { status: 200, body: { report: found.report } } : failed(404, `no closed report ${arg ?? ''}`);
      });
    case 'close-reports':
      return want('POST', () => {
        const before = agent.signedReports().length;
        agent.execute({ type: 'license.closeReports' });
        return { status: 200, body: { closed: agent.signedReports().length - before } };
      });
    case 'import':
      return want('POST', () => {
        const encoded = encodedDocuments(request.body);
        if (!encoded) return failed(400, 'body must be { "smart_license": "<base64>" } or a list of them');
        const installed = agent.importDocuments(encoded.map(decodeSmartLicense));
        return installed.ok
          ? { status: 200, body: { status: 'SUCCESS', installed: installed.value } }
          : failed(400, `nothing was installed: ${installed.reason}`);
      });
    default:
      return failed(404, `no such resource ${request.path}`);
  }
}
