/**
 * Counted licenses and pay-as-you-grow against the real portal in process: an ISR 4331's cme-srst seats
 * come from FL-CME-SRST-25 lines (25 each, adding up), IP phones take and give back seats (the lab's
 * `license.usage`), clmgmtLicenseUsageCountAboutToExceed at 80 % and clmgmtLicenseUsageCountExceeded at the
 * count with their varbinds, one seat beyond the count refused with nothing changed, `show license`'s Count.
 */
import { readFileSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { createLab, type LocalLab } from '#lab';
import type { VirtualDevice } from '#devices';

const seed = readFileSync(new URL('../scenarios/cloud-seed.example.yaml', import.meta.url), 'utf8');
const PAK = '3A1B2C3D4E5';
let lab: LocalLab;
afterEach(() => lab.close());

const use = (d: VirtualDevice, units: number) =>
  d.licenseRequest({ type: 'license.usage', feature: 'cme-srst', units });
const trapsOf = (d: VirtualDevice) => d.events().flatMap((e) => (e.trap ? [e.trap] : []));
const countLine = (d: VirtualDevice) =>
  d.exec('show license').match(/Feature: cme-srst[^\n]*\n(?:[^\n]*\n)*?\s+License Count: ([^\n]*)/)?.[1];

async function seats(d: VirtualDevice, quantity = 1) {
  const issued = await lab.inProcess!.portal.fulfil('example.com', PAK, d.udi, [{ sku: 'FL-CME-SRST-25', quantity }]);
  d.putFile(`flash:${issued.fileName}`, issued.licenseFile);
  expect(d.exec(`license install flash:${issued.fileName}`)).toContain('Feature:cme-srst...Successful:Supported');
}

it('seats add up, 80 % and 100 % notify with their varbinds, one more is refused, a reload starts at 0', async () => {
  lab = await createLab({ clock: { mode: 'stepped', start: Date.parse('2026-03-13T08:00:00Z') }, cloud: { seed } });
  await lab.inProcess!.portal.addPak('example.com', { pak: PAK, items: [{ sku: 'FL-CME-SRST-25', quantity: 3 }] });
  const d = lab.device({ pid: 'ISR4331/K9', release: '16.9.6' });
  // The built-in evaluation has no seats: `0/0`, and a phone is refused.
  expect(countLine(d)).toBe('0/0  (In-use/Violation)');
  expect(use(d, 1)).toEqual({ ok: false, error: '% Feature cme-srst count exceeded: 1 would be in use, 0 licensed' });

  await seats(d);
  expect(use(d, 19)).toEqual({ ok: true, output: '' });
  expect(trapsOf(d).filter((t) => t.name.startsWith('clmgmtLicenseUsage'))).toEqual([]);
  use(d, 1);
  const about = d.events().at(-1)!;
  expect(about.line).toMatch(
    /%LICENSE-4-USAGE_COUNT_ABOUT_TO_EXCEED: Feature cme-srst 1.0 count is about to exceed: 20 of 25 IP phones in use. UDI=ISR4331\/K9:/,
  );
  const feature = 1 + d.traditional()!.features.indexOf('cme-srst');
  const store = d.traditional()!.licenses.find((l) => l.feature === 'cme-srst' && l.text)!.storeIndex + 1;
  expect(about.trap).toMatchObject({
    name: 'clmgmtLicenseUsageCountAboutToExceed',
    trapOid: '1.3.6.1.4.1.9.9.543.0.4',
    varbinds: [
      { oid: `1.3.6.1.4.1.9.9.543.1.2.3.1.3.1.1.${store}`, value: 'cme-srst' },
      { oid: `1.3.6.1.4.1.9.9.543.1.2.3.1.4.1.1.${store}`, value: '1.0' },
      { oid: `1.3.6.1.4.1.9.9.543.1.2.3.1.10.1.1.${store}`, value: 25 },
      { oid: `1.3.6.1.4.1.9.9.543.1.2.3.1.11.1.1.${store}`, value: 5 },
      { oid: `1.3.6.1.4.1.9.9.543.1.2.4.1.5.1.${feature}`, value: 'IP phones' },
      { oid: `1.3.6.1.4.1.9.9.543.1.2.3.1.13.1.1.${store}`, value: '' },
    ],
  });
  use(d, 5);
  const exceeded = d.events().at(-1)!;
  expect(exceeded.line).toMatch(
    /%LICENSE-4-USAGE_COUNT_EXCEEDED: Feature cme-srst 1.0 count has reached its licensed 25 IP phones/,
  );
  expect(exceeded.trap).toMatchObject({
    name: 'clmgmtLicenseUsageCountExceeded',
    trapOid: '1.3.6.1.4.1.9.9.543.0.3',
    varbinds: [
      { value: 'cme-srst' },
      { value: '1.0' },
      { oid: `1.3.6.1.4.1.9.9.543.1.2.3.1.10.1.1.${store}`, value: 25 },
      { oid: `1.3.6.1.4.1.9.9.543.1.2.4.1.5.1.${feature}`, value: 'IP phones' },
      { value: '' },
    ],
  });
  expect(countLine(d)).toBe('25/25/0  (Active/In-use/Violation)');

  // One beyond the count: refused, nothing logged, nothing counted.
  const events = d.events().length;
  expect(use(d, 1)).toEqual({ ok: false, error: '% Feature cme-srst count exceeded: 26 would be in use, 25 licensed' });
  expect(d.events()).toHaveLength(events);
  expect(countLine(d)).toBe('25/25/0  (Active/In-use/Violation)');

  // Pay as you grow: 25 more seats, and the phone registers.
  await seats(d);
  expect(use(d, 1)).toEqual({ ok: true, output: '' });
  expect(use(d, -30)).toEqual({ ok: false, error: '% Feature cme-srst has 26 in use; 30 cannot be released' });
  const counts = () => d.traditional()!.licenses.filter((l) => l.feature === 'cme-srst' && l.text);
  expect(counts().map((l) => [l.countInUse, l.countViolation])).toEqual([
    [25, 0],
    [1, 0],
  ]);
  expect(use(d, -6)).toEqual({ ok: true, output: '' });
  expect(d.exec('show license')).toMatch(/License Count: 25\/20\/0 {2}\(Active\/In-use\/Violation\)/);
  // Crossing 80 % of 50 again notifies again.
  use(d, 20);
  expect(d.events().at(-1)!.trap?.name).toBe('clmgmtLicenseUsageCountAboutToExceed');

  expect(use(d, 0)).toEqual({ ok: false, error: '% Invalid count 0: a whole number of entities, not 0' });
  expect(d.licenseRequest({ type: 'license.usage', feature: 'securityk9', units: 1 })).toEqual({
    ok: false,
    error: '% Feature securityk9 is not a counted license here; counted: cme-srst',
  });

  d.exec('reload');
  await lab.clock.advance(5 * 60_000);
  expect(d.exec('show license')).toMatch(/License Count: 25\/0\/0 {2}\(Active\/In-use\/Violation\)/);
});
