/**
 * The cloud's benchmarks, each against its bare baseline, written as JSON to
 * bench/results/cloud-<time>.json and bench/results/cloud.json. Targets come from the issues:
 * device API ≥ 0.5× bare node:http; registrations ≥ 2,000/s; RUM report uploads (SLP) beside classic
 * authorizations, measured in the same run.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import { SqliteStore, PostgresStore, type Store } from '#cloud';
import {
  buildDeviceRequest,
  buildRumReport,
  headers,
  newNonce,
  signBytes,
  slpDevicePaths,
  stringifySlpJson,
  type DeviceRequest,
} from '#protocol';
import { CONNECTIONS, load, SECONDS, startServer } from './http-load.ts';
import { machine, writeResults } from './write-results.ts';

const NW_E = 'regid.2017-05.com.cisco.essentialsk9-Nyquist-C9300,1.0_6c1c7e4f-3a1e-4b2a-8c5e-1f0a2b3c4d02';
const TOKEN = 'BENCH-TOKEN-UNLIMITED%0Abench%3D';

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

/** Devices of the authorization and RUM upload runs, and distinct requests each run cycles through. */
const DEVICES = 200;
const DISTINCT = Math.ceil((SECONDS * 6000) / DEVICES) * DEVICES;

function slpRequest(path: string, body: object, key: KeyObject): DeviceRequest {
  const bytes = Buffer.from(stringifySlpJson(body));
  return {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json', [headers.signature]: signBytes(bytes, key) },
    body: bytes,
  };
}

/**
 * SLP devices trusted with the bench token, then one upload per request of one signed RUM report (a 15-minute
 * measurement), each with its own report id and nonce: the cloud checks both signatures, the trust binding
 * and duplicates, and records the usage.
 */
async function rumUploadRequests(url: string): Promise<DeviceRequest[]> {
  const uploads: DeviceRequest[] = [];
  const firstReport = Math.floor(Date.now() / 1000) - 365 * 86_400;
  for (let i = 0; i < DEVICES; i++) {
    const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const spki = key.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    const sudi = { udi_pid: 'C9300-24P', udi_serial_number: `FOC${String(2_000_000 + i).padStart(8, '0')}` };
    const trust = {
      data: {
        timestamp: Date.now(),
        nonce: newNonce(),
        sudi,
        hostname: `slp${i}`,
        id_token: TOKEN,
        public_key: spki,
        force: false,
      },
    };
    await post(url, slpRequest(slpDevicePaths.trust, trust, key.privateKey));
    for (let k = 0; k < DISTINCT / DEVICES; k++) {
      const start = firstReport + k * 900;
      const usage = { sudi, reportId: start, tag: NW_E, softwareVersion: '17.9.4', start, end: start + 900, count: 1 };
      const report = buildRumReport({ ...usage, reason: 'ReportWindowElapsed' }, key.privateKey, spki);
      const body = { data: { timestamp: Date.now(), nonce: newNonce(), reports: [{ sudi, usage: [report] }] } };
      uploads.push(slpRequest(slpDevicePaths.reportUsage, body, key.privateKey));
    }
  }
  return uploads;
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

  // Every request distinct (its own nonce): a replay would be refused and measure the refusal instead.
  const cloud = await startServer('cloud');
  const devices = Array.from({ length: DEVICES }, (_, i) => device(i));
  const authorize: DeviceRequest[] = [];
  for (const d of devices) {
    const reg = await post(cloud.url, d.register);
    for (let k = 0; k < DISTINCT / DEVICES; k++) {
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

  const slpCloud = await startServer('cloud');
  const rumUploads = await load(slpCloud.url, await rumUploadRequests(slpCloud.url));
  await slpCloud.stop();

  const regCloud = await startServer('cloud');
  const count = Math.max(20_000, SECONDS * 4000);
  const registrations = Array.from({ length: count }, (_, i) => device(1_000_000 + i).register);
  const regLoad = await load(regCloud.url, registrations);
  await regCloud.stop();
  return {
    bareNodeHttp: bareLoad,
    cloudAuthorize: { ...cloudLoad, distinctRequests: authorize.length },
    ratio: Number((cloudLoad.requestsPerSec / bareLoad.requestsPerSec).toFixed(3)),
    slpRumUploads: { ...rumUploads, distinctRequests: DISTINCT, reportsPerUpload: 1 },
    slpToClassicAuthorizeRatio: Number((rumUploads.requestsPerSec / cloudLoad.requestsPerSec).toFixed(3)),
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
