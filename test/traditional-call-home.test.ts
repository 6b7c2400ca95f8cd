/**
 * License call-home against the real portal in process: `license call-home install pak` fulfils a PAK for
 * the device and installs the answer through `license install`'s checks; `resend` saves every license of
 * the device to a file; `revoke udi` rehosts online (the portal revokes and licenses the target, the
 * device revokes, installs the grace lines and saves the target's file). Refusals send nothing, or change
 * nothing when the portal says no.
 */
import { readFileSync } from 'node:fs';
import { afterEach, expect, it, vi } from 'vitest';
import { createLab, type LocalLab } from '#lab';
import { MemoryBackend, type VirtualDevice } from '#devices';

const seed = readFileSync(new URL('../scenarios/cloud-seed.example.yaml', import.meta.url), 'utf8');
const login = { username: 'admin@example.com', password: 'lab-admin-password' };
const PAK = '3A1B2C3D4E5';
let lab: LocalLab;
afterEach(() => lab.close());

async function open(password = login.password) {
  const storage = new MemoryBackend();
  lab = await createLab({
    clock: { mode: 'stepped', start: Date.parse('2026-03-13T08:00:00Z') },
    cloud: { seed },
    storage,
    callHomeLogin: { ...login, password },
  });
  await lab.inProcess!.portal.addPak('example.com', { pak: PAK, items: [{ sku: 'SL-4330-SEC-K9', quantity: 2 }] });
  return { storage, wan: lab.device({ pid: 'ISR4331/K9', release: '16.9.6' }) };
}

/** The last call-home outcome once the portal has answered. */
async function answered(d: VirtualDevice) {
  await vi.waitFor(() => expect(d.traditional()!.callHome).toMatchObject({ state: 'idle', last: {} }), 5000);
  return d.traditional()!.callHome!.last!;
}

const mnemonics = (d: VirtualDevice, m: string) => d.events().filter((e) => e.syslog.mnemonic === m);

it('install pak: the dialog, then the portal’s file installed as `license install` installs it', async () => {
  const { wan } = await open();
  const dialog = wan.exec(`license call-home install pak ${PAK.toLowerCase()}`);
  expect(dialog).toBe(
    [
      'CCO User Name: admin@example.com',
      'CCO Password: ',
      `Pak Number : ${PAK}`,
      'Platform : ISR4331/K9',
      `Serial Number : ${wan.udi.sn}`,
      'Contacting the Cisco licensing portal ...',
      '',
    ].join('\n'),
  );
  expect(wan.traditional()!.callHome).toMatchObject({
    state: 'requesting',
    pending: `install pak ${PAK.toLowerCase()}`,
  });
  expect(wan.exec('license call-home resend flash:x.lic')).toBe(
    '% A license call-home request is in progress; try again when it has answered\n',
  );
  const last = await answered(wan);
  expect(last).toMatchObject({ ok: true, command: `install pak ${PAK.toLowerCase()}` });
  expect(last.lines).toContain('Installing...Feature:securityk9...Successful:Supported');
  expect(wan.traditional()!.licenses.find((l) => l.feature === 'securityk9' && l.text)).toMatchObject({
    type: 'permanent',
    store: 'primary',
  });
  const [installed] = mnemonics(wan, 'INSTALL');
  expect(installed!.trap).toMatchObject({ name: 'clmgmtLicenseInstalled' });
  expect(wan.exec('show license call-home')).toMatch(
    /^License call-home:\n {2}Portal: .+\n {2}Cisco.com user: admin@example.com\n {2}State: IDLE\n {2}Last request: install pak 3a1b2c3d4e5\n {4}Answered: .+\n {4}Result: SUCCEEDED\n {4}Installing licenses from ".+\.lic"\n/,
  );
});

it('resend saves the device’s licenses to a file; revoke udi rehosts to the target online', async () => {
  const { wan } = await open();
  const target = lab.device({ pid: 'ISR4331/K9', release: '16.9.6' });
  wan.exec(`license call-home install pak ${PAK}`);
  await answered(wan);

  wan.exec('license call-home resend flash:resent.lic');
  expect((await answered(wan)).lines).toEqual(['1 license(s) resent; license file saved ..... to flash:resent.lic']);
  expect(wan.exec('license install flash:resent.lic')).toContain('Installing...Feature:securityk9...Skipped:Existing');

  const held = wan.traditional()!.licenses.find((l) => l.feature === 'securityk9' && l.text)!.key;
  expect(wan.exec(`license call-home revoke udi ${target.udi.pid}:${target.udi.sn} usbflash0:target.lic`)).toContain(
    `Target UDI : ${target.udi.pid}:${target.udi.sn}\n`,
  );
  const last = await answered(wan);
  expect(last.lines).toEqual([
    'Revoking...Feature:securityk9...Successful',
    'Installing...Feature:securityk9...Successful:Supported',
    `License file for ${target.udi.pid}:${target.udi.sn} saved ..... to usbflash0:target.lic`,
  ]);
  expect(wan.traditional()!.revoked).toMatchObject([{ key: held, feature: 'securityk9' }]);
  expect(wan.traditional()!.licenses.find((l) => l.type === 'gracePeriod')).toMatchObject({ feature: 'securityk9' });
  expect(mnemonics(wan, 'REVOKED')[0]!.trap).toMatchObject({ name: 'clmgmtLicenseRevoked' });

  const file = wan.readFile('usbflash0:target.lic');
  if (!file.ok) throw new Error(file.error);
  target.putFile('flash:moved.lic', file.output);
  expect(target.exec('license install flash:moved.lic')).toContain('1/1 licenses were successfully installed');
});

it('refusals: a malformed PAK, UDI or path sends nothing; the portal’s no changes nothing', async () => {
  const { storage, wan } = await open();
  const before = Buffer.from(storage.read(wan.udi.sn)!);
  expect(wan.exec('license call-home install pak 3A1B')).toBe('% Invalid PAK 3A1B: a PAK is 11 letters and digits\n');
  expect(wan.exec('license call-home revoke udi nonsense flash:t.lic')).toBe(
    '% Invalid UDI nonsense: expected <PID>:<SN>\n',
  );
  expect(wan.exec('license call-home resend nvram:x.lic')).toMatch(/^%Error/);
  expect(wan.traditional()!.callHome).toMatchObject({ state: 'idle' });
  expect(wan.traditional()!.callHome!.last).toBeUndefined();

  wan.exec('license call-home install pak ZZZZZZZZZZZ');
  const last = await answered(wan);
  expect(last.ok).toBe(false);
  expect(last.lines[0]).toMatch(/^% License call-home failed: .*ZZZZZZZZZZZ/);
  expect(storage.read(wan.udi.sn)!.equals(before)).toBe(true);
  expect(mnemonics(wan, 'INSTALL')).toEqual([]);
});

it('a wrong password is the portal’s refusal; without a login the command is not available', async () => {
  const { wan } = await open('not-the-password');
  wan.exec(`license call-home install pak ${PAK}`);
  expect((await answered(wan)).lines[0]).toMatch(/^% License call-home failed: .*refused/);
  await lab.close();
  lab = await createLab({ clock: { mode: 'stepped' }, cloud: { seed } });
  const bare = lab.device({ pid: 'ISR4331/K9', release: '16.9.6' });
  expect(bare.exec(`license call-home install pak ${PAK}`)).toBe(
    '% License call-home is not available: the lab gives this device no Cisco.com login\n',
  );
  expect(bare.exec('show license call-home')).toBe('License call-home is not configured (no Cisco.com login)\n\n');
});
