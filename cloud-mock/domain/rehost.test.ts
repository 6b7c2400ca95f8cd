import { describe, expect, it } from 'vitest';
import {
  createLicenseTrust,
  entitlementCatalogue,
  tagShortName,
  formatRehostTicket,
  parseLicenseFile,
  parsePermissionTicket,
  udiString,
  DAY,
  type LicenseTrust,
  type Udi,
} from '#protocol';
import type { CloudService } from './cloud-service.ts';
import type { SmartAccount, Tx, VirtualAccount } from '../store/index.ts';
import type { DomainContext } from './context.ts';
import { storeKinds } from '#test-support/test-stores.ts';
import { eachTestCloud, expectDomainError, newToken, registerDevice, setupAccount } from './test-cloud.test-support.ts';
import { createPak, fulfilPak, remaining, requirePak } from './paks.ts';
import { convertDeviceLicenses, convertInstanceLicenses, convertPak } from './pak-conversion.ts';
import { issueEvaluation, issueExtension, resendLicenses } from './portal-licenses.ts';
import { completeRehost, createPermissionTicket, rehostOnline, replaceForRma } from './rehost.ts';

const SOURCE: Udi = { pid: 'CISCO2911/K9', sn: 'FTX1524AAAA' };
const TARGET: Udi = { pid: 'CISCO2921/K9', sn: 'FTX1524BBBB' };
const ISR4K: Udi = { pid: 'ISR4331/K9', sn: 'FDO2214AAAA' };
const tagNamed = (short: string) => entitlementCatalogue.find((e) => tagShortName(e.tag) === short)!.tag;

describe.each(storeKinds)('rehost, RMA, resend, temporary licenses and conversion on %s', (kind) => {
  let cloud: CloudService;
  let account: SmartAccount;
  let va: VirtualAccount;
  let other: SmartAccount;
  let trust: LicenseTrust;
  eachTestCloud(kind, async (t) => {
    cloud = t.cloud;
    trust = createLicenseTrust([cloud.licenseKey.publicKeyPem]);
    ({ account, va } = await setupAccount(cloud));
    ({ account: other } = await setupAccount(cloud, 'other.example', 'Other Corp'));
  });

  const run = <T>(work: (tx: Tx, ctx: DomainContext) => Promise<T>) => cloud.run('test', work);
  /** The source holds securityk9 and datak9 from a PAK; returns the PAK key. */
  async function licensed(udi = SOURCE, skus = ['SL-29-SEC-K9', 'SL-29-DATA-K9']): Promise<string> {
    return run(async (tx, ctx) => {
      const p = await createPak(tx, ctx, account, { items: skus.map((sku) => ({ sku, quantity: 5 })) });
      await fulfilPak(
        tx,
        ctx,
        account,
        p.id,
        udi,
        skus.map((sku) => ({ sku })),
      );
      return p.id;
    });
  }
  const lines = (text: string) => {
    const f = parseLicenseFile(text, trust);
    if (!f.ok) throw new Error(f.error.message);
    return f.value.lines;
  };
  const statuses = async (udi: Udi) =>
    (await run((tx) => tx.list('portalLicenses', { udi: udiString(udi) })))
      .map((l) => `${l.feature}:${l.type}:${l.status}`)
      .sort();

  it('rehost: permission ticket (grace lines) ⇒ the device revokes ⇒ rehost ticket ⇒ licenses for the target', async () => {
    await licensed();
    const issued = await run((tx, ctx) => createPermissionTicket(tx, ctx, account, SOURCE));
    const ticket = parsePermissionTicket(issued.permissionTicket, trust);
    if (!ticket.ok) throw new Error(ticket.error.message);
    expect(ticket.value.revoke).toEqual(issued.revoke.map((l) => l.id));
    expect(ticket.value.graceLines.map((l) => [l.feature, l.type, l.periodSeconds, l.udi])).toEqual([
      ['datak9', 'gracePeriod', 60 * 86400, SOURCE],
      ['securityk9', 'gracePeriod', 60 * 86400, SOURCE],
    ]);
    // Nothing moves until the rehost ticket comes back.
    expect(await statuses(SOURCE)).toEqual(['datak9:permanent:ACTIVE', 'securityk9:permanent:ACTIVE']);
    const rehostTicket = formatRehostTicket(ticket.value, ticket.value.revoke);
    const done = await run((tx, ctx) => completeRehost(tx, ctx, account, rehostTicket, TARGET));
    expect(lines(done.licenseFile).map((l) => [l.feature, l.type, l.udi])).toEqual([
      ['datak9', 'permanent', TARGET],
      ['securityk9', 'permanent', TARGET],
    ]);
    expect(await statuses(SOURCE)).toEqual([
      'datak9:gracePeriod:ACTIVE',
      'datak9:permanent:REHOSTED',
      'securityk9:gracePeriod:ACTIVE',
      'securityk9:permanent:REHOSTED',
    ]);
    // The grace lines recorded are the ones the ticket carried.
    expect(done.grace.map((g) => g.line)).toEqual(ticket.value.graceLines.map((l) => l.text));
    await expectDomainError(
      run((tx, ctx) => completeRehost(tx, ctx, account, rehostTicket, TARGET)),
      'PERMISSION_TICKET_USED',
    );
    const kinds = (await run((tx) => tx.events({ accountId: account.id, limit: 100 }))).map((e) => e.kind);
    expect(kinds).toContain('rehost.permission-issued');
    expect(kinds).toContain('rehost.completed');
  });

  it('rehost refusals: forged proof, other licenses, foreign account, same or unfit target, garbage', async () => {
    await licensed();
    const issued = await run((tx, ctx) => createPermissionTicket(tx, ctx, account, SOURCE, ['securityk9']));
    const ticket = parsePermissionTicket(issued.permissionTicket, trust);
    if (!ticket.ok) throw new Error(ticket.error.message);
    const complete = (text: string, target = TARGET, as = account) =>
      run((tx, ctx) => completeRehost(tx, ctx, as, text, target));
    const forged = formatRehostTicket({ ...ticket.value, secret: 'A'.repeat(43) }, ticket.value.revoke);
    await expectDomainError(complete(forged), 'REHOST_TICKET_INVALID', 'was not made with permission ticket');
    const partial = formatRehostTicket(ticket.value, ['0000000000000000']);
    await expectDomainError(complete(partial), 'REHOST_TICKET_INVALID', 'asked for');
    const good = formatRehostTicket(ticket.value, ticket.value.revoke);
    await expectDomainError(complete(good, TARGET, other), 'PERMISSION_TICKET_NOT_FOUND');
    await expectDomainError(complete(good, SOURCE), 'INVALID_VALUE', 'source and target');
    await expectDomainError(complete(good, ISR4K), 'SKU_NOT_FOR_PLATFORM', 'cannot move to a ISR4331/K9');
    await expectDomainError(complete('REHOST-TICKET v=1'), 'REHOST_TICKET_INVALID');
    await expectDomainError(complete('x'.repeat(20_000)), 'REHOST_TICKET_INVALID');
    // Still usable after all that.
    expect((await complete(good)).licenses.map((l) => l.feature)).toEqual(['securityk9']);
    await expectDomainError(
      run((tx, ctx) => createPermissionTicket(tx, ctx, account, SOURCE, ['uck9'])),
      'LICENSE_NOT_FOUND',
      'datak9',
    );
    await expectDomainError(
      run((tx, ctx) => createPermissionTicket(tx, ctx, other, SOURCE)),
      'LICENSE_NOT_FOUND',
    );
  });

  it('call-home revoke: one request revokes, gives the source grace lines and the target its license file', async () => {
    await licensed();
    const r = await run((tx, ctx) => rehostOnline(tx, ctx, account, SOURCE, TARGET, ['datak9']));
    expect(lines(r.target.licenseFile).map((l) => [l.feature, l.udi])).toEqual([['datak9', TARGET]]);
    expect(lines(r.grace.licenseFile).map((l) => [l.feature, l.type, l.udi])).toEqual([
      ['datak9', 'gracePeriod', SOURCE],
    ]);
    expect(await statuses(SOURCE)).toEqual([
      'datak9:gracePeriod:ACTIVE',
      'datak9:permanent:REHOSTED',
      'securityk9:permanent:ACTIVE',
    ]);
  });

  it('RMA: the failed UDI’s licenses reissued for the replacement, the old ones marked; temporary ones stay', async () => {
    await licensed();
    await run((tx, ctx) => issueEvaluation(tx, ctx, account, SOURCE, 'uck9'));
    const replacement = { pid: 'CISCO2911/K9', sn: 'FTX1524CCCC' };
    const r = await run((tx, ctx) =>
      replaceForRma(tx, ctx, account, { failed: SOURCE, replacement, rmaNumber: '88442211' }),
    );
    expect(lines(r.licenseFile).map((l) => [l.feature, l.type, l.udi])).toEqual([
      ['datak9', 'permanent', replacement],
      ['securityk9', 'permanent', replacement],
    ]);
    expect(await statuses(SOURCE)).toEqual([
      'datak9:permanent:RMA_REPLACED',
      'securityk9:permanent:RMA_REPLACED',
      'uck9:demo:ACTIVE',
    ]);
    const old = await run((tx) => tx.list('portalLicenses', { udi: udiString(SOURCE) }));
    expect(old.filter((l) => l.status === 'RMA_REPLACED').every((l) => l.movedTo === udiString(replacement))).toBe(
      true,
    );
    await expectDomainError(
      run((tx, ctx) => replaceForRma(tx, ctx, account, { failed: SOURCE, replacement })),
      'LICENSE_NOT_FOUND',
    );
    await expectDomainError(
      run((tx, ctx) => replaceForRma(tx, ctx, other, { failed: replacement, replacement: SOURCE })),
      'LICENSE_NOT_FOUND',
    );
  });

  it('resend: every active license of the UDI, byte for byte as issued; nothing for another account', async () => {
    await licensed();
    const first = await run((tx) => tx.list('portalLicenses', { udi: udiString(SOURCE) }));
    const r = await run((tx, ctx) => resendLicenses(tx, ctx, account, SOURCE));
    expect(
      lines(r.licenseFile)
        .map((l) => l.text)
        .sort(),
    ).toEqual(first.map((l) => l.line).sort());
    await expectDomainError(
      run((tx, ctx) => resendLicenses(tx, ctx, other, SOURCE)),
      'LICENSE_NOT_FOUND',
    );
    await expectDomainError(
      run((tx, ctx) => resendLicenses(tx, ctx, account, TARGET)),
      'LICENSE_NOT_FOUND',
    );
  });

  it('evaluation: 60 days metered, once per UDI and feature, only features of the platform', async () => {
    const r = await run((tx, ctx) => issueEvaluation(tx, ctx, account, SOURCE, 'securityk9'));
    expect(lines(r.licenseFile)[0]).toMatchObject({
      type: 'demo',
      periodSeconds: 60 * 86400,
      udi: SOURCE,
      priority: 'low',
    });
    await expectDomainError(
      run((tx, ctx) => issueEvaluation(tx, ctx, account, SOURCE, 'securityk9')),
      'EVALUATION_ALREADY_ISSUED',
    );
    await expectDomainError(
      run((tx, ctx) => issueEvaluation(tx, ctx, account, { pid: 'CISCO1941/K9', sn: 'FTX1' }, 'uck9')),
      'INVALID_VALUE',
      'features: securityk9, datak9',
    );
  });

  it('extension: refused without approval, then 1–60 days', async () => {
    const ask = (approved: boolean, days?: number) =>
      run((tx, ctx) =>
        issueExtension(tx, ctx, account, { udi: SOURCE, feature: 'datak9', approved, ...(days ? { days } : {}) }),
      );
    await expectDomainError(ask(false), 'EXTENSION_NOT_APPROVED');
    await expectDomainError(ask(true, 61), 'INVALID_VALUE', '1 to 60');
    expect(lines((await ask(true, 30)).licenseFile)[0]).toMatchObject({ type: 'extension', periodSeconds: 30 * 86400 });
  });

  it('PAK → Smart: unfulfilled units deposited as PERPETUAL in the VA pool; a device’s licenses too; ISR G2 SKUs refused', async () => {
    const pakId = await licensed(ISR4K, ['SL-4330-APP-K9', 'SL-4330-SEC-K9']);
    const converted = await run((tx, ctx) => convertPak(tx, ctx, account, va, pakId, ['SL-4330-APP-K9']));
    expect(converted).toEqual([
      { sku: 'SL-4330-APP-K9', tag: expect.stringContaining('ISR_4331_Application'), quantity: 4 },
    ]);
    const pak = await run((tx) => requirePak(tx, account, pakId));
    expect(pak.items.map((i) => [i.sku, i.fulfilled, i.converted, remaining(i)])).toEqual([
      ['SL-4330-APP-K9', 1, 4, 0],
      ['SL-4330-SEC-K9', 1, 0, 4],
    ]);
    await expectDomainError(
      run((tx, ctx) => convertPak(tx, ctx, account, va, pakId, ['SL-4330-APP-K9'])),
      'PAK_EXHAUSTED',
    );
    await run((tx, ctx) => convertDeviceLicenses(tx, ctx, account, va, ISR4K));
    expect(await statuses(ISR4K)).toEqual(['appxk9:permanent:CONVERTED', 'securityk9:permanent:CONVERTED']);
    const pools = await run((tx) => tx.list('licensePools', { va_id: va.id }));
    expect(
      Object.fromEntries(pools.map((p) => [p.licenseName, p.entries.reduce((n, e) => n + e.quantity, 0)])),
    ).toEqual({ ISR_4331_Application: 5, ISR_4331_Security: 1 });
    const g2 = await licensed();
    await expectDomainError(
      run((tx, ctx) => convertPak(tx, ctx, account, va, g2)),
      'INVALID_VALUE',
      'no Smart Licensing equivalent',
    );
    const otherVa = await run((tx) => tx.findOne('virtualAccounts', { account_id: other.id }));
    await expectDomainError(
      run((tx, ctx) => convertPak(tx, ctx, account, otherVa!, pakId)),
      'CROSS_ACCOUNT_TRANSFER',
    );
    expect(DAY).toBe(86_400_000);
  });

  it('device-led conversion: PAK lines the portal issued and RTU activations go into the VA once per UDI; all or nothing', async () => {
    await licensed(ISR4K, ['SL-4330-SEC-K9']);
    const token = await newToken(cloud, account, va);
    const device = await registerDevice(cloud, token.id, ISR4K);
    const instance = async (tx: Tx) => (await tx.findOne('productInstances', { udi: udiString(ISR4K) }))!;
    const pools = async () =>
      Object.fromEntries(
        (await run((tx) => tx.list('licensePools', { va_id: va.id }))).map((p) => [
          p.licenseName,
          p.entries.reduce((n, e) => n + e.quantity, 0),
        ]),
      );
    const security = tagNamed('ISR_4331_Security');
    expect(await pools()).toEqual({});
    // A PAK line the portal never issued to this UDI: refused, nothing deposited, the issued line still ACTIVE.
    await expectDomainError(
      run(async (tx, ctx) =>
        convertInstanceLicenses(tx, ctx, await instance(tx), [
          { feature: 'securityk9', tag: security, source: 'PAK' },
          { feature: 'appxk9', tag: security, source: 'PAK' },
        ]),
      ),
      'LICENSE_NOT_FOUND',
      'appxk9',
    );
    expect(await pools()).toEqual({});
    expect(await statuses(ISR4K)).toEqual(['securityk9:permanent:ACTIVE']);
    const answer = await run(async (tx, ctx) =>
      convertInstanceLicenses(tx, ctx, await instance(tx), [{ feature: 'securityk9', tag: security, source: 'PAK' }]),
    );
    expect(answer).toMatchObject({
      status: 'CONVERTED',
      converted: [{ feature: 'securityk9', tag: expect.stringContaining('ISR_4331_Security'), quantity: 1 }],
    });
    expect(await statuses(ISR4K)).toEqual(['securityk9:permanent:CONVERTED']);
    expect(await pools()).toEqual({ ISR_4331_Security: 1 });
    // Once per UDI, whatever product instance it has now.
    await registerDevice(cloud, token.id, ISR4K, { force: true, key: device });
    await expectDomainError(
      run(async (tx, ctx) =>
        convertInstanceLicenses(tx, ctx, await instance(tx), [{ feature: 'securityk9', tag: security, source: 'RTU' }]),
      ),
      'ALREADY_CONVERTED',
    );
    expect(await pools()).toEqual({ ISR_4331_Security: 1 });
    const events = await run((tx) => tx.events({ accountId: account.id, limit: 1000 }));
    expect(events.filter((e) => e.kind === 'licenses.converted')).toHaveLength(1);
  });

  it("device-led conversion of Right-to-Use activations: the device's tag, which must be in the catalogue", async () => {
    const SWITCH: Udi = { pid: 'WS-C3850-24P', sn: 'FCW1932D0LB' };
    const token = await newToken(cloud, account, va);
    await registerDevice(cloud, token.id, SWITCH);
    const pi = async (tx: Tx) => (await tx.findOne('productInstances', { udi: udiString(SWITCH) }))!;
    await expectDomainError(
      run(async (tx, ctx) =>
        convertInstanceLicenses(tx, ctx, await pi(tx), [{ feature: 'ipservicesk9', tag: 'regid.nope', source: 'RTU' }]),
      ),
      'ENTITLEMENT_UNKNOWN',
    );
    const tag = tagNamed('cat3k_ipservices');
    const answer = await run(async (tx, ctx) =>
      convertInstanceLicenses(tx, ctx, await pi(tx), [{ feature: 'ipservicesk9', tag, source: 'RTU' }]),
    );
    expect(answer.converted).toEqual([{ feature: 'ipservicesk9', tag, quantity: 1 }]);
  });
});
