/**
 * Rehost end to end against the real portal in process (issue 14, A.8): a license fulfilled for the source
 * and running there; the portal's permission ticket applied with `license revoke` (the license revoked,
 * the ticket's 60-day grace license running the feature on); the rehost ticket it wrote gives the target
 * its license, which runs there after a reload; the grace license expires after 60 days of use and the
 * source falls back at its next reload.
 */
import { readFileSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { PortalOperations } from '#cloud';
import { createLab, type LocalLab } from '#lab';
import { DAY } from '#protocol';

const seed = readFileSync(new URL('../scenarios/cloud-seed.example.yaml', import.meta.url), 'utf8');
let lab: LocalLab;
afterEach(() => lab.close());

type Device = ReturnType<LocalLab['device']>;

async function reloadOn(d: Device, level: string): Promise<void> {
  for (const line of ['configure terminal', `license boot level ${level}`, 'end', 'write memory', 'reload'])
    d.exec(line);
  await lab.clock.advance(5 * 60_000);
}

it('moves a securityk9 license from one ISR 4331 to another with a permission and a rehost ticket', async () => {
  lab = await createLab({ clock: { mode: 'stepped', start: Date.parse('2026-03-13T08:00:00Z') }, cloud: { seed } });
  const portal = lab.inProcess!.portal;
  const source = lab.device({ pid: 'ISR4331/K9', release: '16.9.6' });
  const target = lab.device({ pid: 'ISR4331/K9', release: '16.9.6' });
  await portal.addPak('example.com', { pak: '3A1B2C3D4E5', items: [{ sku: 'SL-4330-SEC-K9', quantity: 1 }] });
  const issued = await portal.fulfil('example.com', '3A1B2C3D4E5', source.udi, [
    { sku: 'SL-4330-SEC-K9', quantity: 1 },
  ]);
  source.putFile('flash:sec.lic', issued.licenseFile);
  expect(source.exec('license install flash:sec.lic')).toContain('1/1 licenses were successfully installed');
  await reloadOn(source, 'securityk9');
  const permanent = source.traditional()!.running.license!;
  expect(source.traditional()!.phase).toBe('permanent');

  const operations = new PortalOperations(lab.inProcess!.service);
  const ticket = await operations.permissionTicket('example.com', source.udi, ['securityk9']);
  source.putFile('flash:permission.lic', ticket.permissionTicket);
  // Applied on the wrong device, it revokes nothing there.
  target.putFile('flash:permission.lic', ticket.permissionTicket);
  expect(target.exec('license revoke flash:permission.lic flash:rehost.txt')).toMatch(
    /^% Permission ticket is not valid for this device \(UDI mismatch\): .*No license was revoked\.\n$/,
  );
  expect(target.fileNames()).not.toContain('rehost.txt');

  const out = source.exec('license revoke flash:permission.lic usbflash0:rehost.txt');
  expect(out).toContain(
    'Following Permanent license(s) will be revoked from this device\n       Feature Name: securityk9',
  );
  expect(out).toContain(
    'Following Grace Period license(s) will be installed on this device\n       Feature Name: securityk9',
  );
  expect(out).toMatch(/Rehost ticket saved \.\.\.\.\. to usbflash0:rehost\.txt\n$/);
  const view = source.traditional()!;
  expect(view.revoked).toEqual([
    expect.objectContaining({ key: permanent, feature: 'securityk9', permissionTicket: ticket.id }),
  ]);
  expect(view.licenses.find((l) => l.key === permanent)).toBeUndefined();
  const grace = view.licenses.find((l) => l.key === view.running.license)!;
  expect(grace).toMatchObject({ feature: 'securityk9', type: 'gracePeriod', status: 'inUse', periodMs: 60 * DAY });
  expect(view).toMatchObject({ phase: 'counting', running: { level: 'securityk9' } });
  expect(source.view().bootLevel.current).toBe('securityk9');
  const logged = source.events().map((e) => e.syslog.mnemonic);
  expect(logged).toContain('REVOKED');
  expect(source.events().find((e) => e.syslog.mnemonic === 'REVOKED')!.line).toContain(
    'Feature securityk9 1.0 was revoked from this device.',
  );
  // The same ticket twice, or the old license file again, gets nothing back.
  expect(source.exec('license revoke flash:permission.lic flash:again.txt')).toMatch(/^% License was already revoked/);
  expect(source.exec('license install flash:sec.lic')).toContain('% License was revoked on this device (rehost)');

  const rehost = source.readFile('usbflash0:rehost.txt');
  if (!rehost.ok) throw new Error(rehost.error);
  const moved = await operations.rehost('example.com', rehost.output, target.udi);
  target.putFile(`flash:${moved.fileName}`, moved.licenseFile);
  expect(target.exec(`license install flash:${moved.fileName}`)).toContain('1/1 licenses were successfully installed');
  await reloadOn(target, 'securityk9');
  expect(target.traditional()).toMatchObject({ phase: 'permanent', running: { level: 'securityk9' } });

  // 60 days of use later the grace license has expired; the level runs on until the reload, then falls back.
  await lab.clock.advance(60 * DAY);
  expect(source.traditional()!.phase).toBe('expired');
  expect(source.view().bootLevel.current).toBe('securityk9');
  source.exec('reload');
  await lab.clock.advance(5 * 60_000);
  expect(source.view().bootLevel.current).toBe('ipbasek9');
  expect(target.view().bootLevel.current).toBe('securityk9');
});
