/**
 * CSLU's link to CSSM: the swapi SLP routes (cssm-api.md §1.3.11) with an OAuth client-credentials token,
 * the account ids in X-CSW-* headers and CSLU naming itself in X-CSW-REQUESTING-SYSTEM, as the public CSLU
 * stand-ins do. The bytes go through a sender: real HTTP(S) to a cloud URL, or a cloud app in the same
 * process (the lab's virtual-time runs). Never throws: every failure is a reason CSLU shows and retries on.
 */
import http from 'node:http';
import https from 'node:https';
import { parseSlpJson, slpApiPaths, stringifySlpJson, type Clock } from '#protocol';
import { CSW_HEADERS } from '../api/slp-api-access.ts';

export interface SentRequest {
  method: 'POST';
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

export type SenderAnswer = { ok: true; status: number; body: Buffer } | { ok: false; reason: string };
export type RequestSender = (req: SentRequest) => Promise<SenderAnswer>;

export interface UpstreamAccount {
  clientId: string;
  clientSecret: string;
  /** X-CSW-SMART-ACCOUNT-ID / X-CSW-VIRTUAL-ACCOUNT-ID: the account's domain and the VA name in this lab. */
  smartAccount: string;
  virtualAccount: string;
}

export type UpstreamAnswer = { ok: true; status: number; body: unknown } | { ok: false; reason: string };
export type UpstreamOperation = keyof typeof slpApiPaths;

export interface SlpUpstream {
  readonly description: string;
  send(op: UpstreamOperation, body: object): Promise<UpstreamAnswer>;
}

const TOKEN_PATH = '/as/token.oauth2';
/** Ask for a new token this long before the old one expires. */
const TOKEN_MARGIN_MS = 60_000;
const SOCKET_TIMEOUT_MS = 30_000;

function readJson(body: Buffer): unknown {
  try {
    return parseSlpJson(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

export function createUpstream(
  send: RequestSender,
  account: UpstreamAccount,
  clock: Clock,
  description: string,
): SlpUpstream {
  let token: { value: string; until: number } | undefined;

  async function accessToken(): Promise<{ ok: true; value: string } | { ok: false; reason: string }> {
    if (token && clock.now() < token.until - TOKEN_MARGIN_MS) return { ok: true, value: token.value };
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: account.clientId,
      client_secret: account.clientSecret,
    });
    const answer = await send({
      method: 'POST',
      path: TOKEN_PATH,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: Buffer.from(form.toString()),
    });
    if (!answer.ok) return answer;
    const body = readJson(answer.body) as { access_token?: unknown; expires_in?: unknown } | undefined;
    if (answer.status !== 200 || typeof body?.access_token !== 'string')
      return { ok: false, reason: `CSSM refused CSLU's credentials (HTTP ${answer.status})` };
    const lifetime = typeof body.expires_in === 'number' ? body.expires_in * 1000 : 3_599_000;
    token = { value: body.access_token, until: clock.now() + lifetime };
    return { ok: true, value: token.value };
  }

  return {
    description,
    async send(op, body) {
      const bearer = await accessToken();
      if (!bearer.ok) return bearer;
      const answer = await send({
        method: 'POST',
        path: slpApiPaths[op],
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${bearer.value}`,
          [CSW_HEADERS.account]: account.smartAccount,
          [CSW_HEADERS.virtualAccount]: account.virtualAccount,
          [CSW_HEADERS.requestingSystem]: JSON.stringify({ display_name: 'CSLU' }),
        },
        body: Buffer.from(stringifySlpJson(body)),
      });
      if (!answer.ok) return answer;
      // A token the cloud forgot (restart, revocation) is asked for again on the next exchange.
      if (answer.status === 401) token = undefined;
      return { ok: true, status: answer.status, body: readJson(answer.body) };
    },
  };
}

/** One CSSM login for the relays of several virtual accounts (SSM On-Prem's per-VA relays, a CSLU's one). */
export function upstreamFor(
  send: RequestSender,
  login: Omit<UpstreamAccount, 'virtualAccount'>,
  clock: Clock,
  description: string,
): (virtualAccount: string) => SlpUpstream {
  return (virtualAccount) => createUpstream(send, { ...login, virtualAccount }, clock, description);
}

/** Real HTTP(S) to `url` (`https://cloud:8443`); `caPem` trusts a lab CA. */
export function httpSender(url: string, caPem?: string): RequestSender {
  const base = new URL(url);
  const client = base.protocol === 'https:' ? https : http;
  return (req) =>
    new Promise((resolveAnswer) => {
      const request = client.request(
        new URL(base.pathname.replace(/\/+$/, '') + req.path, base),
        {
          method: req.method,
          headers: { ...req.headers, 'content-length': String(req.body.length) },
          ...(caPem ? { ca: caPem } : {}),
          timeout: SOCKET_TIMEOUT_MS,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolveAnswer({ ok: true, status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
          res.on('error', (err) => resolveAnswer({ ok: false, reason: `CSSM connection failed: ${err.message}` }));
        },
      );
      request.on('timeout', () => request.destroy(new Error('no answer in 30 s')));
      request.on('error', (err) => resolveAnswer({ ok: false, reason: `CSSM unreachable: ${err.message}` }));
      request.end(req.body);
    });
}

/** A cloud app's `handle` in this process (structurally cloud-mock's LabRequest → LabResult). */
export function inProcessSender(
  handle: (req: {
    method: string;
    path: string;
    query: URLSearchParams;
    headers: Record<string, string | undefined>;
    body: Buffer;
  }) => Promise<unknown>,
): RequestSender {
  return async (req) => {
    let answer: unknown;
    try {
      answer = await handle({
        ...req,
        query: new URLSearchParams(),
        headers: { ...req.headers, 'content-length': String(req.body.length) },
      });
    } catch (err) {
      return { ok: false, reason: `CSSM failed: ${String(err)}` };
    }
    const a = answer as { status?: unknown; body?: unknown } | undefined;
    if (typeof a?.status !== 'number') return { ok: false, reason: 'CSSM dropped the connection' };
    return { ok: true, status: a.status, body: Buffer.isBuffer(a.body) ? a.body : Buffer.alloc(0) };
  };
}
