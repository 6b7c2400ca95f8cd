/**
 * The running lab's own HTTP endpoint (beside the cloud's): `GET /metrics` for Prometheus and
 * `GET /status` for the fleet summary as JSON. Loopback only; it reads, it never changes the lab.
 */
import { createServer, type Server } from 'node:http';
import type { FleetSnapshot } from '../fleet/fleet-summary.ts';
import type { LabMetrics } from './lab-metrics.ts';

export interface ControlServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function serveControl(
  metrics: LabMetrics,
  snapshot: () => FleetSnapshot,
  port: number,
): Promise<ControlServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const answer = (status: number, type: string, body: string) =>
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) }).end(body);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      answer(405, 'application/json', '{"error":"METHOD_NOT_ALLOWED","message":"this endpoint only reads: use GET"}');
    } else if (path === '/metrics') {
      metrics.scrape().then(
        (text) => answer(200, metrics.registry.contentType, text),
        (err: Error) => answer(500, 'text/plain', `metrics failed: ${err.message}\n`),
      );
    } else if (path === '/status') {
      answer(200, 'application/json', JSON.stringify(snapshot()));
    } else {
      answer(404, 'application/json', '{"error":"NOT_FOUND","message":"the lab serves GET /metrics and GET /status"}');
    }
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
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
