/**
 * The device protocol over real HTTP(S) with node:http / node:https. By default one keep-alive agent
 * is shared by every device using this transport (a fleet shard); `connectionPerTransaction` opens a
 * fresh TCP connection and a full TLS handshake for every request, as real Call Home does
 * (smart-licensing.md §8.1, §10.1) — about 800 requests/s per server core here (dependencies.md).
 */
import http from 'node:http';
import https from 'node:https';
import type { DeviceRequest } from '#protocol';
import {
  answered,
  type CloudTransport,
  type TransportFailure,
  type TransportFailureKind,
  type TransportResult,
} from './transport.ts';

export interface HttpTransportOptions {
  /** `http(s)://host:port`, optionally with a base path that prefixes every protocol path. */
  url: string;
  /** Default true: connections kept alive and reused. False: closed after each request (TLS sessions still resumed). */
  keepAlive?: boolean;
  /** A new TCP connection and a full TLS handshake (no session resumption) per request. */
  connectionPerTransaction?: boolean;
  /** Trust for https (PEM); default Node's built-in roots. */
  caPem?: string;
  /** Real-time socket inactivity deadline (node:http's own socket timeout), default 30 s. */
  timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
/** Sockets one shared agent may hold open: a shard of thousands of devices multiplexes onto these. */
export const FLEET_MAX_SOCKETS = 256;

const failureByCode: Record<string, TransportFailureKind> = {
  ECONNREFUSED: 'refused',
  EHOSTUNREACH: 'refused',
  ENETUNREACH: 'refused',
  EADDRNOTAVAIL: 'refused',
  ECONNRESET: 'reset',
  ECONNABORTED: 'reset',
  EPIPE: 'reset',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_FAIL: 'dns',
  EAI_NODATA: 'dns',
  EAI_NONAME: 'dns',
  ETIMEDOUT: 'timeout',
  // OpenSSL's record layer, e.g. `wrong version number` when https meets a plain-HTTP server.
  EPROTO: 'tls',
};
/** OpenSSL verification codes (CERT_HAS_EXPIRED, DEPTH_ZERO_SELF_SIGNED_CERT, …) and Node's TLS/SSL errors. */
const TLS_CODE = /^(ERR_TLS_|ERR_SSL_|ERR_OSSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH)/;

/** Maps a node:http client error to a transport failure; anything unrecognised broke the exchange: `reset`. */
export function failureOf(err: NodeJS.ErrnoException): TransportFailure {
  const code = err.code ?? '';
  const kind = failureByCode[code] ?? (TLS_CODE.test(code) ? 'tls' : 'reset');
  return { kind, detail: `${code || err.name}: ${err.message}` };
}

function flatten(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

function parseUrl(url: string): URL {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new Error(
      `[cloud-client] cloud url "${url}" is not usable; valid: http://host:port or https://host:port, optionally with a base path`,
    );
  }
  return parsed;
}

export function createHttpTransport(options: HttpTransportOptions): CloudTransport {
  const base = parseUrl(options.url);
  const secure = base.protocol === 'https:';
  const lib = secure ? https : http;
  const basePath = base.pathname.replace(/\/+$/, '');
  const hostname = base.hostname.replace(/^\[|\]$/g, '');
  const port = base.port === '' ? (secure ? 443 : 80) : Number(base.port);
  const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const perTransaction = options.connectionPerTransaction ?? false;
  const keepAlive = !perTransaction && (options.keepAlive ?? true);
  const tls = options.caPem === undefined ? {} : { ca: options.caPem };
  // One agent in every mode, so a fleet never holds more than FLEET_MAX_SOCKETS connections at once.
  const shared = {
    keepAlive,
    maxSockets: FLEET_MAX_SOCKETS,
    maxFreeSockets: FLEET_MAX_SOCKETS,
    scheduling: 'lifo' as const,
  };
  // Per transaction also forgets TLS sessions: every request pays the full handshake, as Call Home does.
  const agent = secure
    ? new https.Agent({ ...shared, ...tls, ...(perTransaction ? { maxCachedSessions: 0 } : {}) })
    : new http.Agent(shared);
  const mode = perTransaction ? 'connection per transaction' : keepAlive ? 'keep-alive' : 'no keep-alive';

  function exchange(req: DeviceRequest): Promise<TransportResult> {
    return new Promise((resolve) => {
      let settled = false;
      const settle = (result: TransportResult): void => {
        if (settled) return;
        settled = true;
        resolve(result);
      };
      const headers = {
        ...req.headers,
        'content-length': String(req.body.length),
        ...(keepAlive ? {} : { connection: 'close' }),
      };
      const r = lib.request(
        { hostname, port, path: basePath + req.path, method: req.method, headers, timeout, agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => settle(answered(res.statusCode ?? 0, flatten(res.headers), Buffer.concat(chunks))));
          res.on('error', (err: NodeJS.ErrnoException) => settle({ ok: false, failure: failureOf(err) }));
          res.on('close', () => {
            if (!res.complete)
              settle({
                ok: false,
                failure: { kind: 'reset', detail: 'the connection closed before the answer was complete' },
              });
          });
        },
      );
      // node:http's socket timeout: inactivity for `timeout` ms, in real time (the wire has no lab clock).
      r.on('timeout', () => {
        settle({ ok: false, failure: { kind: 'timeout', detail: `no answer within ${timeout} ms` } });
        r.destroy();
      });
      // Never resent, not even on a reused socket: a reset may come after the cloud acted (a lab `drop`
      // fault does exactly that), and the agent's own retry schedule decides. Node retires idle sockets
      // before the server's `Keep-Alive: timeout=` hint, so stale sockets are rare.
      r.on('error', (err: NodeJS.ErrnoException) => settle({ ok: false, failure: failureOf(err) }));
      r.end(req.body);
    });
  }

  return {
    description: `${base.origin}${basePath} (${mode})`,
    send: exchange,
    async close() {
      agent.destroy();
    },
  };
}
