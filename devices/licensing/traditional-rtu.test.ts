/**
 * Right-to-Use on a Catalyst 3850 (16.3.10, A.4, A.5.7): activation with and without the EULA prompt, a
 * 90-day evaluation counted in lab time, the level applying only at the next reload and saved in the
 * startup configuration, refusals that leave the storage bytes as they were, deactivation, and the
 * activations and level carried into a 16.9.5 (Smart) boot.
 */
import { describe, expect, it } from 'vitest';
import { DAY } from '#protocol';
import { MemoryBackend } from '../storage/memory-backend.ts';
import type { VirtualDevice } from '../device.ts';
import { linesOf, reloadWith, stateOf, traditionalLab } from './traditional.test-support.ts';

const SN = 'FCW1932D0LB';
const NOTICE = '% switch-1:stack-mgr:Reboot the switch to invoke the highest activated License level\n';

function lab(storage = new MemoryBackend()) {
  const { clock, device } = traditionalLab();
  const d = device({ pid: 'WS-C3850-24P', sn: SN, release: '16.3.10', storage });
  return { clock, device, d, storage };
}

const eventsOf = (d: VirtualDevice, mnemonic: string) => d.events().filter((e) => e.syslog.mnemonic === mnemonic);
const techPackage = (d: VirtualDevice) =>
  d
    .exec('show version')
    .match(/^(\w+k9)\s+(\w+)\s+(\w+k9)$/m)
    ?.slice(1);

describe('license right-to-use activate', () => {
  it('shows the EULA, records a permanent license, logs and traps, and runs the level from the next reload', async () => {
    const { clock, d } = lab();
    const out = d.exec('license right-to-use activate ipservices all');
    expect(out).toContain('ACCEPT? (yes/[no]): yes\n');
    expect(out.endsWith(NOTICE)).toBe(true);

    const [installed] = eventsOf(d, 'INSTALL');
    expect(installed!.line).toMatch(
      /%LICENSE-6-INSTALL: Feature ipservicesk9 1.0 was installed in this device. UDI=WS-C3850-24P:FCW1932D0LB; StoreIndex=1:Primary License Storage$/,
    );
    expect(installed!.trap).toMatchObject({
      name: 'clmgmtLicenseInstalled',
      varbinds: [
        { oid: '1.3.6.1.4.1.9.9.543.1.2.3.1.3.1.1.2', value: 'ipservicesk9' },
        { oid: '1.3.6.1.4.1.9.9.543.1.2.3.1.4.1.1.2', value: '1.0' },
        { oid: '1.3.6.1.4.1.9.9.543.1.2.3.1.5.1.1.2', value: 4 },
        { oid: '1.3.6.1.4.1.9.9.543.1.2.3.1.13.1.1.2', value: '' },
      ],
    });
    const [eula] = eventsOf(d, 'EULA_ACCEPTED');
    expect(eula!.trap).toMatchObject({
      name: 'clmgmtLicenseEULAAccepted',
      trapOid: '1.3.6.1.4.1.9.9.543.0.8',
      varbinds: [
        { oid: '1.3.6.1.4.1.9.9.543.1.2.4.1.2.1.3', value: 'ipservicesk9' },
        { oid: '1.3.6.1.4.1.9.9.543.1.2.4.1.3.1.3', value: '1.0' },
      ],
    });
    expect(linesOf(d, 'LICENSE_LEVEL').at(-1)).toMatch(/Next reboot level = ipservicesk9 and License = ipservicesk9$/);

    // Saved at once in the startup configuration; this boot still runs ipbase.
    expect(d.view()).toMatchObject({
      configDirty: false,
      bootLevel: { current: 'ipbasek9', nextReload: 'ipservicesk9' },
    });
    expect(techPackage(d)).toEqual(['ipbasek9', 'Permanent', 'ipservicesk9']);
    expect(d.exec('show license right-to-use')).toBe(
      [
        'Slot#       License Name         Type  Count   Period left',
        '----------------------------------------------------------',
        '    1             ipbase    Permanent    N/A      Lifetime',
        '    1         ipservices    Permanent    N/A      Lifetime',
        '----------------------------------------------------------',
        'License Level In Use: ipbase',
        'License Level on Reboot: ipservices',
        '',
        '',
      ].join('\n'),
    );

    d.exec('reload');
    await clock.advance(60_000);
    expect(techPackage(d)).toEqual(['ipservicesk9', 'Permanent', 'ipservicesk9']);
    expect(d.traditional()).toMatchObject({
      phase: 'permanent',
      running: { level: 'ipservicesk9', license: 'rtu:permanent:ipservicesk9' },
    });
    expect(d.exec('show license right-to-use default')).toBe(
      [
        'Slot#       License Name         Type',
        '-------------------------------------',
        '    1             ipbase    Permanent',
        '-------------------------------------',
        '',
        '',
      ].join('\n'),
    );
  });

  it('acceptEULA skips the agreement; an evaluation lasts 90 days of use, then runs until reload and falls back', async () => {
    const { clock, d } = lab();
    expect(d.exec('license right-to-use activate ipservices evaluation slot 1 acceptEULA')).toBe(NOTICE);
    await reloadWith(clock, d);
    expect(stateOf(d)).toEqual({ metered: 'counting' });
    expect(d.exec('show license right-to-use summary')).toContain('         ipservices   Evaluation       90 days\n');

    await clock.advance(80 * DAY);
    expect(d.exec('show license right-to-use usage')).toContain(
      '    1         ipservices   Evaluation                0 :2 :20     yes   yes\n',
    );
    expect(linesOf(d, 'EXPIRING').at(-1)).toMatch(/License for feature ipservicesk9 1.0 will expire in/);
    await clock.advance(11 * DAY);
    expect(stateOf(d)).toEqual({ metered: 'expired' });
    expect(eventsOf(d, 'EXPIRED')[0]!.trap).toMatchObject({ name: 'clmgmtLicenseExpired' });
    expect(d.traditional()!.running.level).toBe('ipservicesk9');

    await reloadWith(clock, d);
    expect(d.traditional()!.running).toEqual({ level: 'ipbasek9', license: 'factory:ipbasek9' });
    // Used up: it cannot be activated again (nothing changes).
    d.exec('license right-to-use deactivate ipservices evaluation');
    expect(d.exec('license right-to-use activate ipservices evaluation acceptEULA')).toBe(
      '% License ipservices evaluation has expired and cannot be activated again\n',
    );
  });

  it('refuses bad requests and leaves the storage bytes as they were', () => {
    const { d, storage } = lab();
    d.exec('license right-to-use activate lanbase acceptEULA');
    const before = Buffer.from(storage.read(SN)!);
    const events = d.events().length;
    const cases: [string, string][] = [
      ['license right-to-use activate ipservices slot 2 acceptEULA', '% Invalid slot 2; slots: 1\n'],
      ['license right-to-use activate lanbase acceptEULA', '% License lanbase permanent is already activated\n'],
      ['license right-to-use activate ipbase all acceptEULA', '% License ipbase permanent is already activated\n'],
      ['license right-to-use deactivate ipservices', '% License ipservices permanent is not activated\n'],
      [
        'license right-to-use deactivate ipbase',
        '% License ipbase permanent is the factory default and cannot be deactivated\n',
      ],
    ];
    for (const [line, error] of cases) expect(d.exec(line)).toBe(error);
    expect(d.exec('license right-to-use activate advipservices')).toMatch(/% Invalid input detected/);
    expect(storage.read(SN)!.equals(before)).toBe(true);
    expect(d.events()).toHaveLength(events);
  });

  it('deactivate: REMOVE and clmgmtLicenseCleared; the level in use runs until the reload, then the highest left', async () => {
    const { clock, d } = lab();
    d.exec('license right-to-use activate ipservices acceptEULA');
    await reloadWith(clock, d);
    expect(d.exec('license right-to-use deactivate ipservices all')).toBe(NOTICE);
    const [removed] = eventsOf(d, 'REMOVE');
    expect(removed!.line).toMatch(/%LICENSE-6-REMOVE: Feature ipservicesk9 1.0 was removed from this device/);
    expect(removed!.trap).toMatchObject({ name: 'clmgmtLicenseCleared', trapOid: '1.3.6.1.4.1.9.9.543.0.6' });
    expect(d.view().bootLevel).toMatchObject({ current: 'ipservicesk9', nextReload: 'ipbasek9' });
    expect(d.traditional()!.licenses.find((l) => l.key === 'rtu:permanent:ipservicesk9')?.status).toBe('inUse');
    await reloadWith(clock, d);
    expect(d.traditional()!.running.level).toBe('ipbasek9');
    expect(d.traditional()!.licenses.map((l) => l.key)).toEqual(['factory:ipbasek9']);
    // Activated again: a new store index, history keeps both.
    d.exec('license right-to-use activate ipservices acceptEULA');
    expect(d.traditional()!.history.map((h) => h.action)).toEqual(['activate', 'deactivate', 'activate']);
  });

  it('an upgrade to 16.9.5 boots Smart at the RTU level, with the activations kept in the traditional record', async () => {
    const storage = new MemoryBackend();
    const { d, device } = lab(storage);
    d.exec('license right-to-use activate ipservices acceptEULA');
    d.stop();
    const smart = device({ pid: 'WS-C3850-24P', sn: SN, release: '16.9.5', storage });
    expect(smart.view()).toMatchObject({ licensingMode: 'smart', bootLevel: { current: 'ipservicesk9' } });
    expect(smart.smart().entitlements.map((e) => e.tag)).toEqual([expect.stringContaining('ipservices')]);
    // The Smart image leaves the traditional record as it was: a 16.3 boot on the same storage finds it.
    smart.stop();
    const back = device({ pid: 'WS-C3850-24P', sn: SN, release: '16.3.10', storage });
    expect(back.traditional()!.running).toEqual({ level: 'ipservicesk9', license: 'rtu:permanent:ipservicesk9' });
  });

  it('is a 3650 / 3850 command only', () => {
    const { device } = traditionalLab();
    expect(device().exec('license right-to-use activate ipbase')).toMatch(/% Invalid input detected/);
  });
});
