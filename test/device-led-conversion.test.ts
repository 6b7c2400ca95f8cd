/**
 * Device-led conversion end to end (seed 004; issue 14 "license smart conversion start", issue 15's
 * scenario): an ISR 4331 running securityk9 from a PAK on 16.9 (traditional) takes a Smart-only 16.12
 * image, registers, is out of compliance (its VA holds no securityk9), converts its PAK license into the
 * VA, and is authorized after `license smart renew auth`. Against the real cloud mock in virtual time.
 */
import { afterEach, expect, it } from 'vitest';
import { createLab, type LocalLab } from '#lab';
import { MINUTE, udiString } from '#protocol';

const TOKEN = 'LAB-DLC-TOKEN%0AexportAllowed%3D';
const seed = `
accounts:
  - name: Example Corp
    domain: example.com
    virtualAccounts:
      - name: DEFAULT
        tokens:
          - value: ${TOKEN}
            expiresAfterDays: 365
            exportControlled: true
`;
const VA = { account: 'example.com', virtualAccount: 'DEFAULT' };
let lab: LocalLab;
afterEach(() => lab.close());

async function reload(d: { exec(line: string): string }) {
  d.exec('reload');
  await lab.clock.advance(5 * MINUTE);
}

it('a PAK licence converts into the VA once, and renew auth brings the device into compliance', async () => {
  lab = await createLab({ clock: { mode: 'stepped', start: Date.parse('2026-03-13T08:00:00Z') }, cloud: { seed } });
  const portal = lab.inProcess!.portal;
  const wan = lab.device({ pid: 'ISR4331/K9', release: '16.9.6' });
  await portal.addPak('example.com', { pak: '3A1B2C3D4E5', items: [{ sku: 'SL-4330-SEC-K9', quantity: 1 }] });
  const issued = await portal.fulfil('example.com', '3A1B2C3D4E5', wan.udi, [{ sku: 'SL-4330-SEC-K9', quantity: 1 }]);
  wan.putFile('flash:sec.lic', issued.licenseFile);
  expect(wan.exec('license install flash:sec.lic')).toContain('1/1 licenses were successfully installed');
  for (const line of ['configure terminal', 'license boot level securityk9', 'end', 'write memory']) wan.exec(line);
  await reload(wan);
  expect(wan.traditional()!.running.level).toBe('securityk9');

  expect(wan.installImage('16.12.5')).toEqual({ ok: true, output: '' });
  await reload(wan);
  expect(wan.view().licensingMode).toBe('smart');
  expect(wan.traditional()).toBeUndefined();
  expect(wan.exec('show license status')).toContain(
    'License Conversion:\n  Automatic Conversion Enabled: False\n  Status: Not started\n\nExport Authorization Key:',
  );
  expect(wan.exec('license smart conversion start')).toBe('% Device is not registered.\n');

  wan.exec(`license smart register idtoken ${TOKEN}`);
  await lab.clock.advance(MINUTE);
  expect(wan.smart().authorization.status).toBe('outOfCompliance');
  const security = wan.smart().entitlements[0]!;
  expect(security.feature).toBe('securityk9');

  expect(wan.exec('license smart conversion start')).toBe('');
  expect(wan.exec('show license status')).toContain('  Status: In progress\n');
  await lab.clock.advance(MINUTE);
  expect(wan.exec('show license status')).toMatch(/ {2}Status: Successful on Mar 13 08:\d\d:\d\d 2026 UTC\n/);
  const pools = await lab.cloud.pools(VA);
  expect(pools.filter((p) => p.tag === security.tag).map((p) => [p.licenseName, p.purchased])).toEqual([
    ['ISR_4331_Security', 1],
  ]);
  expect((await portal.licenses('example.com', wan.udi)).map((l) => [l.feature, l.status])).toEqual([
    ['securityk9', 'CONVERTED'],
  ]);
  const events = await lab.cloud.events();
  expect(events.filter((e) => e.kind === 'licenses.converted').map((e) => e.data)).toEqual([
    { udi: udiString(wan.udi), converted: [{ feature: 'securityk9', tag: security.tag, quantity: 1 }] },
  ]);
  // Seed 004: the device stays out of compliance until its authorization is renewed.
  expect(wan.smart().authorization.status).toBe('outOfCompliance');
  wan.exec('license smart renew auth');
  await lab.clock.advance(MINUTE);
  expect(wan.smart().authorization.status).toBe('authorized');

  expect(wan.exec('license smart conversion start')).toBe(
    '% The traditional licenses of this device were converted to Smart Licensing already.\n',
  );
  await reload(wan);
  expect(wan.exec('show license status')).toMatch(/ {2}Status: Successful on /);
  expect(wan.smart().authorization.status).toBe('authorized');
});

it('a device with no traditional licence has nothing to convert and shows no License Conversion block', async () => {
  lab = await createLab({ clock: { mode: 'stepped', start: Date.parse('2026-03-13T08:00:00Z') }, cloud: { seed } });
  const sw = lab.device({ pid: 'C9300-24P', release: '16.12.4' });
  sw.exec(`license smart register idtoken ${TOKEN}`);
  await lab.clock.advance(MINUTE);
  expect(sw.exec('show license status')).not.toContain('License Conversion');
  expect(sw.exec('license smart conversion start')).toBe('% No traditional licenses to convert on this device.\n');
});

it('a downgrade boots traditional licensing again on the licenses kept', async () => {
  lab = await createLab({ clock: { mode: 'stepped', start: Date.parse('2026-03-13T08:00:00Z') }, cloud: { seed } });
  const wan = lab.device({ pid: 'ISR4331/K9', release: '16.12.5' });
  expect(wan.view().licensingMode).toBe('smart');
  expect(wan.installImage('16.9.6')).toEqual({ ok: true, output: '' });
  await reload(wan);
  expect(wan.view().licensingMode).toBe('traditional');
  expect(wan.exec('show license')).toContain('Feature: ipbasek9');
});

it('a Catalyst 3850 Right-to-Use activation converts on its word after the upgrade to 16.9 (seed 004)', async () => {
  lab = await createLab({ clock: { mode: 'stepped', start: Date.parse('2026-03-13T08:00:00Z') }, cloud: { seed } });
  const sw = lab.device({ pid: 'WS-C3850-24P', release: '16.3.10' });
  expect(sw.exec('license right-to-use activate ipservices acceptEULA')).toContain('Reboot the switch');
  await reload(sw);
  expect(sw.traditional()!.running.level).toBe('ipservicesk9');
  expect(sw.installImage('16.9.5')).toEqual({ ok: true, output: '' });
  await reload(sw);
  expect(sw.view().licensingMode).toBe('smart');
  const ipservices = sw.smart().entitlements[0]!;
  expect(ipservices.feature).toBe('ipservicesk9');
  sw.exec(`license smart register idtoken ${TOKEN}`);
  await lab.clock.advance(MINUTE);
  expect(sw.smart().authorization.status).toBe('outOfCompliance');
  expect(sw.exec('license smart conversion start')).toBe('');
  await lab.clock.advance(MINUTE);
  expect(sw.exec('show license status')).toMatch(/ {2}Status: Successful on /);
  const events = await lab.cloud.events();
  expect(events.filter((e) => e.kind === 'licenses.converted').map((e) => e.data)).toEqual([
    { udi: udiString(sw.udi), converted: [{ feature: 'ipservicesk9', tag: ipservices.tag, quantity: 1 }] },
  ]);
  sw.exec('license smart renew auth');
  await lab.clock.advance(MINUTE);
  expect(sw.smart().authorization.status).toBe('authorized');
  expect((await lab.cloud.pools(VA)).find((p) => p.tag === ipservices.tag)).toMatchObject({ purchased: 1, inUse: 1 });
});
