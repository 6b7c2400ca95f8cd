/**
 * The portal's management routes and the device-facing call-home routes, in process: fulfilment with its
 * counts, isolation between smart accounts and from VA roles, concurrent fulfilment over the API, every
 * flow once, and garbage bodies answered with catalogue 4xx codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callHomePaths,
  createLicenseTrust,
  formatRehostTicket,
  parseLicenseFile,
  parsePermissionTicket,
  type LicenseTrust,
} from '#protocol';
import { LabClock } from '#lab';
import { ManagementClient, SLA, type Reply } from '#test-support/management.ts';
import { TEST_LAB_KEY } from '#test-support/lab-key.ts';
import type { WireRequest } from '#test-support/device.ts';
import { CloudService } from '../domain/index.ts';
import { applySeed, parseSeed } from '../seed/index.ts';
import { SqliteStore } from '../store/index.ts';
import { createCloudApp, type CloudApp } from './app.ts';

const USERS = {
  admin: { account: 'example.com', role: 'Smart Account Administrator' },
  east: { account: 'example.com', role: 'Virtual Account User', virtualAccount: 'east' },
  other: { account: 'other.example', role: 'Smart Account Administrator' },
} as const;
type Who = keyof typeof USERS;
const G2 = { pid: 'CISCO2911/K9', sn: 'FTX1524ABCD' };
const g2 = (n: number) => ({ pid: 'CISCO2911/K9', sn: `FTX1524${String(n).padStart(4, '0')}` });
const login = (who: Who, password = `${who}-password`) => ({ username: `${who}@lab.example`, password });

let clock: LabClock;
let service: CloudService;
let app: CloudApp;
let api: ManagementClient;
let trust: LicenseTrust;
const tokens = {} as Record<Who, string>;

async function inProcess(req: WireRequest) {
  const [path, query = ''] = req.path.split(/\?(.*)/s);
  const res = await app.handle({
    method: req.method,
    path: path!,
    query: new URLSearchParams(query),
    headers: req.headers,
    body: req.body ?? Buffer.alloc(0),
  });
  if (typeof res === 'symbol') throw new Error('dropped');
  return res;
}

const call = (who: Who, method: string, path: string, body?: unknown) => api.call(tokens[who], method, path, body);
const post = (path: string, body: unknown) => api.raw('POST', path, JSON.stringify(body));
const linesOf = (file: string) => {
  const f = parseLicenseFile(file, trust);
  if (!f.ok) throw new Error(f.error.message);
  return f.value.lines;
};
let paks = 0;
/** A new PAK of example.com (or `account`) with these items. */
async function newPak(items: { sku: string; quantity: number }[], account = 'example.com'): Promise<string> {
  const pak = `LAB${String(++paks).padStart(8, '0')}`;
  const r = await post('/lab/paks', { account, pak, items });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return pak;
}

beforeAll(async () => {
  clock = LabClock.create({ mode: 'stepped' });
  service = await CloudService.open({
    store: SqliteStore.open({ path: ':memory:' }),
    clock,
    policy: { secretHashCost: 1024 },
  });
  await applySeed(
    service,
    parseSeed(
      JSON.stringify({
        accounts: [
          { name: 'Example Corp', domain: 'example.com', virtualAccounts: [{ name: 'east' }] },
          { name: 'Other Corp', domain: 'other.example' },
        ],
        users: Object.entries(USERS).map(([who, role]) => ({
          username: `${who}@lab.example`,
          password: `${who}-password`,
          roles: [role],
        })),
        apiClients: Object.keys(USERS).map((who) => ({
          user: `${who}@lab.example`,
          clientId: `${who}-client`,
          clientSecret: `${who}-secret`,
        })),
      }),
    ),
  );
  app = createCloudApp({
    service,
    clock,
    clockControl: clock,
    labKey: TEST_LAB_KEY,
    log: () => undefined,
    rateLimit: null,
  });
  api = new ManagementClient(inProcess, service.ca.publicKey);
  for (const who of Object.keys(USERS) as Who[])
    tokens[who] = await api.token({ client_id: `${who}-client`, client_secret: `${who}-secret` });
  const key = await api.raw('GET', callHomePaths.signingKey);
  expect(key.body).toMatchObject({ algorithm: 'Ed25519', keyId: service.licenseKey.keyId });
  trust = createLicenseTrust([key.body.publicKey]);
});
afterAll(async () => {
  clock.dispose();
  await service.store.close();
});

describe('PAK routes', () => {
  it('list, fulfil part of a PAK of 10 (2 deployed, 8 remain), and the file verifies with the served key', async () => {
    const pak = await newPak([{ sku: 'SL-29-SEC-K9', quantity: 10 }]);
    for (const udi of [g2(1), g2(2)]) {
      const r = await call('admin', 'POST', `/v1/accounts/example.com/paks/${pak}/fulfill`, {
        udi,
        skus: [{ sku: 'SL-29-SEC-K9' }],
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body).toMatchObject({
        status: 'SUCCESS',
        fileName: expect.stringMatching(/^FTX1524000[12]_\d{17}\.lic$/),
      });
      expect(linesOf(r.body.licenseFile).map((l) => [l.feature, l.udi])).toEqual([['securityk9', udi]]);
    }
    const one = await call('admin', 'GET', `/v1/accounts/example.com/paks/${pak.toLowerCase()}`);
    expect(one.body.items).toEqual([
      expect.objectContaining({ sku: 'SL-29-SEC-K9', feature: 'securityk9', quantity: 10, fulfilled: 2, remaining: 8 }),
    ]);
    const list = await call('admin', 'GET', '/v1/accounts/example.com/paks');
    expect(list.body.paks.map((p: { pak: string }) => p.pak)).toContain(pak);
    const device = await call(
      'admin',
      'GET',
      `/v1/accounts/example.com/device-licenses?pid=CISCO2911/K9&sn=FTX15240001`,
    );
    expect(device.body.licenses).toEqual([expect.objectContaining({ feature: 'securityk9', status: 'ACTIVE', pak })]);
  });

  it('another smart account: 403 on example.com paths; its own path finds no example.com PAK (404 like none)', async () => {
    const pak = await newPak([{ sku: 'SL-29-SEC-K9', quantity: 1 }]);
    const fulfil = { udi: G2, skus: [{ sku: 'SL-29-SEC-K9' }] };
    expect((await call('other', 'GET', `/v1/accounts/example.com/paks/${pak}`)).status).toBe(403);
    expect((await call('other', 'POST', `/v1/accounts/example.com/paks/${pak}/fulfill`, fulfil)).status).toBe(403);
    const theirs = await call('other', 'POST', `/v1/accounts/other.example/paks/${pak}/fulfill`, fulfil);
    const none = await call('other', 'POST', `/v1/accounts/other.example/paks/NOSUCHPAK00/fulfill`, fulfil);
    expect([theirs.status, theirs.body.error.code, none.status]).toEqual([404, 'PAK_NOT_FOUND', 404]);
    expect((await call('other', 'GET', '/v1/accounts/other.example/paks')).body.paks).toEqual([]);
    // A VA role does not reach the smart account's PAKs.
    expect((await call('east', 'GET', '/v1/accounts/example.com/paks')).status).toBe(403);
    // Nothing was used up.
    expect((await call('admin', 'GET', `/v1/accounts/example.com/paks/${pak}`)).body.items[0].remaining).toBe(1);
  });

  it('20 fulfilments at once of a PAK of 5 over the API: 5 answers 200, 15 answer 409 PAK_EXHAUSTED', async () => {
    const pak = await newPak([{ sku: 'SL-29-DATA-K9', quantity: 5 }]);
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call('admin', 'POST', `/v1/accounts/example.com/paks/${pak}/fulfill`, {
          udi: g2(100 + i),
          skus: [{ sku: 'SL-29-DATA-K9' }],
        }),
      ),
    );
    expect(replies.filter((r) => r.status === 200)).toHaveLength(5);
    expect(replies.filter((r) => r.status === 409 && r.body.error.code === 'PAK_EXHAUSTED')).toHaveLength(15);
    expect((await call('admin', 'GET', `/v1/accounts/example.com/paks/${pak}`)).body.items[0]).toMatchObject({
      fulfilled: 5,
      remaining: 0,
    });
  });

  it('convert what is left to Smart Licensing into a virtual account', async () => {
    const pak = await newPak([{ sku: 'SL-4330-SEC-K9', quantity: 3 }]);
    const r = await call('admin', 'POST', `/v1/accounts/example.com/paks/${pak}/convert`, { virtualAccount: 'east' });
    expect(r.body.converted).toEqual([expect.objectContaining({ sku: 'SL-4330-SEC-K9', quantity: 3 })]);
    const usage = await call('admin', 'POST', '/v1/accounts/example.com/licenses', { virtualAccounts: ['east'] });
    expect(usage.body.licenses).toEqual([expect.objectContaining({ license: 'ISR_4331_Security', quantity: 3 })]);
  });

  it('POST /lab/manufacturing-orders answers one license file per device', async () => {
    const r = await post('/lab/manufacturing-orders', {
      account: 'example.com',
      orderId: 'SO-1',
      devices: [g2(900), g2(901)],
      skus: ['SL-29-DATA-K9'],
    });
    expect(
      r.body.devices.map((d: { udi: unknown; licenseFile: string }) => [d.udi, linesOf(d.licenseFile)[0]!.feature]),
    ).toEqual([
      [g2(900), 'datak9'],
      [g2(901), 'datak9'],
    ]);
  });

  it('POST /lab/paks needs the lab key and a known SKU', async () => {
    const body = Buffer.from(JSON.stringify({ account: 'example.com', items: [{ sku: 'SL-29-SEC-K9', quantity: 1 }] }));
    const res = await app.handle({
      method: 'POST',
      path: '/lab/paks',
      query: new URLSearchParams(),
      headers: {},
      body,
    });
    expect(typeof res !== 'symbol' && res.status).toBe(401);
    const bad = await post('/lab/paks', { account: 'example.com', items: [{ sku: 'NOPE', quantity: 1 }] });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'SKU_UNKNOWN']);
  });
});

describe('device license routes', () => {
  it('rehost: permission ticket, the device’s rehost ticket, the target’s file; the source shows REHOSTED + grace', async () => {
    const pak = await newPak([{ sku: 'SL-29-SEC-K9', quantity: 2 }]);
    const source = g2(500);
    const target = { pid: 'CISCO2951/K9', sn: 'FHH1216P07R' };
    await call('admin', 'POST', `/v1/accounts/example.com/paks/${pak}/fulfill`, {
      udi: source,
      skus: [{ sku: 'SL-29-SEC-K9' }],
    });
    const permission = await call('admin', 'POST', '/v1/accounts/example.com/rehost/permission-tickets', {
      udi: source,
    });
    const ticket = parsePermissionTicket(permission.body.permissionTicket, trust);
    if (!ticket.ok) throw new Error(ticket.error.message);
    const rehostTicket = formatRehostTicket(ticket.value, ticket.value.revoke);
    const done = await call('admin', 'POST', '/v1/accounts/example.com/rehost/transfers', {
      rehostTicket,
      targetUdi: target,
    });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(linesOf(done.body.licenseFile).map((l) => [l.feature, l.udi])).toEqual([['securityk9', target]]);
    const again = await call('admin', 'POST', '/v1/accounts/example.com/rehost/transfers', {
      rehostTicket,
      targetUdi: target,
    });
    expect([again.status, again.body.error.code]).toEqual([409, 'PERMISSION_TICKET_USED']);
    const src = await call(
      'admin',
      'GET',
      `/v1/accounts/example.com/device-licenses?pid=${source.pid}&sn=${source.sn}`,
    );
    expect(
      src.body.licenses.map((l: { licenseType: string; status: string }) => `${l.licenseType}:${l.status}`).sort(),
    ).toEqual(['gracePeriod:ACTIVE', 'permanent:REHOSTED']);
  });

  it('RMA, resend, evaluation and extension', async () => {
    const pak = await newPak([{ sku: 'SL-29-UC-K9', quantity: 1 }]);
    const failed = g2(600);
    const replacement = g2(601);
    await call('admin', 'POST', `/v1/accounts/example.com/paks/${pak}/fulfill`, {
      udi: failed,
      skus: [{ sku: 'SL-29-UC-K9' }],
    });
    const rma = await call('admin', 'POST', '/v1/accounts/example.com/device-licenses/rma', {
      failedUdi: failed,
      replacementUdi: replacement,
      rmaNumber: '88442211',
    });
    expect(linesOf(rma.body.licenseFile).map((l) => [l.feature, l.udi])).toEqual([['uck9', replacement]]);
    const resent = await call('admin', 'POST', '/v1/accounts/example.com/device-licenses/resend', { udi: replacement });
    expect(resent.body.licenseFile.split('\n').filter((l: string) => l.startsWith('LIC '))).toEqual(
      rma.body.licenseFile.split('\n').filter((l: string) => l.startsWith('LIC ')),
    );
    const gone = await call('admin', 'POST', '/v1/accounts/example.com/device-licenses/resend', { udi: failed });
    expect([gone.status, gone.body.error.code]).toEqual([404, 'LICENSE_NOT_FOUND']);
    const evaluation = await call('admin', 'POST', '/v1/accounts/example.com/device-licenses/evaluation', {
      udi: failed,
      feature: 'datak9',
    });
    expect(linesOf(evaluation.body.licenseFile)[0]).toMatchObject({ type: 'demo', feature: 'datak9' });
    const unapproved = await call('admin', 'POST', '/v1/accounts/example.com/device-licenses/extension', {
      udi: failed,
      feature: 'datak9',
      approved: false,
    });
    expect([unapproved.status, unapproved.body.error.code]).toEqual([409, 'EXTENSION_NOT_APPROVED']);
  });
});

describe('call-home routes', () => {
  it('install from a PAK with the Cisco.com login, resend, revoke to a target; a wrong password is 401', async () => {
    const pak = await newPak([
      { sku: 'SL-29-SEC-K9', quantity: 3 },
      { sku: 'SL-29-DATA-K9', quantity: 3 },
    ]);
    const udi = g2(700);
    const installed = await post(callHomePaths.install, { udi, login: login('admin'), pak: pak.toLowerCase() });
    expect(installed.status, JSON.stringify(installed.body)).toBe(200);
    expect(installed.body.licenses.map((l: { feature: string }) => l.feature)).toEqual(['securityk9', 'datak9']);
    expect(linesOf(installed.body.licenseFile).every((l) => l.udi?.sn === udi.sn)).toBe(true);
    const resent = await post(callHomePaths.resend, { udi, login: login('admin') });
    expect([resent.status, resent.body.status, resent.body.licenses.length]).toEqual([200, 'RESENT', 2]);
    const target = g2(701);
    const revoked = await post(callHomePaths.revoke, {
      udi,
      login: login('admin'),
      targetUdi: target,
      features: ['datak9'],
    });
    expect(revoked.body.revoked).toHaveLength(1);
    expect(linesOf(revoked.body.graceLicenseFile)[0]).toMatchObject({ type: 'gracePeriod', feature: 'datak9', udi });
    expect(linesOf(revoked.body.licenseFile)[0]).toMatchObject({ type: 'permanent', feature: 'datak9', udi: target });
    const wrong = await post(callHomePaths.install, { udi, login: login('admin', 'not-it'), pak });
    expect([wrong.status, wrong.body.error.code]).toEqual([401, 'CALL_HOME_LOGIN_FAILED']);
    // Another account's user, and a VA user, find no such PAK.
    for (const who of ['other', 'east'] as const) {
      const r = await post(callHomePaths.install, { udi, login: login(who), pak });
      expect([r.status, r.body.error.code]).toEqual([404, 'PAK_NOT_FOUND']);
    }
    const exhausted = await post(callHomePaths.install, {
      udi: g2(702),
      login: login('admin'),
      pak,
      skus: [{ sku: 'SL-29-SEC-K9', quantity: 1 }],
    });
    expect(exhausted.status).toBe(200);
    const left = await call('admin', 'GET', `/v1/accounts/example.com/paks/${pak}`);
    expect(left.body.items.map((i: { remaining: number }) => i.remaining)).toEqual([1, 2]);
  });
});

describe('call-home refusals', () => {
  it('a PAK with nothing for this PID, a used-up PAK, a device without licenses, an unknown user', async () => {
    const pak = await newPak([{ sku: 'SL-29-SEC-K9', quantity: 1 }]);
    const isr4k = { pid: 'ISR4331/K9', sn: 'FDO2214ZZZZ' };
    const none = await post(callHomePaths.install, { udi: isr4k, login: login('admin'), pak });
    expect([none.status, none.body.error.code]).toEqual([400, 'SKU_NOT_FOR_PLATFORM']);
    expect((await post(callHomePaths.install, { udi: g2(800), login: login('admin'), pak })).status).toBe(200);
    const used = await post(callHomePaths.install, { udi: g2(801), login: login('admin'), pak });
    expect([used.status, used.body.error.code]).toEqual([409, 'PAK_EXHAUSTED']);
    for (const path of [callHomePaths.resend, callHomePaths.revoke]) {
      const r = await post(path, {
        udi: g2(802),
        login: login('admin'),
        ...(path === callHomePaths.revoke ? { targetUdi: g2(803) } : {}),
      });
      expect([r.status, r.body.error.code]).toEqual([404, 'LICENSE_NOT_FOUND']);
    }
    const stranger = await post(callHomePaths.resend, {
      udi: g2(800),
      login: { username: 'nobody@lab.example', password: 'x' },
    });
    expect([stranger.status, stranger.body.error.code]).toEqual([401, 'CALL_HOME_LOGIN_FAILED']);
    // Another account's user sees none of example.com's device licenses.
    const other = await post(callHomePaths.resend, { udi: g2(800), login: login('other') });
    expect([other.status, other.body.error.code]).toEqual([404, 'LICENSE_NOT_FOUND']);
  });
});

describe('garbage bodies', () => {
  const garbage = [
    '',
    'nope',
    '[]',
    'null',
    '{"udi":1}',
    '{"udi":{"pid":"","sn":"x"}}',
    '{}',
    `{"a":${'['.repeat(500)}`,
  ];

  it('every portal and call-home route answers garbage with a catalogue 4xx, never a 5xx', async () => {
    const routes = app.routes.filter(
      (r) =>
        r.method === 'POST' &&
        (r.path.includes('/paks') ||
          r.path.includes('/device-licenses') ||
          r.path.includes('/rehost') ||
          r.path.startsWith('/swift/')),
    );
    expect(routes.length).toBeGreaterThanOrEqual(13);
    const wrong: string[] = [];
    for (const r of routes)
      for (const body of garbage) {
        const path =
          r.path.startsWith('/lab/') || r.path.startsWith('/swift/')
            ? r.path
            : r.path.replace(':domain', 'example.com').replace(':pak', 'LAB00000001');
        const reply: Reply = await api.raw('POST', path, body, { authorization: `Bearer ${tokens.admin}` });
        if (reply.status < 400 || reply.status >= 500)
          wrong.push(`${r.path} ${JSON.stringify(body).slice(0, 30)}: ${reply.status}`);
      }
    expect(wrong).toEqual([]);
    expect(SLA).toBe('/services/api/smart-accounts-and-licensing');
  });

  it('schema-valid but unacceptable values: NOTLOCKED UDIs, unknown features, bad rehost tickets', async () => {
    const pak = await newPak([{ sku: 'SL-29-SEC-K9', quantity: 1 }]);
    const notLocked = await call('admin', 'POST', `/v1/accounts/example.com/paks/${pak}/fulfill`, {
      udi: { pid: 'CISCO2911/K9', sn: 'NOTLOCKED' },
      skus: [{ sku: 'SL-29-SEC-K9' }],
    });
    expect([notLocked.status, notLocked.body.error.code]).toEqual([400, 'INVALID_VALUE']);
    const feature = await call('admin', 'POST', '/v1/accounts/example.com/device-licenses/evaluation', {
      udi: G2,
      feature: 'warp-drive',
    });
    expect([feature.status, feature.body.error.code]).toEqual([400, 'INVALID_VALUE']);
    const ticket = await call('admin', 'POST', '/v1/accounts/example.com/rehost/transfers', {
      rehostTicket: 'REHOST-TICKET',
      targetUdi: G2,
    });
    expect([ticket.status, ticket.body.error.code]).toEqual([400, 'REHOST_TICKET_INVALID']);
  });
});
