/** Puts the cloud app on node:http or node:https: body limit, keep-alive, drops. */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { MAX_BODY_BYTES } from '#protocol';
import type { CloudApp } from './api/app.ts';
import { DROP, type LabRequest, type LabResponse } from './api/http-types.ts';
import { errorResponse } from './api/respond.ts';

export interface ServeOptions {
  port?: number;
  host?: string;
  tls?: { key: string; cert: string };
}

/** What serve() needs of an app: the cloud's, or another lab service's (the CSLU stand-in). */
export type ServedApp = Pick<CloudApp, 'handle' | 'sign'> & { context: Pick<CloudApp['context'], 'log'> };

export interface RunningServer {
  url: string;
  server: http.Server;
  close(): Promise<void>;
}

function write(res: http.ServerResponse, answer: LabResponse, close = false): void {
  res.writeHead(answer.status, {
    ...answer.headers,
    'content-length': String(answer.body.length),
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(answer.body);
}

function tooLarge(app: ServedApp): LabResponse {
  return app.sign(errorResponse('BODY_TOO_LARGE', `the body is over the ${MAX_BODY_BYTES} byte limit`));
}

export function createRequestListener(app: ServedApp): http.RequestListener {
  return (req, res) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      write(res, tooLarge(app), true);
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        refused = true;
        write(res, tooLarge(app), true);
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      if (refused) return;
      // Prefixing (not resolving against a base) keeps `//lab//health` a path, not a protocol-relative URL.
      const url = new URL(`http://lab${req.url ?? '/'}`);
      const labReq: LabRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers as Record<string, string | undefined>,
        body: Buffer.concat(chunks),
      };
      app.handle(labReq).then(
        (answer) => (answer === DROP ? req.socket.destroy() : write(res, answer)),
        (err: unknown) => {
          app.context.log(`[cloud] failed to answer ${labReq.method} ${labReq.path}: ${String(err)}`);
          res.destroy();
        },
      );
    });
  };
}

/**
 * Requests node:http refuses before routing (bad framing, unknown method, huge headers) still get a signed catalogue
 * answer.
 */
function answerClientError(app: ServedApp, err: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable) return void socket.destroy();
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const answer = app.sign(
    tooLarge
      ? errorResponse('HEADERS_TOO_LARGE', 'the request line and headers are over the 16 KiB limit')
      : errorResponse('MALFORMED_REQUEST', `the HTTP request could not be parsed (${err.code ?? 'bad request'})`),
  );
  const head = [
    `HTTP/1.1 ${answer.status} ${http.STATUS_CODES[answer.status]}`,
    ...Object.entries(answer.headers).map(([k, v]) => `${k}: ${v}`),
    `content-length: ${answer.body.length}`,
    'connection: close',
  ];
  socket.end(Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`), answer.body]));
}

export function serve(app: ServedApp, options: ServeOptions = {}): Promise<RunningServer> {
  const listener = createRequestListener(app);
  const server = options.tls
    ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, listener)
    : http.createServer(listener);
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => answerClientError(app, err, socket));
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      const { port } = server.address() as AddressInfo;
      const shown = host.includes(':') ? `[${host}]` : host;
      resolve({
        url: `${options.tls ? 'https' : 'http'}://${shown}:${port}`,
        server,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
