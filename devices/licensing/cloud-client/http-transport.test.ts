/**
 * The HTTP transport against real node:http / node:https servers on loopback: connection reuse per
 * mode (counted on the server), TLS trust, base paths, and every socket-level failure it maps.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { devicePaths } from '#protocol';
import { createHttpTransport, failureOf, FLEET_MAX_SOCKETS, type HttpTransportOptions } from './http-transport.ts';
import { caPem, otherCaPem, serverTls } from '#test-support/test-cloud.ts';
import type { CloudTransport } from './transport.ts';

const req = {
  method: 'POST' as const,
  path: devicePaths.authorize,
  headers: { 'content-type': 'application/json' },
  body: Buffer.from('{"n":1}'),
};

interface Lab {
  url: string;
  connections: number;
  paths: string[];
  server: http.Server;
}

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((o) => o.close()));
});

async function listen(handler: http.RequestListener = (_q, s) => s.end('{"ok":true}'), tls = false): Promise<Lab> {
  const lab: Lab = { url: '', connections: 0, paths: [], server: undefined as unknown as http.Server };
  const listener: http.RequestListener = (q, s) => {
    lab.paths.push(q.url ?? '');
    handler(q, s);
  };
  const server = tls ? https.createServer(serverTls, listener) : http.createServer(listener);
  server.on(tls ? 'secureConnection' : 'connection', () => (lab.connections += 1));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  lab.server = server;
  lab.url = `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  open.push({
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  });
  return lab;
}

function transport(options: HttpTransportOptions): CloudTransport {
  const t = createHttpTransport(options);
  open.push(t);
  return t;
}

async function sendMany(t: CloudTransport, n: number) {
  const results = [];
  for (let i = 0; i < n; i++) results.push(await t.send(req));
  return results;
}

describe('connections', () => {
  it('keep-alive (default) reuses one socket for sequential requests', async () => {
    const lab = await listen();
    const results = await sendMany(transport({ url: lab.url }), 5);
    expect(results.every((r) => r.ok && r.status === 200 && r.body.toString() === '{"ok":true}')).toBe(true);
    expect(lab.connections).toBe(1);
  });

  it('connectionPerTransaction and keepAlive:false open one connection per request', async () => {
    const lab = await listen();
    await sendMany(transport({ url: lab.url, connectionPerTransaction: true }), 4);
    expect(lab.connections).toBe(4);
    await sendMany(transport({ url: lab.url, keepAlive: false }), 3);
    expect(lab.connections).toBe(7);
  });

  it('https: one TLS connection kept alive; per transaction a full handshake each time; keepAlive:false resumes sessions', async () => {
    const lab = await listen(undefined, true);
    const resumed: boolean[] = [];
    lab.server.on('secureConnection', (s: import('node:tls').TLSSocket) => resumed.push(s.isSessionReused()));
    const kept = await sendMany(transport({ url: lab.url, caPem }), 4);
    expect(kept.every((r) => r.ok)).toBe(true);
    expect(lab.connections).toBe(1);
    const fresh = await sendMany(transport({ url: lab.url, caPem, connectionPerTransaction: true }), 4);
    expect(fresh.every((r) => r.ok)).toBe(true);
    expect(lab.connections).toBe(5);
    expect(resumed.slice(1, 5)).toEqual([false, false, false, false]);
    await sendMany(transport({ url: lab.url, caPem, keepAlive: false }), 3);
    expect(lab.connections).toBe(8);
    expect(resumed.slice(5)).toEqual([false, true, true]);
  });

  it('does not resend a request whose kept-alive connection reset: the cloud may have acted on it', async () => {
    const served = new WeakMap<object, number>();
    const lab = await listen((q, s) => {
      const n = (served.get(q.socket) ?? 0) + 1;
      served.set(q.socket, n);
      if (n > 1) q.socket.destroy();
      else s.end('{"ok":true}');
    });
    const t = transport({ url: lab.url });
    expect((await t.send(req)).ok).toBe(true);
    expect(await t.send(req)).toMatchObject({ ok: false, failure: { kind: 'reset' } });
    expect(lab.paths).toHaveLength(2);
    expect((await t.send(req)).ok).toBe(true);
    expect(lab.connections).toBe(2);
  });

  it('never holds more than FLEET_MAX_SOCKETS connections, even one per transaction', async () => {
    let openNow = 0;
    let peak = 0;
    // Answers wait until the cap is reached (or 5 s), so the peak does not depend on how fast this machine is.
    let held: (() => void)[] = [];
    const release = () => (held.forEach((answer) => answer()), (held = []));
    const lab = await listen((_q, s) => {
      held.push(() => s.end('{"ok":true}'));
      if (openNow >= FLEET_MAX_SOCKETS) release();
      else setTimeout(release, 5_000);
    });
    lab.server.on('connection', (socket) => {
      peak = Math.max(peak, ++openNow);
      socket.on('close', () => (openNow -= 1));
    });
    const t = transport({ url: lab.url, connectionPerTransaction: true });
    const results = await Promise.all(Array.from({ length: FLEET_MAX_SOCKETS + 44 }, () => t.send(req)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(peak).toBe(FLEET_MAX_SOCKETS);
  });

  it('prefixes a base path and describes itself', async () => {
    const lab = await listen();
    const t = transport({ url: `${lab.url}/cssm/`, connectionPerTransaction: true });
    await t.send(req);
    expect(lab.paths).toEqual([`/cssm${devicePaths.authorize}`]);
    expect(t.description).toBe(`${lab.url}/cssm (connection per transaction)`);
    expect(transport({ url: lab.url }).description).toBe(`${lab.url} (keep-alive)`);
    expect(transport({ url: lab.url, keepAlive: false }).description).toBe(`${lab.url} (no keep-alive)`);
  });

  it('refuses URLs it cannot use, naming the value and the valid forms', () => {
    for (const url of ['ftp://cloud:21', 'cloud:8443', '']) {
      expect(() => createHttpTransport({ url })).toThrow(
        `cloud url "${url}" is not usable; valid: http://host:port or https://host:port, optionally with a base path`,
      );
    }
  });
});

describe('failures', () => {
  it('refused: nothing listens on the port', async () => {
    const lab = await listen();
    await open.pop()!.close();
    expect(await transport({ url: lab.url }).send(req)).toMatchObject({
      ok: false,
      failure: { kind: 'refused', detail: expect.stringContaining('ECONNREFUSED') },
    });
  });

  it('reset: the server destroys the connection before answering', async () => {
    const lab = await listen((q) => q.socket.destroy());
    expect(await transport({ url: lab.url }).send(req)).toMatchObject({ ok: false, failure: { kind: 'reset' } });
  });

  it('reset: the connection dies in the middle of the body', async () => {
    const lab = await listen((q, s) => {
      s.writeHead(200, { 'content-length': '100' });
      s.write('{"half":', () => q.socket.destroy());
    });
    expect(await transport({ url: lab.url }).send(req)).toMatchObject({ ok: false, failure: { kind: 'reset' } });
  });

  it('timeout: the server never answers (node:http socket timeout, real time)', async () => {
    const lab = await listen(() => {});
    const started = performance.now();
    expect(await transport({ url: lab.url, timeoutMs: 80 }).send(req)).toEqual({
      ok: false,
      failure: { kind: 'timeout', detail: 'no answer within 80 ms' },
    });
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('empty: an answer with no body', async () => {
    const lab = await listen((_q, s) => s.writeHead(204).end());
    expect(await transport({ url: lab.url }).send(req)).toEqual({
      ok: false,
      failure: { kind: 'empty', detail: 'HTTP 204 with an empty body' },
    });
  });

  it('tls: a server certificate from a root the device does not trust, or a plain-HTTP server', async () => {
    const tlsLab = await listen(undefined, true);
    expect(await transport({ url: tlsLab.url }).send(req)).toMatchObject({ ok: false, failure: { kind: 'tls' } });
    expect(await transport({ url: tlsLab.url, caPem: otherCaPem }).send(req)).toMatchObject({
      ok: false,
      failure: { kind: 'tls' },
    });
    const plain = await listen();
    expect(await transport({ url: plain.url.replace('http:', 'https:'), caPem }).send(req)).toMatchObject({
      ok: false,
      failure: { kind: 'tls' },
    });
  });

  it('dns: a name that does not resolve', async () => {
    expect(await transport({ url: 'http://no-such-cloud.invalid:8480' }).send(req)).toMatchObject({
      ok: false,
      failure: { kind: 'dns' },
    });
  });

  it('maps error codes; anything unknown is a reset', () => {
    const kinds = Object.fromEntries(
      [
        'ECONNREFUSED',
        'EHOSTUNREACH',
        'ECONNRESET',
        'EPIPE',
        'ENOTFOUND',
        'EAI_AGAIN',
        'ETIMEDOUT',
        'CERT_HAS_EXPIRED',
        'ERR_TLS_CERT_ALTNAME_INVALID',
        'DEPTH_ZERO_SELF_SIGNED_CERT',
        'EWHATEVER',
      ].map((code) => [code, failureOf(Object.assign(new Error('x'), { code })).kind]),
    );
    expect(kinds).toEqual({
      ECONNREFUSED: 'refused',
      EHOSTUNREACH: 'refused',
      ECONNRESET: 'reset',
      EPIPE: 'reset',
      ENOTFOUND: 'dns',
      EAI_AGAIN: 'dns',
      ETIMEDOUT: 'timeout',
      CERT_HAS_EXPIRED: 'tls',
      ERR_TLS_CERT_ALTNAME_INVALID: 'tls',
      DEPTH_ZERO_SELF_SIGNED_CERT: 'tls',
      EWHATEVER: 'reset',
    });
    expect(failureOf(new Error('socket hang up'))).toEqual({ kind: 'reset', detail: 'Error: socket hang up' });
  });

  it('a closed transport still answers later sends on a new connection', async () => {
    const lab = await listen();
    const t = transport({ url: lab.url });
    await t.send(req);
    await t.close();
    expect((await t.send(req)).ok).toBe(true);
  });
});
