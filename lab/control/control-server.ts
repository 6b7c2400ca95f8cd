/**
 * The running lab's own HTTP endpoint (beside the cloud's), loopback only. Reading is open:
 * `GET /metrics` for Prometheus, `GET /status` for the fleet summary as JSON. Acting on devices needs
 * the lab key (`X-Lab-Key` or `Authorization: Bearer`, as the cloud's /lab/ routes):
 * `POST /exec {"select", "command"}` runs one IOS line on each selected device,
 * `POST /complete {"device", "line"}` is Tab on a device's console, and
 * `GET /devices/<hostname>/log` streams that device's console log lines as they happen;
 * `GET /faults` lists the lab's faults (open), `POST /faults` adds one and `DELETE /faults[/<id>]` clears.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isLabKey, presentedLabKey } from '#cloud';
import type { Completion } from '#devices';
import type { FaultSchedule } from '../faults/fault-schedule.ts';
import type { ExecResult } from '../fleet/fleet-console.ts';
import type { FleetSnapshot } from '../fleet/fleet-summary.ts';
import type { LabMetrics } from '../metrics/lab-metrics.ts';

export interface LabControl {
  metrics: LabMetrics;
  snapshot(): FleetSnapshot;
  /** The lab key's value and where a user finds it (for the 401). */
  labKey: { value: string; where: string };
  /** Throws SelectorError (a 400) on a selector it cannot read. */
  exec(select: string, command: string): ExecResult[] | Promise<ExecResult[]>;
  /** undefined: no such device. */
  complete(
    hostname: string,
    line: string,
  ): (Completion & { prompt: string }) | undefined | Promise<(Completion & { prompt: string }) | undefined>;
  /** add() and clear() throw UsageError (a 400, a 404 for an unknown id) naming the problem. */
  faults: Pick<FaultSchedule, 'add' | 'list' | 'clear'>;
  /** Calls `listener` with each console line of the device; undefined: no such device. */
  watch(hostname: string, listener: (line: string) => void): (() => void) | undefined;
}

export interface ControlServer {
  readonly url: string;
  close(): Promise<void>;
}

const MAX_BODY = 16 * 1024;
const MAX_LINE = 1024;

class Refusal extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** The body, or a 413 once it is read past MAX_BODY (drained, so the client still gets the answer). */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((done, fail) => {
    let body = '';
    let size = 0;
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      size += chunk.length;
      if (size <= MAX_BODY) body += chunk;
    });
    req.on('end', () =>
      size > MAX_BODY ? fail(new Refusal(413, 'BODY_TOO_LARGE', `the body is over ${MAX_BODY} bytes`)) : done(body),
    );
    req.on('error', fail);
  });
}

async function jsonBody(req: IncomingMessage): Promise<unknown> {
  try {
    return JSON.parse(await readBody(req));
  } catch (err) {
    if (err instanceof Refusal) throw err;
    throw new Refusal(400, 'MALFORMED_JSON', 'the body is not JSON');
  }
}

/** A JSON object whose named fields are single-line strings of at most MAX_LINE characters. */
async function fields<K extends string>(req: IncomingMessage, names: readonly K[]): Promise<Record<K, string>> {
  const value = await jsonBody(req);
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new Refusal(400, 'INVALID_BODY', `the body must be an object with ${names.join(' and ')}`);
  const record = value as Record<string, unknown>;
  const extra = Object.keys(record).filter((k) => !names.includes(k as K));
  if (extra.length) throw new Refusal(400, 'INVALID_BODY', `unknown field "${extra[0]}"; fields: ${names.join(', ')}`);
  for (const name of names) {
    const v = record[name];
    if (typeof v !== 'string' || v.length > MAX_LINE || /[\r\n]/.test(v))
      throw new Refusal(400, 'INVALID_BODY', `"${name}" must be one line of text (${MAX_LINE} characters at most)`);
  }
  return record as Record<K, string>;
}

export async function serveControl(control: LabControl, port: number): Promise<ControlServer> {
  const streams = new Set<ServerResponse>();
  const answer = (res: ServerResponse, status: number, type: string, body: string) =>
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) }).end(body);
  const json = (res: ServerResponse, status: number, value: unknown) =>
    answer(res, status, 'application/json', JSON.stringify(value));
  const refuse = (res: ServerResponse, r: Refusal) => json(res, r.status, { error: r.code, message: r.message });

  const authorize = (req: IncomingMessage, path: string) => {
    const sent = presentedLabKey(req.headers);
    if (sent !== undefined && isLabKey(sent, control.labKey.value)) return;
    throw new Refusal(
      401,
      sent === undefined ? 'LAB_KEY_MISSING' : 'LAB_KEY_INVALID',
      `${req.method} ${path} acts on devices: send the X-Lab-Key header (or Authorization: Bearer) with the key in ${control.labKey.where}`,
    );
  };

  const route = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    const log = /^\/devices\/([^/]+)\/log$/.exec(path);
    if (req.method === 'GET' && path === '/metrics')
      return answer(res, 200, control.metrics.registry.contentType, await control.metrics.scrape());
    if (req.method === 'GET' && path === '/status') return json(res, 200, control.snapshot());
    if (req.method === 'POST' && path === '/exec') {
      authorize(req, path);
      const { select, command } = await fields(req, ['select', 'command'] as const);
      let results: ExecResult[];
      try {
        results = await control.exec(select, command);
      } catch (err) {
        throw new Refusal(400, 'INVALID_SELECTOR', (err as Error).message);
      }
      if (results.length === 0) throw new Refusal(404, 'NO_DEVICE', `no device of this lab matches "${select}"`);
      return json(res, 200, { results });
    }
    if (req.method === 'POST' && path === '/complete') {
      authorize(req, path);
      const { device, line } = await fields(req, ['device', 'line'] as const);
      const completion = await control.complete(device, line);
      if (!completion) throw new Refusal(404, 'NO_DEVICE', `this lab has no device "${device}"`);
      return json(res, 200, completion);
    }
    if (req.method === 'GET' && log) {
      authorize(req, path);
      const hostname = decodeURIComponent(log[1]!);
      const stop = control.watch(hostname, (line) => res.write(`${line}\n`));
      if (!stop) throw new Refusal(404, 'NO_DEVICE', `this lab has no device "${hostname}"`);
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      streams.add(res);
      res.on('close', () => (stop(), streams.delete(res)));
      return res.flushHeaders();
    }
    const fault = /^\/faults(?:\/([^/]+))?$/.exec(path);
    if (fault && req.method === 'GET' && fault[1] === undefined)
      return json(res, 200, { faults: control.faults.list() });
    if (fault && req.method === 'POST' && fault[1] === undefined) {
      authorize(req, path);
      const spec = await jsonBody(req);
      try {
        return json(res, 201, { fault: control.faults.add(spec) });
      } catch (err) {
        throw new Refusal(400, 'INVALID_FAULT', (err as Error).message);
      }
    }
    if (fault && req.method === 'DELETE') {
      authorize(req, path);
      try {
        return json(res, 200, { cleared: control.faults.clear(fault[1] && decodeURIComponent(fault[1])) });
      } catch (err) {
        throw new Refusal(404, 'NO_FAULT', (err as Error).message);
      }
    }
    const known = ['/metrics', '/status', '/exec', '/complete'].includes(path) || log || fault;
    throw known
      ? new Refusal(405, 'METHOD_NOT_ALLOWED', `${req.method} is not served on ${path}`)
      : new Refusal(
          404,
          'NOT_FOUND',
          'the lab serves GET /metrics, GET /status, POST /exec, POST /complete, GET /devices/<hostname>/log, GET|POST|DELETE /faults',
        );
  };

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    route(req, res, path).catch((err: Error) => {
      if (res.headersSent) return void res.end();
      if (err instanceof Refusal) return refuse(res, err);
      json(res, 500, { error: 'INTERNAL', message: err.message });
    });
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => ok());
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`;
  return {
    url,
    close: () =>
      new Promise<void>((done) => {
        for (const res of streams) res.end();
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
