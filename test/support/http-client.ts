/**
 * HTTP clients for hostile requests: node:http (any method it knows, any path bytes, bodies declared or
 * chunked) and a raw socket for what node:http refuses to send (unknown methods, broken framing).
 */
import http from 'node:http';
import net from 'node:net';
import type { WireRequest, WireResponse } from './device.ts';

export function httpSend(
  baseUrl: string,
  req: WireRequest,
  options: { agent?: http.Agent; chunked?: boolean } = {},
): Promise<WireResponse> {
  // Header values are made legal (and short enough to stay under node's 16 KiB header limit).
  const headers: Record<string, string> = Object.fromEntries(
    Object.entries(req.headers).map(([k, v]) => [k, v.replace(/[^\t\x20-\x7e]/g, '?').slice(0, 3_000)]),
  );
  // node:http frames GET/DELETE/OPTIONS bodies only when told how.
  if (options.chunked) headers['transfer-encoding'] = 'chunked';
  else headers['content-length'] = String(req.body?.length ?? 0);
  const method = http.METHODS.includes(req.method) ? req.method : 'PATCH';
  return new Promise((ok, fail) => {
    // Paths are cut to 8 KiB: longer ones hit node's own header limit (see the parser-level test).
    const path = req.path.replace(/[^\x21-\x7e]/g, encodeURIComponent).slice(0, 8_192);
    const r = http.request(
      `${baseUrl}${path}`,
      { method, headers, ...(options.agent ? { agent: options.agent } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          ok({ status: res.statusCode!, headers: res.headers as Record<string, string>, body: Buffer.concat(chunks) }),
        );
        res.on('error', fail);
      },
    );
    r.on('error', fail);
    if (options.chunked) {
      for (let i = 0; i < (req.body?.length ?? 0); i += 64 * 1024) r.write(req.body!.subarray(i, i + 64 * 1024));
      r.end();
    } else r.end(req.body);
  });
}

/** Writes `bytes` on a fresh connection and parses the one answer (status, lower-case headers, body). */
export function rawExchange(baseUrl: string, bytes: string): Promise<WireResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((ok, fail) => {
    const socket = net.connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', fail);
    socket.on('close', () => {
      const text = Buffer.concat(chunks);
      const split = text.indexOf('\r\n\r\n');
      const head = text
        .subarray(0, split < 0 ? text.length : split)
        .toString('latin1')
        .split('\r\n');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? '')?.[1] ?? 0);
      const headers = Object.fromEntries(
        head.slice(1).map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]),
      );
      ok({ status, headers, body: split < 0 ? Buffer.alloc(0) : text.subarray(split + 4) });
    });
    socket.end(bytes);
  });
}
