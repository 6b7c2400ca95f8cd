/** HTTP load for the benchmarks: a server in a forked process (bench-server.ts), autocannon in this one. */
import { fork } from 'node:child_process';
import autocannon from 'autocannon';
import type { DeviceRequest } from '#protocol';

export const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
export const CONNECTIONS = 50;

export function startServer(kind: 'bare' | 'cloud'): Promise<{ url: string; stop(): Promise<number> }> {
  const child = fork(new URL('./bench-server.ts', import.meta.url), [kind], { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`[bench] ${kind} server exited with ${code}`)));
    child.once('message', (url) =>
      resolve({
        url: url as string,
        stop: () =>
          new Promise<number>(
            (done) => (child.removeAllListeners('exit'), child.once('exit', (c) => done(c ?? 0)), child.kill()),
          ),
      }),
    );
  });
}

export interface Load {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
  non2xx: number;
  errors: number;
}

/** autocannon cycling through pre-built requests (each connection takes the next one from a shared cursor). */
export async function load(url: string, requests: DeviceRequest[], seconds = SECONDS): Promise<Load> {
  let cursor = 0;
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        setupRequest: (req: Record<string, unknown>) => {
          const r = requests[cursor++ % requests.length]!;
          return { ...req, method: r.method, path: r.path, headers: r.headers, body: r.body.toString() };
        },
      },
    ],
  });
  return {
    requestsPerSec: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}
