/**
 * Traditional licensing end to end against the real portal in process (issue 14): a PAK fulfilled for a
 * device's UDI gives a license file the device installs (the lab passes the portal's license key to the
 * devices), the level it licenses runs after a reload; the same file is refused by a device it is not for,
 * and the portal's evaluation license counts down on the device like the built-in one.
 */
import { readFileSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { PortalOperations } from '#cloud';
import { createLab, type LocalLab } from '#lab';
import { DAY } from '#protocol';

const seed = readFileSync(new URL('../scenarios/cloud-seed.example.yaml', import.meta.url), 'utf8');
let lab: LocalLab;
afterEach(() => lab.close());

it('installs a portal-fulfilled license file, runs its level after reload, refuses it on another UDI', async () => {
  lab = await createLab({ clock: { mode: 'stepped', start: Date.parse('2026-03-13T08:00:00Z') }, cloud: { seed } });
  const portal = lab.inProcess!.portal;
  const wan = lab.device({ pid: 'ISR4331/K9', release: '16.9.6' });
  const other = lab.device({ pid: 'ISR4331/K9', release: '16.9.6' });
  expect(wan.agentState()?.mode).toBe('traditional');
  await portal.addPak('example.com', { pak: '3A1B2C3D4E5', items: [{ sku: 'SL-4330-SEC-K9', quantity: 2 }] });
  const issued = await portal.fulfil('example.com', '3A1B2C3D4E5', wan.udi, [{ sku: 'SL-4330-SEC-K9', quantity: 1 }]);

  expect(wan.putFile(`flash:${issued.fileName}`, issued.licenseFile)).toEqual({ ok: true, output: '' });
  expect(wan.exec(`license install flash:${issued.fileName}`)).toContain(
    'Installing...Feature:securityk9...Successful:Supported\n1/1 licenses were successfully installed\n',
  );
  wan.exec('configure terminal');
  wan.exec('license boot level securityk9');
  wan.exec('end');
  wan.exec('write memory');
  wan.exec('reload');
  await lab.clock.advance(5 * 60_000);
  expect(wan.view().bootLevel.current).toBe('securityk9');
  expect(wan.traditional()!.phase).toBe('permanent');

  other.putFile('flash:borrowed.lic', issued.licenseFile);
  expect(other.exec('license install flash:borrowed.lic')).toMatch(
    /^Installing licenses from "flash:borrowed.lic"\n% License is not valid for this device \(UDI mismatch\)/,
  );
});

it('counts the portal’s evaluation license down only while it runs the level', async () => {
  lab = await createLab({ clock: { mode: 'stepped', start: Date.parse('2026-03-13T08:00:00Z') }, cloud: { seed } });
  const wan = lab.device({ pid: 'ISR4331/K9', release: '16.9.6' });
  const issued = await new PortalOperations(lab.inProcess!.service).evaluation('example.com', wan.udi, 'uck9');
  wan.putFile('flash:eval.lic', issued.licenseFile);
  expect(wan.exec('license install flash:eval.lic')).toContain('1/1 licenses were successfully installed');
  wan.exec('configure terminal');
  wan.exec('license accept end user agreement');
  wan.exec('license boot level uck9');
  wan.exec('end');
  wan.exec('write memory');
  wan.exec('reload');
  await lab.clock.advance(5 * 60_000);
  const running = () => wan.traditional()!.licenses.find((l) => l.key === wan.traditional()!.running.license)!;
  expect(running()).toMatchObject({ feature: 'uck9', store: 'primary', status: 'inUse' });
  await lab.clock.advance(3 * DAY);
  // Booted 3 minutes into the 5 advanced: 2 minutes in use before the 3 days.
  expect(running().usedMs).toBe(3 * DAY + 2 * 60_000);
});
