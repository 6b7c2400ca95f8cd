/** The device-facing license call-home routes, in process: install from a PAK, resend, revoke, refusals. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callHomePaths } from '#protocol';
import { g2, login, openPortalApp, type PortalApp, type Who } from './portal-app.test-support.ts';

let p: PortalApp;
beforeAll(async () => {
  p = await openPortalApp();
});
afterAll(() => p.close());

const call = (who: Who, method: string, path: string, body?: unknown) => p.call(who, method, path, body);
const post = (path: string, body: unknown) => p.post(path, body);
const linesOf = (file: string) => p.linesOf(file);
const newPak = (items: { sku: string; quantity: number }[]) => p.newPak(items);

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
