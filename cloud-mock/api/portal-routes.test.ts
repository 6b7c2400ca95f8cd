/**
 * The portal's management routes, in process: fulfilment with its counts, isolation between smart accounts
 * and from VA roles, concurrent fulfilment over the API, every device-license flow once, lab routes, and
 * garbage bodies answered with catalogue 4xx codes on every portal and call-home route.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatRehostTicket, parsePermissionTicket } from '#protocol';
import type { Reply } from '#test-support/management.ts';
import { G2, g2, openPortalApp, type PortalApp, type Who } from './portal-app.test-support.ts';

let p: PortalApp;
beforeAll(async () => {
  p = await openPortalApp();
});
afterAll(() => p.close());

const call = (who: Who, method: string, path: string, body?: unknown) => p.call(who, method, path, body);
const post = (path: string, body: unknown) => p.post(path, body);
const linesOf = (file: string) => p.linesOf(file);
const newPak = (items: { sku: string; quantity: number }[], account?: string) => p.newPak(items, account);

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
    const res = await p.app.handle({
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
    const ticket = parsePermissionTicket(permission.body.permissionTicket, p.trust);
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
    const routes = p.app.routes.filter(
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
        const reply: Reply = await p.api.raw('POST', path, body, { authorization: `Bearer ${p.tokens.admin}` });
        if (reply.status < 400 || reply.status >= 500)
          wrong.push(`${r.path} ${JSON.stringify(body).slice(0, 30)}: ${reply.status}`);
      }
    expect(wrong).toEqual([]);
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
