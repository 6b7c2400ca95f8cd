import { describe, expect, it } from 'vitest';
import { createLicenseTrust, formatRehostTicket, parseLicenseFile, parsePermissionTicket } from '#protocol';
import { eachTestCloud, setupAccount, type TestCloud } from './test-cloud.test-support.ts';
import { PortalOperations } from './portal-operations.ts';

// Seed 000's RMA story, as a scenario drives it through the lab: the switch died, the replacement gets its licenses.
describe('PortalOperations', () => {
  let t: TestCloud;
  eachTestCloud('sqlite', async (opened) => {
    t = opened;
    await setupAccount(t.cloud);
  });

  it('adds a PAK, fulfils it, replaces the failed device after an RMA and rehosts by tickets', async () => {
    const portal = new PortalOperations(t.cloud);
    const trust = createLicenseTrust([portal.signingKeyPem]);
    const failed = { pid: 'WS-C3750E-24TD-S', sn: 'FDO1307R0W9' };
    const replacement = { pid: 'WS-C3750E-24TD-S', sn: 'FDO1307R0XA' };
    const pak = await portal.addPak('example.com', { items: [{ sku: 'C3750E-LIC-I', quantity: 2 }] });
    await portal.fulfil('example.com', pak.id, failed, [{ sku: 'C3750E-LIC-I' }]);
    expect((await portal.pak('example.com', pak.id)).items[0]).toMatchObject({ fulfilled: 1 });
    const rma = await portal.rma('example.com', { failed, replacement, rmaNumber: '84512345' });
    const file = parseLicenseFile(rma.licenseFile, trust);
    expect(file.ok && file.value.lines.map((l) => [l.feature, l.udi])).toEqual([['ipservices', replacement]]);
    expect((await portal.licenses('example.com', failed)).map((l) => l.status)).toEqual(['RMA_REPLACED']);
    const permission = await portal.permissionTicket('example.com', replacement);
    const ticket = parsePermissionTicket(permission.permissionTicket, trust);
    if (!ticket.ok) throw new Error(ticket.error.message);
    const target = { pid: 'WS-C3750E-48PD-E', sn: 'FDO1307R0YB' };
    const moved = await portal.rehost('example.com', formatRehostTicket(ticket.value, ticket.value.revoke), target);
    expect(moved.licenses.map((l) => [l.feature, l.udiKey])).toEqual([
      ['ipservices', 'PID:WS-C3750E-48PD-E,SN:FDO1307R0YB'],
    ]);
    expect((await portal.resend('example.com', target)).licenses).toHaveLength(1);
  });
});
