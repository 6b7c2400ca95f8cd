/**
 * What a hostile or careless caller tried against `lab cloud` (issue "Hardening"), kept fixed: lab control
 * without the lab key, garbage bodies on every route, and device requests replayed byte for byte. Each
 * refusal must leave the store as it was.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  applySeed,
  CloudOperations,
  CloudService,
  createCloudApp,
  parseSeed,
  serve,
  type CloudApp,
  type RunningServer,
} from '#cloud';
import { LabClock } from '#lab';
import { DAY, MINUTE } from '#protocol';
import { EXAMPLE_SEED } from './support/cloud-process.ts';
import { assertSigned, fetchCaKey, send, TestDevice, type Target, type WireRequest } from './support/device.ts';
import { catalogueError } from './support/fuzz-lab.ts';
import { httpSend } from './support/http-client.ts';
import { labKeyHeader, TEST_LAB_KEY } from './support/lab-key.ts';
import { ADMIN, ManagementClient, SLA } from './support/management.ts';
import { openTestStore, type TestStore } from './support/test-stores.ts';

const DEFAULT_TOKEN = 'LAB-EXAMPLE-DEFAULT-TOKEN%0AexportAllowed%3D';
const EAST_TOKEN = 'LAB-EXAMPLE-EAST-TOKEN%0AnotExport%3D';
const NW_E = 'regid.2017-05.com.cisco.essentialsk9-Nyquist-C9300,1.0_6c1c7e4f-3a1e-4b2a-8c5e-1f0a2b3c4d02';
const TABLES = [
  'smartAccounts',
  'virtualAccounts',
  'registrationTokens',
  'licensePools',
  'productInstances',
  'users',
  'apiClients',
  'accessTokens',
] as const;

let db: TestStore;
let clock: LabClock;
let service: CloudService;
let app: CloudApp;
let server: RunningServer;
let api: ManagementClient;
let admin: string;
const logged: string[] = [];

beforeAll(async () => {
  db = await openTestStore('sqlite');
  clock = LabClock.create({ mode: 'stepped', start: Date.parse('2026-03-13T08:09:24Z') });
  service = await CloudService.open({ store: db.store, clock, policy: { secretHashCost: 1024 } });
  await applySeed(service, parseSeed(readFileSync(EXAMPLE_SEED, 'utf8')));
  app = createCloudApp({
    service,
    clock,
    clockControl: clock,
    labKey: TEST_LAB_KEY,
    log: (l) => logged.push(l),
    rateLimit: null,
  });
  server = await serve(app);
  api = new ManagementClient(server.url, service.ca.publicKey);
  admin = await api.token(ADMIN);
});
afterAll(async () => {
  await server?.close();
  clock?.dispose();
  await db?.cleanup();
  expect(logged.filter((l) => l.includes('internal error'))).toEqual([]);
});
beforeEach(() => app.context.faults.clear());

/** Everything the cloud keeps, but the lab-key refusals it logs: equal before and after means nothing changed. */
async function snapshot(): Promise<unknown> {
  return service.run('test', async (tx) => ({
    ...Object.fromEntries(await Promise.all(TABLES.map(async (t) => [t, await tx.list(t)]))),
    events: (await tx.events({ limit: 1_000_000 })).filter((e) => e.kind !== 'lab.key.refused'),
    faults: app.context.faults.list(),
    now: clock.now(),
  }));
}

const refusals = async () =>
  (await service.run('test', (tx) => tx.events({ limit: 1_000_000 }))).filter((e) => e.kind === 'lab.key.refused');

const request = (method: string, path: string, body?: string, headers: Record<string, string> = {}): WireRequest => ({
  method,
  path,
  headers: { 'content-type': 'application/json', ...headers },
  ...(body !== undefined ? { body: Buffer.from(body) } : {}),
});

const labRoutes = () => app.routes.filter((r) => r.path.startsWith('/lab/'));
const concrete = (path: string) => path.replace(':id', 'no-such-rule');
/** A body each route would take, so a refusal is about the key, not the body. */
const validBodies: Record<string, string> = {
  'POST /lab/reset': '{"confirm": true}',
  'POST /lab/seed': '{"accounts": [{"name": "Intruder", "domain": "intruder.example"}]}',
  'POST /lab/clock': '{"advanceMs": 86400000}',
  'POST /lab/faults': '{"path": "/licservice/license/*", "status": 503}',
  'POST /lab/users':
    '{"username": "mallory@example.com", "password": "pw", "roles": [{"account": "example.com", "role": "Smart Account Administrator"}]}',
  'POST /lab/api-clients': '{"user": "admin@example.com", "clientId": "mallory"}',
};

describe('lab control needs the lab key', () => {
  it('every /lab/ route but health and the CA answers 401 without the key or with a wrong one, logs it, and changes nothing', async () => {
    const before = await snapshot();
    const refusedBefore = (await refusals()).length;
    const caKey = await fetchCaKey(server.url);
    const open: string[] = [];
    let sent = 0;
    for (const route of labRoutes()) {
      const body = validBodies[`${route.method} ${route.path}`];
      for (const [what, headers] of [
        ['no key', {}],
        ['a wrong X-Lab-Key', { 'x-lab-key': `${TEST_LAB_KEY.value}x` }],
        ['a wrong bearer', { authorization: 'Bearer not-the-lab-key' }],
        ['an empty X-Lab-Key', { 'x-lab-key': '' }],
      ] as const) {
        const res = await send(server.url, request(route.method, concrete(route.path), body, headers));
        const answer = JSON.parse(res.body.toString()) as { error?: { code: string; message: string } };
        if (route.keyless) {
          if (res.status !== 200) open.push(`${route.method} ${route.path} with ${what}: ${res.status}`);
          continue;
        }
        sent += 1;
        const code = what === 'no key' ? 'LAB_KEY_MISSING' : 'LAB_KEY_INVALID';
        expect(res.status, `${route.method} ${route.path} with ${what}`).toBe(401);
        expect(answer.error?.code, `${route.method} ${route.path} with ${what}`).toBe(code);
        expect(answer.error?.message).toContain(TEST_LAB_KEY.where);
        expect(res.headers['www-authenticate']).toMatch(/^Bearer realm=/);
        expect(JSON.stringify(answer)).not.toContain(TEST_LAB_KEY.value);
        expect(caKey.equals(await fetchCaKey(server.url))).toBe(true);
      }
    }
    expect(open).toEqual([]);
    expect(
      labRoutes()
        .filter((r) => r.keyless)
        .map((r) => `${r.method} ${r.path}`),
    ).toEqual(['GET /lab/health', 'GET /lab/ca']);
    expect(sent).toBeGreaterThanOrEqual(4 * 12);
    expect(await snapshot()).toEqual(before);
    const logged = (await refusals()).slice(refusedBefore);
    expect(logged).toHaveLength(sent);
    expect(logged[0]).toMatchObject({ accountId: null, actor: 'unauthenticated', data: { code: 'LAB_KEY_MISSING' } });
    expect(logged.some((e) => e.message.startsWith('Refused POST /lab/reset'))).toBe(true);
  });

  it('the key works in X-Lab-Key and as Authorization: Bearer; the management API does not take it', async () => {
    expect((await send(server.url, request('GET', '/lab/users', undefined, labKeyHeader))).status).toBe(200);
    const bearer = { authorization: `Bearer ${TEST_LAB_KEY.value}` };
    expect((await send(server.url, request('GET', '/lab/faults', undefined, bearer))).status).toBe(200);
    const viaManagement = await api.raw('GET', `${SLA}/v2/accounts`, undefined, bearer);
    expect(viaManagement.body.error.code).toBe('ACCESS_TOKEN_INVALID');
  });
});

describe('garbage bodies', () => {
  /** The findings: each of these reset the lab with a 200. */
  const garbage = {
    'truncated JSON': '{"x":',
    'an array': '[]',
    'the wrong shape': '{"wrong": 1}',
    'random base64': randomBytes(1536).toString('base64'),
    'a JSON string': '"confirm"',
    'confirm false': '{"confirm": false}',
    'confirm as text': '{"confirm": "true"}',
    'an extra field': '{"confirm": true, "also": 1}',
  };

  it.each(Object.entries(garbage))('POST /lab/reset with %s is a 400 and deletes nothing', async (_what, body) => {
    const before = await snapshot();
    const res = await api.raw('POST', '/lab/reset', body, labKeyHeader);
    expect(res.status).toBe(400);
    expect(['MALFORMED_JSON', 'SCHEMA_VIOLATION']).toContain(res.body.error.code);
    expect(await snapshot()).toEqual(before);
  });

  it('on every route (with the lab key and an admin bearer token), each is a 4xx in the route envelope and changes nothing', async () => {
    const before = await snapshot();
    const accepted: string[] = [];
    let cases = 0;
    for (const route of app.routes) {
      const path = concrete(route.path)
        .replace(':domain', 'example.com')
        .replace(':accountType', 'customer')
        .replace(':va', 'DEFAULT');
      for (const [what, body] of Object.entries(garbage)) {
        // `{"confirm": true, …}` and `{"wrong": 1}` are garbage for reset; other routes would read their own.
        if (what.startsWith('confirm') || what === 'an extra field') continue;
        cases += 1;
        // node:http, so GET and DELETE carry their body too (fetch drops a GET body).
        const res = await httpSend(
          server.url,
          request(route.method, path, body, { ...labKeyHeader, authorization: `Bearer ${admin}` }),
        );
        assertSigned(res, service.ca.publicKey);
        const error = catalogueError(JSON.parse(res.body.toString())) as { code?: string } | undefined;
        if (res.status < 400 || res.status >= 500 || typeof error?.code !== 'string')
          accepted.push(
            `${route.method} ${route.path} with ${what}: ${res.status} ${res.body.toString().slice(0, 80)}`,
          );
      }
    }
    expect(accepted).toEqual([]);
    expect(cases).toBeGreaterThan(150);
    expect(await snapshot()).toEqual(before);
  });

  it('a route without a body schema takes no body, an empty one, or {} (what API clients send on a bodiless POST)', async () => {
    await send(server.url, request('POST', '/lab/faults', validBodies['POST /lab/faults'], labKeyHeader));
    const garbageDelete = await api.raw('DELETE', '/lab/faults', '{"x":', labKeyHeader);
    expect(garbageDelete.body.error.code).toBe('SCHEMA_VIOLATION');
    expect(app.context.faults.list()).toHaveLength(1);
    for (const body of [undefined, '', ' \n', '{}', '{ }'])
      expect((await api.raw('GET', '/lab/faults', body, labKeyHeader)).status, JSON.stringify(body)).toBe(200);
    expect((await api.raw('DELETE', '/lab/faults', '{}', labKeyHeader)).body.faults).toEqual([]);
  });
});

describe('replayed device requests', () => {
  /** Sends through the real HTTP server and keeps every request, so one can be sent again byte for byte. */
  function recorder(): { target: Target; last(path: string): WireRequest } {
    const sent: WireRequest[] = [];
    return {
      target: (req) => (sent.push(req), send(server.url, req)),
      last: (path) => sent.findLast((r) => r.path === path)!,
    };
  }
  const replay = async (req: WireRequest) => {
    const res = await send(server.url, req);
    return {
      status: res.status,
      body: JSON.parse(res.body.toString()) as { error: { code: string; message: string } },
    };
  };

  it('every operation sent again byte for byte is refused and changes nothing: a replay (409) while its certificate stands, else 401', async () => {
    const wire = recorder();
    const device = new TestDevice({ now: () => clock.now() });
    const steps: [string, () => Promise<{ status: number }>, string][] = [
      ['registration', () => device.register(wire.target, DEFAULT_TOKEN), 'REQUEST_REPLAYED'],
      ['authorization', () => device.authorize(wire.target, [{ tag: NW_E, count: 1 }]), 'REQUEST_REPLAYED'],
      ['usage', () => device.reportUsage(wire.target, [{ tag: NW_E, count: 2 }]), 'REQUEST_REPLAYED'],
      // The replay names the certificate the renewal replaced, or the instance the deregistration removed.
      ['id-renewal', () => device.renewId(wire.target), 'CERTIFICATE_UNKNOWN'],
      ['deregistration', () => device.deregister(wire.target), 'CERTIFICATE_UNKNOWN'],
    ];
    for (const [op, step, code] of steps) {
      const path = `/licservice/license/${op}`;
      expect((await step()).status, path).toBe(200);
      await clock.advance(MINUTE);
      const before = await snapshot();
      const again = await replay(wire.last(path));
      expect(again.body.error.code, path).toBe(code);
      expect(again.status, path).toBe(code === 'REQUEST_REPLAYED' ? 409 : 401);
      if (code === 'REQUEST_REPLAYED') expect(again.body.error.message).toContain(device.udi.sn);
      expect(await snapshot(), path).toEqual(before);
    }
    // After the deregistration, the captured registration cannot bring the instance back.
    const before = await snapshot();
    expect((await replay(wire.last('/licservice/license/registration'))).body.error.code).toBe('REQUEST_REPLAYED');
    expect(await snapshot()).toEqual(before);
    expect(await new CloudOperations(service).instance(device.udi)).toBeUndefined();
  });

  it('a registration refused at first cannot be replayed into success later', async () => {
    const ops = new CloudOperations(service);
    const wire = recorder();
    const device = new TestDevice({ now: () => clock.now() });
    expect((await device.register(wire.target, EAST_TOKEN)).status).toBe(200);
    // Asked to move to DEFAULT without force: refused, the UDI being registered in east.
    const refused = await device.register(wire.target, DEFAULT_TOKEN);
    expect(refused.json).toMatchObject({ error: { code: 'UDI_REGISTERED_ELSEWHERE' } });
    const captured = wire.last('/licservice/license/registration');
    await ops.removeInstance(device.udi);
    const before = await snapshot();
    expect((await replay(captured)).body.error.code).toBe('REQUEST_REPLAYED');
    expect(await snapshot()).toEqual(before);
  });

  it('past the 24-hour window a captured request is CLOCK_SKEW, and still changes nothing', async () => {
    const wire = recorder();
    const device = new TestDevice({ now: () => clock.now() });
    expect((await device.register(wire.target, DEFAULT_TOKEN)).status).toBe(200);
    expect((await device.authorize(wire.target, [{ tag: NW_E, count: 1 }])).status).toBe(200);
    await clock.advance(DAY + MINUTE);
    const before = await snapshot();
    expect((await replay(wire.last('/licservice/license/authorization'))).body.error.code).toBe('CLOCK_SKEW');
    expect((await replay(wire.last('/licservice/license/registration'))).body.error.code).toBe('CLOCK_SKEW');
    expect(await snapshot()).toEqual(before);
  });
});
