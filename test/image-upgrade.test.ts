/**
 * A maintenance image upgrade keeps the box's licensing (issue 14): `installImage` picks another release of
 * the platform for the next reload; after it the device runs that release with its license storage, EULA,
 * usage and history as they were. Unknown releases are refused. (An upgrade into a Smart-only release:
 * device-led-conversion.test.ts.)
 */
import { readFileSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { createLab, type LocalLab } from '#lab';
import { DAY } from '#protocol';

const seed = readFileSync(new URL('../scenarios/cloud-seed.example.yaml', import.meta.url), 'utf8');
let lab: LocalLab;
afterEach(() => lab.close());

it('runs the new release after reload with its licenses, EULA, usage and history kept', async () => {
  lab = await createLab({ clock: { mode: 'stepped', start: Date.parse('2026-03-13T08:00:00Z') }, cloud: { seed } });
  const portal = lab.inProcess!.portal;
  const wan = lab.device({ pid: 'ISR4331/K9', release: '03.16.10.S' });
  await portal.addPak('example.com', { pak: '3A1B2C3D4E5', items: [{ sku: 'SL-4330-SEC-K9', quantity: 1 }] });
  const issued = await portal.fulfil('example.com', '3A1B2C3D4E5', wan.udi, [{ sku: 'SL-4330-SEC-K9', quantity: 1 }]);
  wan.putFile('flash:sec.lic', issued.licenseFile);
  expect(wan.exec('license install flash:sec.lic')).toContain('1/1 licenses were successfully installed');
  for (const line of ['configure terminal', 'license accept end user agreement', 'license boot level uck9', 'end'])
    wan.exec(line);
  wan.exec('write memory');
  wan.exec('reload');
  await lab.clock.advance(5 * 60_000);
  await lab.clock.advance(2 * DAY);
  const before = wan.traditional()!;
  expect(before.running.level).toBe('uck9');

  expect(wan.installImage('17.1.1')).toEqual({
    ok: false,
    error: expect.stringMatching(/^% No image of release 17\.1\.1 for ISR4331\/K9; releases: 03\.16\.10\.S \(isr4300-/),
  });
  expect(wan.installImage('16.9.6')).toEqual({ ok: true, output: '' });
  expect(wan.exec('show version')).toContain('03.16.10.S');
  wan.exec('reload');
  await lab.clock.advance(5 * 60_000);

  expect(wan.release.version).toBe('16.9.6');
  expect(wan.exec('show version')).toContain('isr4300-universalk9.16.09.06.SPA.bin');
  const after = wan.traditional()!;
  expect(after.eulaAccepted).toBe(true);
  expect(after.running.level).toBe('uck9');
  expect(after.licenses.map((l) => l.key)).toEqual(before.licenses.map((l) => l.key));
  const uck9 = (v: typeof after) => v.licenses.find((l) => l.key === 'builtin:uck9')!.usedMs!;
  // The two reload minutes do not count: usage resumes where the old image left it.
  expect(uck9(after)).toBeGreaterThanOrEqual(uck9(before));
  expect(uck9(after)).toBeLessThan(uck9(before) + 5 * 60_000);
  expect(after.history.slice(0, before.history.length)).toEqual(before.history);
  expect(wan.exec('dir flash:')).toContain('sec.lic');
});

it('a traditional router upgraded to a 17.x release runs Smart Licensing Using Policy on the level it ran', async () => {
  lab = await createLab({ clock: { mode: 'stepped', start: Date.parse('2026-03-13T08:00:00Z') }, cloud: { seed } });
  const portal = lab.inProcess!.portal;
  const wan = lab.device({ pid: 'ISR4331/K9', release: '16.9.6' });
  await portal.addPak('example.com', { pak: '3A1B2C3D4E6', items: [{ sku: 'SL-4330-SEC-K9', quantity: 1 }] });
  const issued = await portal.fulfil('example.com', '3A1B2C3D4E6', wan.udi, [{ sku: 'SL-4330-SEC-K9', quantity: 1 }]);
  wan.putFile('flash:sec.lic', issued.licenseFile);
  wan.exec('license install flash:sec.lic');
  for (const line of ['configure terminal', 'license boot level securityk9', 'end', 'write memory']) wan.exec(line);
  wan.exec('reload');
  await lab.clock.advance(5 * 60_000);
  expect(wan.traditional()!.running.level).toBe('securityk9');

  expect(wan.installImage('17.9.4a')).toEqual({ ok: true, output: '' });
  wan.exec('reload');
  await lab.clock.advance(5 * 60_000);
  expect(wan.view().licensingMode).toBe('slp');
  expect(
    wan
      .slp()!
      .licenses.filter((l) => l.inUse)
      .map((l) => l.feature),
  ).toEqual(['securityk9']);
  expect(wan.exec('show license summary')).toMatch(/securityk9 +\S+ +1 IN USE/);
  // The license file stays in the box's storage: a downgrade runs on it again.
  expect(wan.installImage('16.9.6')).toEqual({ ok: true, output: '' });
  wan.exec('reload');
  await lab.clock.advance(5 * 60_000);
  expect(wan.traditional()!.running).toMatchObject({ level: 'securityk9' });
});
