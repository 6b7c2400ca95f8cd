/**
 * Runs one server for the HTTP benchmarks in its own process (forked by run.ts), so the load generator
 * and the server each get an event loop and their own OpenSSL state (a worker thread shared it, and the
 * load generator's tens of thousands of fresh keys slowed the server's signatures ~10×): `bare` is a plain
 * node:http JSON handler, `cloud` the mock cloud on a fresh SQLite file with a seeded account, licenses
 * and an unlimited token.
 */
import http from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applySeed, CloudService, createCloudApp, openStore, parseSeed, serve } from '#cloud';
import { LabClock } from '#lab';

import { BENCH_SEED } from './bench-seed.ts';

async function bare(): Promise<string> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString() || '{}') as { nonce?: string };
      const out = Buffer.from(JSON.stringify({ status: 'OK', nonce: body.nonce ?? null }));
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': out.length });
      res.end(out);
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

async function cloud(): Promise<string> {
  const clock = LabClock.create({ mode: 'real' });
  const store = await openStore(join(mkdtempSync(join(tmpdir(), 'lab-bench-')), 'cloud.db'));
  const service = await CloudService.open({ store, clock });
  await applySeed(service, parseSeed(BENCH_SEED));
  const app = createCloudApp({ service, clock, clockControl: undefined, labKey: null, log: (l) => console.error(l) });
  return (await serve(app)).url;
}

const url = process.argv[2] === 'bare' ? await bare() : await cloud();
process.send!(url);
