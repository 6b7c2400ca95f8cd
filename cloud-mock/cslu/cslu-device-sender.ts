/**
 * How CSLU reaches a product instance's on-box REST API in pull mode: real HTTP to `http://<host>:<port>`,
 * HTTP Basic as the device's local user. Behind a gateway (the lab serves every device from one HTTP
 * server, lab/device-http-server.ts) the connection goes to the gateway and `Host:` names the device, as a
 * reverse proxy routes. Never throws: a failure is a reason CSLU records against the device.
 */
import http from 'node:http';
import { parseSlpJson, stringifySlpJson } from '#protocol';

export interface DeviceCall {
  host: string;
  /** Absent: 80. */
  port?: number | undefined;
  method: 'GET' | 'POST';
  path: string;
  user: string;
  password: string;
  body?: object;
}

export type DeviceAnswer = { ok: true; status: number; body: unknown } | { ok: false; reason: string };
export type DeviceSender = (call: DeviceCall) => Promise<DeviceAnswer>;

const SOCKET_TIMEOUT_MS = 30_000;
const DEFAULT_HTTP_PORT = 80;

/** A URL host part: an IPv6 address in brackets. */
const hostPart = (host: string): string => (host.includes(':') ? `[${host}]` : host);

/** `gateway` (`http://127.0.0.1:8080`): connect there for every device, naming the device in `Host:`. */
export function deviceHttpSender(options: { gateway?: string } = {}): DeviceSender {
  const gateway = options.gateway === undefined ? undefined : new URL(options.gateway);
  return (call) =>
    new Promise((resolveAnswer) => {
      const authority = `${hostPart(call.host)}:${call.port ?? DEFAULT_HTTP_PORT}`;
      const target = gateway ? new URL(call.path, gateway) : new URL(`http://${authority}${call.path}`);
      const body = call.body === undefined ? undefined : Buffer.from(stringifySlpJson(call.body));
      const request = http.request(
        target,
        {
          method: call.method,
          headers: {
            host: authority,
            accept: 'application/json',
            authorization: `Basic ${Buffer.from(`${call.user}:${call.password}`).toString('base64')}`,
            ...(body ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {}),
          },
          timeout: SOCKET_TIMEOUT_MS,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown;
            try {
              parsed = text === '' ? undefined : parseSlpJson(text);
            } catch {
              parsed = undefined;
            }
            resolveAnswer({ ok: true, status: res.statusCode ?? 0, body: parsed });
          });
          res.on('error', (err) =>
            resolveAnswer({ ok: false, reason: `connection to ${authority} failed: ${err.message}` }),
          );
        },
      );
      request.on('timeout', () => request.destroy(new Error(`no answer in ${SOCKET_TIMEOUT_MS / 1000} s`)));
      request.on('error', (err) => resolveAnswer({ ok: false, reason: `${authority} unreachable: ${err.message}` }));
      request.end(body);
    });
}
