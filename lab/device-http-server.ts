/**
 * The lab's devices' HTTP servers, over real HTTP: one listening socket for the whole lab, routing each
 * request by its `Host:` header to the device with that management address or host name, as if each
 * device listened on its own address (a CSLU in pull mode connects here and names the device, like a
 * client behind a reverse proxy). The device decides the rest (`ip http server`, local users; devices/http):
 * a device with its server off, powered off, or unknown drops the connection, as a refused one looks.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { VirtualDevice } from '#devices';

export interface DeviceHttpServer {
  /** `http://127.0.0.1:<port>`: the gateway a CSLU connects to. */
  readonly url: string;
  close(): Promise<void>;
}

/** Requests bigger than this are refused before they are read (an ACK import is a few KB). */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** `10.1.2.3:80` → `10.1.2.3`; `[fe80::1]:80` → `fe80::1`. */
function hostOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^\[([^\]]+)\](?::\d+)?$/.exec(header) ?? /^([^:]+)(?::\d+)?$/.exec(header);
  return m?.[1]?.toLowerCase();
}

export function findDevice(devices: readonly VirtualDevice[], host: string): VirtualDevice | undefined {
  return devices.find((d) => d.address === host || d.hostname.toLowerCase() === host);
}

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(bytes.length),
    ...headers,
  });
  res.end(bytes);
}

export async function serveDeviceHttp(
  devices: () => readonly VirtualDevice[],
  options: { host?: string; port?: number; log?: (line: string) => void } = {},
): Promise<DeviceHttpServer> {
  const log = options.log ?? (() => {});
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        send(res, 413, { status: 'FAILED', message: `request body over ${MAX_BODY_BYTES} bytes` });
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => {
      if (res.headersSent) return;
      const host = hostOf(req.headers.host);
      const device = host === undefined ? undefined : findDevice(devices(), host);
      if (!device) return void req.socket.destroy();
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        return send(res, 400, { status: 'FAILED', message: 'the body is not valid JSON' });
      }
      const path = new URL(req.url ?? '/', 'http://device').pathname;
      try {
        const answer = device.onBoxHttp({
          method: req.method ?? 'GET',
          path,
          ...(body !== undefined ? { body } : {}),
          authorization: req.headers.authorization,
        });
        if (answer.refused) return void req.socket.destroy();
        send(
          res,
          answer.response.status,
          answer.response.body,
          answer.challenge ? { 'www-authenticate': answer.challenge } : {},
        );
      } catch (err) {
        log(`[lab] ${device.hostname} failed to answer ${req.method} ${path}: ${String(err)}`);
        send(res, 500, { status: 'FAILED', message: 'internal error' });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
