/**
 * A management-API client for tests, over HTTP (a base URL) or in-process: OAuth2 tokens and JSON
 * calls whose answers are checked to be signed and, when refused, to carry a catalogue code in the
 * route's envelope (Cisco's status/statusMessage, or RFC 6749 on the token endpoints).
 */
import type { KeyObject } from 'node:crypto';
import { expect } from 'vitest';
import { errorCatalogue } from '#protocol';
import { assertSigned, send, type Target } from './device.ts';
import { catalogueError } from './fuzz-lab.ts';
import { labKeyHeader } from './lab-key.ts';

export const SLA = '/services/api/smart-accounts-and-licensing';
export const ADMIN = { client_id: 'lab-example-admin', client_secret: 'lab-example-admin-secret' };
export const EAST = { client_id: 'lab-example-east', client_secret: 'lab-example-east-secret' };

export interface Reply {
  status: number;
  body: any;
  headers: Record<string, string>;
}

export class ManagementClient {
  readonly target: Target;
  private readonly caKey: KeyObject;

  constructor(target: Target, caKey: KeyObject) {
    this.target = target;
    this.caKey = caKey;
  }

  /** Any request; the answer must be signed JSON, and an error a catalogue code with the catalogue's status. */
  async raw(
    method: string,
    path: string,
    body?: string | Buffer,
    headers: Record<string, string> = {},
  ): Promise<Reply> {
    const res = await send(this.target, {
      method,
      path,
      headers: { 'content-type': 'application/json', ...labKeyHeader, ...headers },
      ...(body !== undefined ? { body: Buffer.from(body) } : {}),
    });
    assertSigned(res, this.caKey);
    const parsed = JSON.parse(res.body.toString('utf8'));
    if (res.status >= 400) {
      const error = catalogueError(parsed);
      expect(typeof error, `${method} ${path}: ${res.body.toString()}`).toBe('object');
      const code = (error as { code: keyof typeof errorCatalogue }).code;
      expect(errorCatalogue[code]?.status, `${method} ${path}: ${res.body.toString()}`).toBe(res.status);
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  /** POST form fields to a token endpoint. */
  tokenForm(fields: Record<string, string>, path = '/as/token.oauth2'): Promise<Reply> {
    return this.raw('POST', path, new URLSearchParams(fields).toString(), {
      'content-type': 'application/x-www-form-urlencoded',
    });
  }

  async token(
    client: { client_id: string; client_secret: string },
    extra: Record<string, string> = {},
  ): Promise<string> {
    const r = await this.tokenForm({ ...client, grant_type: 'client_credentials', ...extra });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.access_token as string;
  }

  /** A management call under the SLA base path with a bearer token. */
  call(token: string, method: string, path: string, body?: unknown): Promise<Reply> {
    return this.raw(method, `${SLA}${path}`, body === undefined ? undefined : JSON.stringify(body), {
      authorization: `Bearer ${token}`,
    });
  }
}
