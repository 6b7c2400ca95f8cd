/**
 * The device's HTTP server in front of its on-box REST API: the server must be on (`ip http server`) and
 * the caller must log in by HTTP Basic as a local privilege-15 user (`ip http authentication local`).
 * Pure request → answer: the lab carries the bytes over real HTTP (lab/device-http-server.ts).
 */
import { timingSafeEqual } from 'node:crypto';
import type { SmartlicRequest, SmartlicResponse } from '../licensing/smartlic-service.ts';
import { REST_PRIVILEGE, type AccessConfig } from './access-config.ts';

export interface OnBoxHttpRequest extends SmartlicRequest {
  /** The `Authorization` header, as sent. */
  authorization?: string | undefined;
}

/** `refused`: nothing listens (the server is off); the caller sees the connection refused. */
export type OnBoxHttpAnswer = { refused: true } | { refused: false; response: SmartlicResponse; challenge?: string };

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function basicLogin(header: string | undefined): { user: string; password: string } | undefined {
  const m = /^basic\s+(\S+)$/i.exec(header?.trim() ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function onBoxHttp(
  access: AccessConfig,
  request: OnBoxHttpRequest,
  serve: (request: SmartlicRequest) => SmartlicResponse,
): OnBoxHttpAnswer {
  if (!access.httpServer) return { refused: true };
  const unauthorized = (message: string): OnBoxHttpAnswer => ({
    refused: false,
    response: { status: 401, body: { status: 'FAILED', message } },
    challenge: 'Basic realm="level_15 or view_access"',
  });
  const login = basicLogin(request.authorization);
  if (!login) return unauthorized('authentication required');
  const user =
    access.httpAuthentication === 'local'
      ? access.users.find((u) => u.name === login.user && sameText(u.secret, login.password))
      : undefined;
  if (!user) return unauthorized('bad user name or password');
  if (user.privilege < REST_PRIVILEGE)
    return {
      refused: false,
      response: {
        status: 403,
        body: {
          status: 'FAILED',
          message: `user ${user.name} has privilege ${user.privilege}; ${REST_PRIVILEGE} is needed`,
        },
      },
    };
  const { authorization: _, ...rest } = request;
  return { refused: false, response: serve(rest) };
}
