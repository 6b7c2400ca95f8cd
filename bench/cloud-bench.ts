/**
 * The cloud's benchmarks, each against its bare baseline, written as JSON to
 * bench/results/cloud-<time>.json and bench/results/cloud.json. Targets come from the issues:
 * device API ≥ 0.5× bare node:http; registrations ≥ 2,000/s.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import { fork } from 'node:child_process';
import autocannon from 'autocannon';
import { SqliteStore, PostgresStore, type Store } from '#cloud';
import { buildDeviceRequest, newNonce, type DeviceRequest } from '#protocol';
import { machine, writeResults } from './write-results.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = 50;
const NW_E = 'regid.2017-05.com.cisco.essentialsk9-Nyquist-C9300,1.0_6c1c7e4f-3a1e-4b2a-8c5e-1f0a2b3c4d02';
const TOKEN = 'BENCH-TOKEN-UNLIMITED%0Abench%3D';

function startServer(kind: 'bare' | 'cloud'): Promise<{ url: string; stop(): Promise<number> }> {
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

interface Load {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  total: number;
  non2xx: number;
  errors: number;
}

/** autocannon cycling through pre-built requests (each connection takes the next one from a shared cursor). */
async function load(url: string, requests: DeviceRequest[], seconds = SECONDS): Promise<Load> {
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

function device(i: number) {
  const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const udi = { pid: 'C9300-24P', sn: `FOC${String(i).padStart(8, '0')}` };
  const publicKey = key.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const register = buildDeviceRequest(
    'register',
    { udi, timestamp: Date.now(), nonce: newNonce(), idToken: TOKEN, hostname: `sw${i}`, publicKey },
    key.privateKey,
  );
  return { key, udi, register };
}

async function post(url: string, r: DeviceRequest): Promise<Record<string, unknown>> {
  const res = await fetch(url + r.path, { method: 'POST', headers: r.headers, body: r.body });
  const body = (await res.json()) as Record<string, unknown>;
  if (res.status !== 200) throw new Error(`[bench] ${r.path} answered ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

async function deviceApi() {
  const bare = await startServer('bare');
  const bareReqs = Array.from({ length: 1000 }, () => ({
    method: 'POST' as const,
    path: '/x',
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify({ nonce: newNonce(), entitlements: [{ tag: NW_E, count: 1 }] })),
  }));
  const bareLoad = await load(bare.url, bareReqs);
  await bare.stop();

  const cloud = await startServer('cloud');
  const devices = Array.from({ length: 200 }, (_, i) => device(i));
  const authorize: DeviceRequest[] = [];
  for (const d of devices) {
    const reg = await post(cloud.url, d.register);
    for (let k = 0; k < 10; k++) {
      authorize.push(
        buildDeviceRequest(
          'authorize',
          { udi: d.udi, timestamp: Date.now(), nonce: newNonce(), entitlements: [{ tag: NW_E, count: 1 }] },
          d.key.privateKey,
          reg.certificateSerial as string,
        ),
      );
    }
  }
  const cloudLoad = await load(cloud.url, authorize);
  await cloud.stop();

  const regCloud = await startServer('cloud');
  const count = Math.max(20_000, SECONDS * 4000);
  const registrations = Array.from({ length: count }, (_, i) => device(1_000_000 + i).register);
  const regLoad = await load(regCloud.url, registrations);
  await regCloud.stop();
  return {
    bareNodeHttp: bareLoad,
    cloudAuthorize: cloudLoad,
    ratio: Number((cloudLoad.requestsPerSec / bareLoad.requestsPerSec).toFixed(3)),
    registrations: { ...regLoad, distinctRequests: count },
  };
}

async function upserts(store: Store, n: number, batch: number) {
  const record = (i: number) => ({
    id: `acct-${batch}-${i}`,
    name: `Account ${i}`,
    domain: `a${batch}-${i}.example.com`,
    type: 'CUSTOMER' as const,
    createdAt: 0,
  });
  let t = performance.now();
  for (let i = 0; i < n; i++) await store.tx((tx) => tx.put('smartAccounts', record(i)));
  const single = n / ((performance.now() - t) / 1000);
  t = performance.now();
  await store.tx(async (tx) => {
    for (let i = 0; i < n * 10; i++) await tx.put('smartAccounts', record(n + i));
  });
  const batched = (n * 10) / ((performance.now() - t) / 1000);
  await store.close();
  return { singleRowTransactionsPerSec: Math.round(single), upsertsInOneTransactionPerSec: Math.round(batched) };
}

async function storeBench() {
  const dir = `${os.tmpdir()}/lab-bench-store-${process.pid}`;
  mkdirSync(dir, { recursive: true });
  const sqlite = await upserts(SqliteStore.open({ path: `${dir}/s.db` }), 5000, 1);
  const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `lab_bench_${process.pid}`;
  let postgres: Awaited<ReturnType<typeof upserts>> | { error: string };
  try {
    postgres = await upserts(await PostgresStore.open({ connectionString: url, schema }), 2000, 2);
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA ${schema} CASCADE`);
    await client.end();
  } catch (err) {
    postgres = { error: (err as Error).message };
  }
  return { sqlite, postgres };
}

const started = new Date();
const results = {
  benchmark: 'cloud',
  at: started.toISOString(),
  machine: machine(),
  settings: {
    seconds: SECONDS,
    connections: CONNECTIONS,
    loadGenerator: 'autocannon in the bench process, server in a forked process, same 2 cores',
  },
  deviceApi: await deviceApi(),
  store: await storeBench(),
  targets: { deviceApiRatio: 0.5, registrationsPerSec: 2000 },
};
writeResults('cloud', started, results);
